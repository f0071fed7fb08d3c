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
    metrics[f"maj@{n}"] = float(majority_correct(answers, verdicts))
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


def majority_correct(answers: Sequence[str | None], verdicts: Sequence[bool]) -> bool:
    """Whether majority voting over the samples picks a correct answer.

    Correct answers are all equivalent to the gold, so they vote as one; wrong answers
    vote by their text. Samples without an answer do not vote; a tie goes to the
    answer seen first.
    """
    votes: Counter[object] = Counter()
    first_seen: dict[object, int] = {}
    for i, (answer, correct) in enumerate(zip(answers, verdicts, strict=True)):
        if answer is None:
            continue
        key = _CORRECT if correct else answer
        votes[key] += 1
        first_seen.setdefault(key, i)
    if not votes:
        return False
    winner = max(votes, key=lambda key: (votes[key], -first_seen[key]))
    return winner is _CORRECT


_CORRECT = object()
