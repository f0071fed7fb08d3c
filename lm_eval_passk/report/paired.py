"""Paired statistics of a base model against another on the same problems: a paired
bootstrap of pass@k(base) - pass@k(other) for every k (one resample of the problems
serves both models), the k over which each model is ahead with confidence, the
crossover k with its own interval, and an exact McNemar test on the solvable sets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import comb

import numpy as np

from .curves import TIE, crossover_ks, pass_at_k_matrix
from .runs import Problem


@dataclass(frozen=True)
class PairedDifference:
    ks: list[int]
    """1, 2, ..., the largest k both models have."""
    difference: list[float]
    """pass@k(base) - pass@k(other), k = 1, 2, ..."""
    low: list[float]
    high: list[float]
    """Percentile interval of the paired bootstrap."""
    confidence: float
    base_ahead: list[int]
    """The k where the whole interval is above 0 (ahead with confidence)."""
    other_ahead: list[int]
    """The k where the whole interval is below 0."""
    crossover_k: int | None
    crossover_low: int | None
    crossover_high: int | None
    """Percentile interval of the resamples' crossover k; None where that end of the
    interval is a resample in which the base model does not overtake by the largest k."""
    no_crossover_share: float
    """Share of resamples in which the base model does not overtake."""


def aligned(base: Sequence[Problem], other: Sequence[Problem]) -> list[Problem]:
    """``other``'s problems in ``base``'s order (the runs hold the same ids)."""
    by_id = {p.id: p for p in other}
    return [by_id[p.id] for p in base]


def paired_bootstrap(base: Sequence[Problem], other: Sequence[Problem], *, iterations: int = 1000,
                     confidence: float = 0.95, seed: int = 0) -> PairedDifference:
    """Resample the problems ``iterations`` times with replacement, the same problems for
    both models, and take percentiles of the difference of their mean pass@k."""
    other = aligned(base, other)
    k_max = min(p.n for p in [*base, *other])
    base_matrix, other_matrix = pass_at_k_matrix(base, k_max), pass_at_k_matrix(other, k_max)
    count = len(base)
    weights = np.random.default_rng(seed).multinomial(count, np.full(count, 1 / count), size=iterations)
    resampled = weights @ base_matrix / count - weights @ other_matrix / count
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(resampled, [tail, 100 - tail], axis=0)
    difference = base_matrix.mean(axis=0) - other_matrix.mean(axis=0)
    ks = list(range(1, k_max + 1))
    # A resample without a crossover counts as k_max + 1: later than any crossover.
    crossovers = crossover_ks(resampled)
    crossovers = np.where(crossovers == 0, k_max + 1, crossovers)
    cross_low, cross_high = (int(np.percentile(crossovers, q, method="inverted_cdf")) for q in (tail, 100 - tail))
    point = int(crossover_ks(difference))
    return PairedDifference(
        ks=ks,
        difference=difference.tolist(),
        low=low.tolist(),
        high=high.tolist(),
        confidence=confidence,
        base_ahead=[k for k, lo in zip(ks, low) if lo > TIE],
        other_ahead=[k for k, hi in zip(ks, high) if hi < -TIE],
        crossover_k=point or None,
        crossover_low=cross_low if cross_low <= k_max else None,
        crossover_high=cross_high if cross_high <= k_max else None,
        no_crossover_share=float(np.mean(crossovers > k_max)),
    )


@dataclass(frozen=True)
class McNemar:
    """Exact McNemar test on the problems solved (at k = n) by one model only."""

    only_base: int
    only_other: int
    p_value: float
    """Two-sided: under "both models solve the same problems", each discordant problem
    is the base model's with probability 1/2."""


def mcnemar_exact(only_base: int, only_other: int) -> McNemar:
    discordant = only_base + only_other
    tail = sum(comb(discordant, i) for i in range(min(only_base, only_other) + 1))
    p_value = min(Fraction(1), Fraction(2 * tail, 2**discordant))
    return McNemar(only_base, only_other, float(p_value))


def k_ranges(ks: Sequence[int]) -> str:
    """``[1, 2, 3, 8, 9]`` -> ``"1–3, 8–9"``; ``"—"`` when empty."""
    runs: list[list[int]] = []
    for k in ks:
        if runs and k == runs[-1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or "—"
