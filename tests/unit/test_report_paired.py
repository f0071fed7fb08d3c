"""Paired statistics of base vs other, against an exact enumeration of every bootstrap
resample of a small case, the normal approximation on a large one, and binomial tails
summed by hand."""

from __future__ import annotations

import itertools
import math
import random
import statistics
from collections import Counter
from fractions import Fraction
from math import comb

import pytest

from lm_eval_passk.report.paired import k_ranges, mcnemar_exact, paired_bootstrap
from lm_eval_passk.report.runs import Problem


def problem(c: int, n: int, pid: str) -> Problem:
    verdicts = tuple(i < c for i in range(n))
    return Problem(pid, n, c, verdicts, tuple("x" for _ in verdicts), None)


def problems(counts: list[int], n: int) -> list[Problem]:
    return [problem(c, n, f"p{i}") for i, c in enumerate(counts)]


def exact_pass(n: int, c: int, k: int) -> Fraction:
    return 1 - Fraction(comb(n - c, k), comb(n, k))


def scan_crossover(diff: list[Fraction]) -> int:
    for k in range(1, len(diff) + 1):
        if diff[k - 1] > 0 and all(d >= 0 for d in diff[k - 1:]):
            return k
    return 0


def exact_bootstrap(base: list[int], other: list[int], n: int) -> list[tuple[int, list[Fraction]]]:
    """Every resample of the problems (a multiset of them, with the number of orderings
    that give it as its weight): the difference of the resampled means of pass@k,
    k = 1..n, in exact fractions."""
    size = len(base)
    per_problem = [[exact_pass(n, b, k) - exact_pass(n, o, k) for k in range(1, n + 1)] for b, o in zip(base, other)]
    out = []
    for picks in itertools.combinations_with_replacement(range(size), size):
        orderings = math.factorial(size)
        for repeats in Counter(picks).values():
            orderings //= math.factorial(repeats)
        out.append((orderings, [sum(per_problem[i][k] for i in picks) / size for k in range(n)]))
    return out


def quantile(weighted: list[tuple[int, object]], q: float):
    """The smallest value whose probability at or below it reaches q; asserts the share below
    it is clearly under q and at it clearly over q, so any large bootstrap lands on it too."""
    total = sum(w for w, _ in weighted)
    ordered = sorted(weighted, key=lambda pair: pair[1])
    seen = 0
    for w, value in ordered:
        seen += w
        if seen >= q * total:
            break
    below = sum(w for w, v in ordered if v < value) / total
    at = sum(w for w, v in ordered if v <= value) / total
    assert below < q - 0.005 and at > q + 0.005, "pick a case whose quantile is not at a jump"
    return value


# (base counts, other counts, n): small enough to enumerate every resample.
CASES = [
    ([2, 3, 4, 1, 4], [2, 3, 0, 0, 2], 4),  # base ahead at k = 1, 2; interval touches 0 at k = 3, 4
    ([2, 4, 3, 4, 3], [2, 0, 3, 0, 0], 4),  # base ahead at every k
]


@pytest.mark.parametrize("base, other, n", CASES)
def test_paired_bootstrap_matches_the_exact_bootstrap_distribution(base, other, n):
    distribution = exact_bootstrap(base, other, n)
    result = paired_bootstrap(problems(base, n), problems(other, n), iterations=40000, seed=7)
    for k in range(1, n + 1):
        values = [(w, d[k - 1]) for w, d in distribution]
        low, high = quantile(values, 0.025), quantile(values, 0.975)
        assert result.low[k - 1] == pytest.approx(float(low), abs=1e-12), k
        assert result.high[k - 1] == pytest.approx(float(high), abs=1e-12), k
        assert (k in result.base_ahead) == (low > 0) and (k in result.other_ahead) == (high < 0)
        point = sum(exact_pass(n, b, k) - exact_pass(n, o, k) for b, o in zip(base, other)) / len(base)
        assert result.difference[k - 1] == pytest.approx(float(point), abs=1e-12)


def test_the_first_case_is_ahead_only_where_the_interval_leaves_zero():
    result = paired_bootstrap(problems(CASES[0][0], 4), problems(CASES[0][1], 4), iterations=40000, seed=7)
    assert result.base_ahead == [1, 2] and result.other_ahead == []
    assert result.low[2] == 0 and result.low[3] == 0  # resamples of problems both models always solve


