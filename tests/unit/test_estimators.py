from fractions import Fraction
from itertools import combinations

import pytest

from lm_eval_passk.estimators import default_ks, majority_accuracy, pass_at_k


def brute_force_pass_at_k(n: int, c: int, k: int) -> Fraction:
    """Share of the k-subsets of n samples (the first c correct) holding a correct one."""
    subsets = list(combinations(range(n), k))
    return Fraction(sum(any(i < c for i in s) for s in subsets), len(subsets))


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_matches_enumeration_of_all_subsets(n):
    for c in range(n + 1):
        for k in range(1, n + 1):
            assert pass_at_k(n, c, k) == pytest.approx(float(brute_force_pass_at_k(n, c, k)), abs=1e-15)


@pytest.mark.parametrize(("n", "c", "k"), [(1024, 1, 1), (1024, 1, 512), (1024, 3, 1000), (4096, 2, 7), (1024, 1023, 2)])
def test_exact_for_large_n(n, c, k):
    # product form 1 - prod_{i=n-c+1}^{n} (1 - k/i), in exact fractions
    survive = Fraction(1)
    for i in range(n - c + 1, n + 1):
        survive *= 1 - Fraction(k, i)
    assert pass_at_k(n, c, k) == float(1 - survive)


def test_hand_computed_values():
    assert pass_at_k(4, 1, 2) == 0.5  # 3 of the 6 pairs hold the one correct sample
    assert pass_at_k(10, 0, 10) == 0.0
    assert pass_at_k(10, 10, 1) == 1.0
    assert pass_at_k(5, 2, 1) == 0.4


def test_k_above_n_is_an_error_not_a_padded_value():
    with pytest.raises(ValueError, match="pass@9 needs at least 9 samples"):
        pass_at_k(8, 8, 9)
    with pytest.raises(ValueError):
        pass_at_k(8, 9, 1)


def test_default_ks():
    assert default_ks(1) == [1]
    assert default_ks(16) == [1, 2, 4, 8, 16]
    assert default_ks(100) == [1, 2, 4, 8, 16, 32, 64, 100]


@pytest.mark.parametrize(
    ("answers", "verdicts", "expected"),
    [
        (["2", "3", "3"], [True, False, False], 0.0),
        (["1/2", "0.5", "3"], [True, True, False], 1.0),  # equivalent correct answers vote together
        (["3", "2"], [False, True], 0.5),  # a two-way tie: a coin flip
        (["3", "4", "2", "2"], [False, False, True, True], 1.0),
        (["3", "4", "2"], [False, False, True], 1 / 3),  # three-way tie
        ([None, None, "4"], [False, False, True], 1.0),  # no answer, no vote
        ([None, None], [False, False], 0.0),
    ],
)
def test_majority_vote(answers, verdicts, expected):
    assert majority_accuracy(answers, verdicts) == pytest.approx(expected)
    assert majority_accuracy(answers[::-1], verdicts[::-1]) == pytest.approx(expected)  # order-free
