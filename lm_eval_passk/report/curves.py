"""The numbers behind the reports: pass@k curves with bootstrap bands, maj@k, and the
base-vs-other comparisons of arXiv 2504.13837 (crossover k, ΔSE, solvable sets,
per-problem accuracy histogram). Pure functions of ``Problem`` lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..estimators import default_ks, majority_accuracy, pass_at_k
from .runs import Problem

HISTOGRAM_BINS = ("0", *(f"({i / 10:.1f}, {(i + 1) / 10:.1f}]" for i in range(9)), "(0.9, 1.0)", "1")
"""Fig. 5 of the paper: exactly 0, (0, 0.1], ..., (0.8, 0.9], (0.9, 1.0), exactly 1."""
PAPER_SE_K = 256
"""The paper's ΔSE = pass@256(base) - pass@1(RL)."""
TIE = 1e-12
"""Differences of pass@k this small are rounding of equal means (sums of the same values
in another order), never a model being ahead."""


@dataclass(frozen=True)
class Curve:
    ks: list[int]
    """1, 2, ..., n."""
    pass_at_k: list[float]
    low: list[float]
    high: list[float]
    """The bootstrap confidence band (resampling problems)."""
    confidence: float

    def at(self, k: int) -> float:
        return self.pass_at_k[k - 1]


@cache
def _pass_at_ks(n: int, c: int, k_max: int) -> tuple[float, ...]:
    return tuple(pass_at_k(n, c, k) for k in range(1, k_max + 1))


def pass_at_k_matrix(problems: Sequence[Problem], k_max: int) -> np.ndarray:
    """``[i, k-1]`` = pass@k of problem i (problems sharing (n, c) computed once)."""
    return np.array([_pass_at_ks(p.n, p.c, k_max) for p in problems], dtype=float).reshape(len(problems), k_max)


def pass_at_k_curve(
    problems: Sequence[Problem], *, iterations: int = 1000, confidence: float = 0.95, seed: int = 0
) -> Curve:
    """Mean pass@k over problems for every k up to n, with a percentile bootstrap band:
    ``iterations`` resamples of the problems (with replacement), drawn from ``seed``."""
    k_max = min(p.n for p in problems)
    matrix = pass_at_k_matrix(problems, k_max)
    count = len(problems)
    # A resample is a multinomial count per problem; counts @ matrix averages it.
    weights = np.random.default_rng(seed).multinomial(count, np.full(count, 1 / count), size=iterations)
    resampled = weights @ matrix / count
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(resampled, [tail, 100 - tail], axis=0)
    return Curve(
        ks=list(range(1, k_max + 1)),
        pass_at_k=matrix.mean(axis=0).tolist(),
        low=low.tolist(),
        high=high.tolist(),
        confidence=confidence,
    )


def table_ks(n: int) -> list[int]:
    """The k of the printed tables: powers of two up to n, and n."""
    return default_ks(n)


