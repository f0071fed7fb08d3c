"""Math answer equivalence: an extracted answer against a gold answer.

Grading runs in worker processes (see ``pool``) so that sympy's worst cases are cut
off by a hard timeout wherever the caller runs, and each distinct
(answer, gold) pair is graded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .pool import map_with_timeout

GRADING_MODES = ("math_verify",)


def math_verify_equal(pair: tuple[str, str]) -> bool:
    """math-verify's verdict on (answer, gold); both are bare answers, not responses."""
    from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify

    answer, gold = pair
    config = [LatexExtractionConfig(), ExprExtractionConfig()]
    parsed_gold = parse(f"\\boxed{{{gold}}}", extraction_config=config)
    parsed_answer = parse(f"\\boxed{{{answer}}}", extraction_config=config)
    return bool(verify(parsed_gold, parsed_answer))


_EQUAL = {"math_verify": f"{__name__}:math_verify_equal"}


@dataclass(frozen=True)
class Grades:
    verdicts: list[bool]
    distinct_pairs: int
    failures: int  # pairs that timed out or crashed the grader, scored incorrect


def grade_answers(
    answers: Sequence[str | None],
    golds: Sequence[str],
    *,
    mode: str = "math_verify",
    timeout_s: float = 10.0,
    workers: int | None = None,
    desc: str | None = "grading",
) -> Grades:
    """Verdict for each (answer, gold); a missing answer is wrong without grading."""
    if mode not in _EQUAL:
        raise ValueError(f"unknown grading mode {mode!r}; choose one of {', '.join(GRADING_MODES)}")
    pairs = sorted({(a, g) for a, g in zip(answers, golds, strict=True) if a is not None})
    values, failures = map_with_timeout(
        _EQUAL[mode], [list(p) for p in pairs], timeout_s=timeout_s, fallback=False, workers=workers, desc=desc
    )
    verdict_of = dict(zip(pairs, values))
    verdicts = [a is not None and verdict_of[(a, g)] for a, g in zip(answers, golds)]
    return Grades(verdicts=verdicts, distinct_pairs=len(pairs), failures=failures)
