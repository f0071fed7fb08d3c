"""The one pass@k / maj@k implementation: exact integer arithmetic, no lm_eval import."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from math import comb
from typing import Sequence


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k of one problem with ``c`` correct answers among ``n`` samples.

    ``1 - C(n-c, k) / C(n, k)``, computed on exact integers and rounded once, so it
    stays exact for n in the thousands where float binomials overflow or cancel.
    """
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"pass@{k} needs at least {k} samples per problem, got n={n}")
    return float(1 - Fraction(comb(n - c, k), comb(n, k)))


def problem_metrics(ks: Sequence[int], answers: Sequence[str | None], verdicts: Sequence[bool]) -> dict[str, float]:
    """pass@k for each k, ``maj@n`` and ``no_answer`` of one problem's n samples."""
    n, c = len(verdicts), sum(verdicts)
    metrics = {f"pass@{k}": pass_at_k(n, c, k) for k in ks}
    metrics[f"maj@{n}"] = majority_accuracy(answers, verdicts)
    metrics["no_answer"] = sum(a is None for a in answers) / n
    return metrics


def default_ks(n: int) -> list[int]:
    """Powers of two up to ``n``, and ``n`` itself."""
    ks, k = [], 1
    while k <= n:
        ks.append(k)
        k *= 2
    if ks[-1] != n:
        ks.append(n)
    return ks


def majority_accuracy(answers: Sequence[str | None], verdicts: Sequence[bool]) -> float:
    """Accuracy of majority voting over the samples.

    Correct answers are all equivalent to the gold, so they vote as one; wrong answers
    vote by their text; samples without an answer do not vote. A tie between the top
    answers counts as a uniform random pick among them, so the value does not depend
    on the order of the samples.
    """
    votes = Counter(_CORRECT if correct else answer
                    for answer, correct in zip(answers, verdicts, strict=True) if answer is not None)
    if not votes:
        return 0.0
    top = max(votes.values())
    leaders = [key for key, count in votes.items() if count == top]
    return 1 / len(leaders) if _CORRECT in leaders else 0.0


_CORRECT = object()