def maj_at_k(
    problems: Sequence[Problem], ks: Sequence[int], *, draws: int = 4096, seed: int = 0
) -> dict[int, float]:
    """Expected accuracy of a majority vote over k samples, by Monte Carlo: for random
    orders of each problem's n samples, the majority-vote accuracy of the first k
    (``majority_accuracy``, which averages ties), averaged; so for k < n the choice of
    samples is averaged out, and at k = n it equals the harness's ``maj@n``. About ``draws`` orders in all (at least 8 per problem)
    keep the simulation error of the mean under 0.5 / sqrt(draws)."""
    orderings = max(8, -(-draws // len(problems)))
    rng = np.random.default_rng(seed)
    totals = dict.fromkeys(ks, 0.0)
    for p in problems:
        if p.c in (0, p.n):  # every vote is wrong (or right) whatever the order
            for k in ks:
                totals[k] += orderings * (p.c > 0)
            continue
        sampled = [k for k in ks if 1 < k < p.n]
        for k in ks:  # exact where no choice of samples is involved
            if k == 1:
                totals[k] += orderings * p.c / p.n
            elif k == p.n:
                totals[k] += orderings * majority_accuracy(p.answers, p.verdicts)
        for _ in range(orderings if sampled else 0):
            order = rng.permutation(p.n)
            answers = [p.answers[i] for i in order]
            verdicts = [p.verdicts[i] for i in order]
            for k in sampled:
                totals[k] += majority_accuracy(answers[:k], verdicts[:k])
    return {k: totals[k] / (len(problems) * orderings) for k in ks}


def never_solved(problems: Sequence[Problem]) -> float:
    """Share of problems with no correct sample at all."""
    return sum(p.c == 0 for p in problems) / len(problems)


def accuracy_bin(c: int, n: int) -> int:
    """Index in ``HISTOGRAM_BINS`` of accuracy c/n, in integers (0.3 is not 0.30000000000000004)."""
    if c == 0:
        return 0
    if c == n:
        return len(HISTOGRAM_BINS) - 1
    return -(-10 * c // n)  # ceil(10 c / n): (0, 0.1] -> 1, ..., (0.9, 1.0) -> 10


def accuracy_histogram(problems: Sequence[Problem]) -> list[float]:
    """Share of problems per ``HISTOGRAM_BINS`` bin of per-sample accuracy c/n."""
    counts = [0] * len(HISTOGRAM_BINS)
    for p in problems:
        counts[accuracy_bin(p.c, p.n)] += 1
    return [count / len(problems) for count in counts]


def crossover_ks(difference: np.ndarray) -> np.ndarray:
    """Crossover k of each row of pass@k(base) - pass@k(other) (column j is k = j + 1):
    the first k at which the base model is ahead and after which it never trails again;
    0 where it does not overtake by the last column. Within ``TIE`` of 0 is level."""
    k_max = difference.shape[-1]
    ks = np.arange(1, k_max + 1)
    behind = difference < -TIE
    last_behind = np.where(behind.any(axis=-1), k_max - np.argmax(behind[..., ::-1], axis=-1), 0)
    ahead = (difference > TIE) & (ks > last_behind[..., None])
    return np.where(ahead.any(axis=-1), np.argmax(ahead, axis=-1) + 1, 0)


def crossover_k(base: Curve, other: Curve) -> int | None:
    """Where the base model overtakes (``crossover_ks``): 1 if it never trails, None if
    it does not overtake by the largest k both curves have."""
    k_max = min(len(base.ks), len(other.ks))
    k = int(crossover_ks(np.subtract(base.pass_at_k[:k_max], other.pass_at_k[:k_max])))
    return k or None


def delta_se_k(base: Curve, other: Curve) -> int:
    """The k of ΔSE: the paper's 256, or the largest k both curves have when that is less."""
    return min(PAPER_SE_K, len(base.ks), len(other.ks))


def delta_se_name(k: int) -> str:
    """The paper's name only for the paper's definition: ``ΔSE`` at k = 256, else ``ΔSE@k``."""
    return "ΔSE" if k == PAPER_SE_K else f"ΔSE@{k}"


def delta_se(base: Curve, other: Curve) -> float:
    """pass@k(base) - pass@1(other) at k = ``delta_se_k``."""
    return base.at(delta_se_k(base, other)) - other.at(1)


@dataclass(frozen=True)
class SolvableSets:
    """Problem ids by which model solves them (at least one correct of n samples)."""

    only_base: list[str]
    only_other: list[str]
    both: list[str]
    neither: list[str]


def solvable_sets(base: Sequence[Problem], other: Sequence[Problem]) -> SolvableSets:
    """Both lists must hold the same problems (ids); order follows ``base``."""
    solved_by_other = {p.id: p.c > 0 for p in other}
    sets = SolvableSets([], [], [], [])
    for p in base:
        by_base, by_other = p.c > 0, solved_by_other[p.id]
        if by_base and by_other:
            sets.both.append(p.id)
        elif by_base:
            sets.only_base.append(p.id)
        elif by_other:
            sets.only_other.append(p.id)
        else:
            sets.neither.append(p.id)
    return sets
