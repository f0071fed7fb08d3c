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

HISTOGRAM_BINS = np.linspace(0.0, 1.0, 11)


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


def accuracy_histogram(problems: Sequence[Problem]) -> list[float]:
    """Share of problems per bin of per-sample accuracy c/n: [0, 0.1), ..., [0.9, 1.0]
    (Fig. 5 of the paper)."""
    counts, _ = np.histogram([p.c / p.n for p in problems], bins=HISTOGRAM_BINS)
    return (counts / len(problems)).tolist()


def crossover_k(base: Curve, other: Curve) -> int | None:
    """Where the base model overtakes: the first k at which it is ahead and after which
    it never trails again (1 if it never trails; None if it does not overtake by the
    largest k both curves have)."""
    ks = range(1, min(len(base.ks), len(other.ks)) + 1)
    behind = [k for k in ks if base.at(k) < other.at(k)]
    ahead = [k for k in ks if base.at(k) > other.at(k) and (not behind or k > behind[-1])]
    return ahead[0] if ahead else None


def delta_se(base: Curve, other: Curve) -> float:
    """ΔSE: the base model's pass@k at its largest k minus the other model's pass@1."""
    return base.pass_at_k[-1] - other.at(1)


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
