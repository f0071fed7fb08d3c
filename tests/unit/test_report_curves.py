"""The report's numbers on hand-made problems, against values worked out by hand or
by enumerating every choice of samples."""

from __future__ import annotations

import random
import statistics
from fractions import Fraction
from itertools import combinations
from math import comb, sqrt

import numpy as np
import pytest

from lm_eval_passk.report.curves import (
    Curve,
    HISTOGRAM_BINS,
    accuracy_histogram,
    crossover_k,
    crossover_ks,
    delta_se,
    delta_se_k,
    delta_se_name,
    maj_at_k,
    never_solved,
    pass_at_k_curve,
    solvable_sets,
)
from lm_eval_passk.report.runs import Problem


def problem(c: int, n: int, pid: str = "p", answers=None) -> Problem:
    verdicts = tuple(i < c for i in range(n))
    answers = tuple(answers) if answers is not None else tuple("right" if v else "wrong" for v in verdicts)
    return Problem(pid, n, c, verdicts, answers, None)


def curve(values: list[float]) -> Curve:
    return Curve(list(range(1, len(values) + 1)), values, values, values, 0.95)


def test_curve_is_the_mean_of_the_exact_formula():
    counts, n = [0, 1, 3, 8, 8, 5], 8
    result = pass_at_k_curve([problem(c, n) for c in counts], iterations=50)
    expected = [float(sum(1 - Fraction(comb(n - c, k), comb(n, k)) for c in counts) / len(counts))
                for k in range(1, n + 1)]
    assert result.ks == list(range(1, n + 1))
    assert result.pass_at_k == pytest.approx(expected, abs=1e-15)
    assert result.at(8) == pytest.approx(5 / 6)


def test_problems_with_different_n_give_a_curve_up_to_the_smallest():
    result = pass_at_k_curve([problem(1, 4), problem(2, 8)], iterations=10)
    assert result.ks == [1, 2, 3, 4]
    assert result.at(4) == pytest.approx((1 + 1 - comb(6, 4) / comb(8, 4)) / 2)


def test_band_collapses_when_every_problem_is_alike():
    result = pass_at_k_curve([problem(2, 4, str(i)) for i in range(20)], iterations=200)
    assert result.low == pytest.approx(result.pass_at_k) and result.high == pytest.approx(result.pass_at_k)


def test_band_matches_the_normal_approximation_at_k1():
    # pass@1 of a problem is c/n; the bootstrap band of a mean of 400 values should be
    # close to mean +- 1.96 * sd / sqrt(400).
    counts = [(7 * i) % 17 for i in range(400)]
    problems = [problem(c, 16, str(i)) for i, c in enumerate(counts)]
    result = pass_at_k_curve(problems, iterations=4000, seed=1)
    values = [c / 16 for c in counts]
    half = 1.96 * statistics.stdev(values) / sqrt(len(values))
    assert result.high[0] - result.pass_at_k[0] == pytest.approx(half, rel=0.1)
    assert result.pass_at_k[0] - result.low[0] == pytest.approx(half, rel=0.1)
    assert all(lo <= v <= hi for lo, v, hi in zip(result.low, result.pass_at_k, result.high))


def test_band_is_reproducible_from_its_seed():
    problems = [problem(c, 8, str(c)) for c in range(9)]
    assert pass_at_k_curve(problems, seed=3).low == pass_at_k_curve(problems, seed=3).low
    assert pass_at_k_curve(problems, seed=3).low != pass_at_k_curve(problems, seed=4).low


def exact_majority(answers: list[str | None], verdicts: list[bool], k: int) -> Fraction:
    """Mean over all k-subsets; correct answers vote as one, a tie of s is won 1/s of the time."""
    total = Fraction(0)
    subsets = list(combinations(range(len(answers)), k))
    for subset in subsets:
        votes: dict[object, int] = {}
        for i in subset:
            if answers[i] is not None:
                key = True if verdicts[i] else answers[i]
                votes[key] = votes.get(key, 0) + 1
        if votes:
            top = max(votes.values())
            winners = [key for key, v in votes.items() if v == top]
            total += Fraction(int(True in winners), len(winners))
    return total / len(subsets)


@pytest.mark.parametrize("answers, verdicts", [
    (["7", "7", "8", "9"], [True, True, False, False]),
    (["7", "14/2", "8", "8", None, "9"], [True, True, False, False, False, False]),
    (["7", None, None, "8", "8", "8"], [True, False, False, False, False, False]),
])
def test_majority_vote_matches_enumeration(answers, verdicts):
    # 300 copies of one problem: the Monte Carlo error of the mean is below 0.01.
    n = len(answers)
    problems = [Problem(str(i), n, sum(verdicts), tuple(verdicts), tuple(answers), None) for i in range(300)]
    ks = list(range(1, n + 1))
    estimate = maj_at_k(problems, ks)
    for k in ks:
        assert estimate[k] == pytest.approx(float(exact_majority(answers, verdicts, k)), abs=0.03), k


