"""Math answer equivalence: extracted answers against gold answers, in bulk.

Two modes, chosen per run (``--metadata '{"grader": "paper"}'``):

- ``math_verify`` (default, strict): Math-Verify's comparison with exact numbers
  compared exactly (``strict``);
- ``paper``: Qwen2.5-Math's ``math_equal``, as arXiv 2504.13837 graded (``paper``).

Each distinct (answer, gold) pair is graded once, in worker processes (see ``pool``),
so sympy's worst cases are cut off by a hard timeout wherever the caller runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..pool import map_with_timeout

# "module:function" run by the workers, which import the module before taking work.
_EQUAL = {
    "math_verify": f"{__package__}.strict:equal",
    "paper": f"{__package__}.paper:equal",
}
GRADING_MODES = tuple(_EQUAL)


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
    # Sorted by gold, so that a worker's batch shares one parsed gold.
    pairs = sorted({(a, g) for a, g in zip(answers, golds, strict=True) if a is not None}, key=lambda p: (p[1], p[0]))
    values, failures = map_with_timeout(
        _EQUAL[mode], [list(p) for p in pairs], timeout_s=timeout_s, fallback=False, workers=workers, desc=desc
    )
    verdict_of = dict(zip(pairs, values))
    verdicts = [a is not None and verdict_of[(a, g)] for a, g in zip(answers, golds)]
    return Grades(verdicts=verdicts, distinct_pairs=len(pairs), failures=failures)