@pytest.mark.parametrize("base, other, interval", [
    # other ahead at small k, base at large k: the crossover moves from resample to resample
    ([2, 6, 2, 6, 3, 4, 1], [2, 6, 0, 5, 0, 0, 3], (1, 5)),
    ([0, 2, 4, 0, 1, 2, 3], [2, 2, 5, 1, 0, 4, 4], (2, None)),  # None: no crossover by k = n
])
def test_crossover_interval_against_the_exact_distribution(base, other, interval):
    n = 6
    distribution = exact_bootstrap(base, other, n)
    crossovers = [(w, scan_crossover(d) or n + 1) for w, d in distribution]
    result = paired_bootstrap(problems(base, n), problems(other, n), iterations=40000, seed=3)
    assert len({c for _, c in crossovers}) > 2
    point = scan_crossover([sum(exact_pass(n, b, k) - exact_pass(n, o, k) for b, o in zip(base, other))
                            for k in range(1, n + 1)])
    assert result.crossover_k == (point or None)
    low, high = quantile(crossovers, 0.025), quantile(crossovers, 0.975)
    assert (low, None if high > n else high) == interval  # the case is what it claims to be
    assert (result.crossover_low, result.crossover_high) == interval
    none_share = sum(w for w, c in crossovers if c > n) / sum(w for w, _ in crossovers)
    assert result.no_crossover_share == pytest.approx(none_share, abs=0.01)


def test_one_resample_serves_both_models():
    # Every problem: the other model has one correct sample fewer, so pass@1 differs by
    # exactly 1/n on every problem. Paired, the interval has no width; resampling the two
    # runs independently would give a wide one (the problems range from c = 1 to 8).
    n = 8
    base = problems([1 + i % 8 for i in range(40)], n)
    other = problems([i % 8 for i in range(40)], n)
    result = paired_bootstrap(base, other, iterations=500)
    assert result.low[0] == pytest.approx(1 / n) and result.high[0] == pytest.approx(1 / n)
    assert result.base_ahead == list(range(1, n + 1))


def test_pairs_by_id_not_by_position():
    n = 4
    base = problems([4, 0, 2], n)
    other = list(reversed(problems([4, 0, 2], n)))
    result = paired_bootstrap(base, other, iterations=200)
    assert result.low == [0.0] * n and result.high == [0.0] * n
    assert result.base_ahead == [] and result.other_ahead == [] and result.crossover_k is None


def test_interval_matches_the_normal_approximation_on_a_large_benchmark():
    # 500 problems, n = 128 (MATH500 as the paper samples it): a broad base model and a
    # sharper "RL" one. The percentile interval of a mean of 500 paired differences is close
    # to mean +- 1.96 sd / sqrt(500), with sd taken over the per-problem differences.
    rng = random.Random(11)
    n, count = 128, 500
    base_counts, other_counts = [], []
    for _ in range(count):
        p = rng.random()
        base_counts.append(sum(rng.random() < p for _ in range(n)))
        sharp = min(1.0, p * 1.6) if p > 0.35 else p * 0.3
        other_counts.append(sum(rng.random() < sharp for _ in range(n)))
    result = paired_bootstrap(problems(base_counts, n), problems(other_counts, n), iterations=4000, seed=2)
    for k in (1, 8, 128):
        diffs = [float(exact_pass(n, b, k) - exact_pass(n, o, k)) for b, o in zip(base_counts, other_counts)]
        mean, half = statistics.fmean(diffs), 1.96 * statistics.stdev(diffs) / math.sqrt(count)
        assert result.difference[k - 1] == pytest.approx(mean, abs=1e-12)
        assert result.high[k - 1] - mean == pytest.approx(half, rel=0.12), k
        assert mean - result.low[k - 1] == pytest.approx(half, rel=0.12), k
    assert 1 in result.other_ahead and 128 in result.base_ahead


@pytest.mark.parametrize("only_base, only_other", [(0, 0), (0, 5), (5, 0), (1, 9), (3, 3), (4, 7), (12, 30)])
def test_mcnemar_is_the_exact_two_sided_binomial_test(only_base, only_other):
    # Sum of the probabilities of all outcomes no more likely than the observed one,
    # under Binomial(discordant, 1/2).
    m = only_base + only_other
    observed = comb(m, only_base)
    p = Fraction(sum(comb(m, i) for i in range(m + 1) if comb(m, i) <= observed), 2**m)
    assert mcnemar_exact(only_base, only_other).p_value == pytest.approx(float(p), rel=1e-12)


def test_mcnemar_hand_values():
    assert mcnemar_exact(0, 5).p_value == pytest.approx(2 / 32)
    assert mcnemar_exact(1, 9).p_value == pytest.approx(22 / 1024)
    assert mcnemar_exact(0, 0).p_value == 1.0


@pytest.mark.parametrize("ks, text", [
    ([], "—"), ([4], "4"), ([1, 2, 3, 8], "1–3, 8"), ([32, 33, 64, 65, 66], "32–33, 64–66"),
])
def test_k_ranges(ks, text):
    assert k_ranges(ks) == text