def test_majority_of_hopeless_and_certain_problems_is_exact():
    problems = [problem(0, 4, "a"), problem(4, 4, "b"), problem(0, 4, "c", answers=[None] * 4)]
    assert maj_at_k(problems, [1, 2, 4]) == {1: 1 / 3, 2: 1 / 3, 4: 1 / 3}


def test_never_solved():
    problems = [problem(c, 10, str(c)) for c in (0, 0, 1, 5, 9, 10)]
    assert never_solved(problems) == pytest.approx(2 / 6)


def test_histogram_has_the_papers_bins():
    # Fig. 5: exactly 0 | (0, .1] | (.1, .2] | ... | (.8, .9] | (.9, 1) | exactly 1
    assert HISTOGRAM_BINS == ("0", "(0.0, 0.1]", "(0.1, 0.2]", "(0.2, 0.3]", "(0.3, 0.4]", "(0.4, 0.5]",
                              "(0.5, 0.6]", "(0.6, 0.7]", "(0.7, 0.8]", "(0.8, 0.9]", "(0.9, 1.0)", "1")
    cases = [  # (c, n, bin), placed by hand
        (0, 10, 0), (1, 10, 1), (1, 9, 2), (3, 10, 3), (6, 20, 3), (1, 3, 4), (5, 10, 5), (2, 3, 7),
        (9, 10, 9), (19, 20, 10), (127, 128, 10), (10, 10, 11), (1, 1, 11), (0, 1, 0), (1, 128, 1),
    ]
    problems = [problem(c, n, f"{c}/{n}") for c, n, _ in cases]
    expected = [0] * 12
    for _, _, b in cases:
        expected[b] += 1
    assert accuracy_histogram(problems) == pytest.approx([e / len(cases) for e in expected])


def test_histogram_edges_hold_for_every_n():
    # Against rational edges: bin i (1..10) holds (i-1)/10 < c/n <= i/10, save c/n = 1.
    for n in range(1, 41):
        for c in range(n + 1):
            share = Fraction(c, n)
            if c == 0:
                b = 0
            elif c == n:
                b = 11
            else:
                (b,) = [i for i in range(1, 11) if Fraction(i - 1, 10) < share <= Fraction(i, 10)]
            hist = accuracy_histogram([problem(c, n)])
            assert hist[b] == 1 and sum(hist) == 1, (c, n)


@pytest.mark.parametrize("base, other, expected", [
    ([0.2, 0.4, 0.6, 0.8], [0.5, 0.55, 0.58, 0.6], 3),  # the paper's picture: RL ahead at small k
    ([0.5, 0.6, 0.7, 0.8], [0.4, 0.5, 0.6, 0.7], 1),  # base ahead everywhere
    ([0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], None),  # base never ahead
    ([0.6, 0.5, 0.7, 0.9], [0.5, 0.6, 0.6, 0.6], 3),  # ahead, behind, ahead again: the last overtaking
    ([0.2, 0.5, 0.8, 0.8], [0.4, 0.5, 0.6, 0.8], 3),  # level at the end still counts as not behind
    ([0.5, 0.5, 0.5], [0.5, 0.5, 0.5], None),  # never ahead
])
def test_crossover(base, other, expected):
    assert crossover_k(curve(base), curve(other)) == expected


def scan_crossover(diff: list[float]) -> int:
    """First k from which the base is ahead and never behind again; 0 if none (by scanning)."""
    for k in range(1, len(diff) + 1):
        if diff[k - 1] > 0 and all(d >= 0 for d in diff[k - 1:]):
            return k
    return 0


def test_vectorised_crossover_matches_a_scan():
    rng = random.Random(5)
    rows = [[rng.choice([-0.2, -0.1, 0.0, 0.1, 0.3]) for _ in range(12)] for _ in range(2000)]
    assert crossover_ks(np.array(rows)).tolist() == [scan_crossover(row) for row in rows]


def test_delta_se_below_256_is_taken_at_the_largest_k_and_named_so():
    base, other = curve([0.2, 0.5, 0.9]), curve([0.6, 0.7, 0.75])
    assert delta_se_k(base, other) == 3 and delta_se_name(3) == "ΔSE@3"
    assert delta_se(base, other) == pytest.approx(0.9 - 0.6)
    # the largest k both curves have
    assert delta_se_k(curve([0.1] * 64), curve([0.1] * 32)) == 32


def test_delta_se_is_the_papers_at_256_even_with_more_samples():
    base = curve([i / 1024 for i in range(1, 1025)])  # pass@k = k / 1024
    other = curve([0.3] * 1024)
    assert delta_se_k(base, other) == 256 and delta_se_name(256) == "ΔSE"
    assert delta_se(base, other) == pytest.approx(256 / 1024 - 0.3)


def test_solvable_sets():
    base = [problem(c, 4, pid) for pid, c in [("a", 1), ("b", 0), ("c", 2), ("d", 0)]]
    other = [problem(c, 4, pid) for pid, c in [("d", 0), ("c", 0), ("b", 3), ("a", 4)]]
    sets = solvable_sets(base, other)
    assert (sets.only_base, sets.only_other, sets.both, sets.neither) == (["c"], ["b"], ["a"], ["d"])
