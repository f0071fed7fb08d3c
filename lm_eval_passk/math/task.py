"""The math pass@k task class: extract each response's final answer, grade it."""

from __future__ import annotations

import logging
from typing import Any

from ..harness import PassKTask
from ..settings import PassKConfigError

log = logging.getLogger(__name__)


class MathPassKTask(PassKTask):
    """Math word problems: extract the final answer, grade it against ``doc["answer"]``.

    ``metadata.last_number_fallback`` (GSM8K) lets the last number of a response count
    as its answer when it has no box and no "the answer is".
    """

    metadata_keys = PassKTask.metadata_keys | {"last_number_fallback"}

    def __init__(self, config: dict[str, Any]) -> None:
        from .grading import GRADING_MODES

        super().__init__(config)
        if self.settings.grader not in GRADING_MODES:
            raise PassKConfigError(
                f"{self.config.task}: unknown grader {self.settings.grader!r}; choose one of {', '.join(GRADING_MODES)}"
            )

    def score(self, responses, docs):
        from .extract import extract_math_answer
        from .grading import grade_answers

        fallback = bool((self.config.metadata or {}).get("last_number_fallback", False))
        answers = [[extract_math_answer(r, fallback) for r in rs] for rs in responses]
        flat_answers = [a for rs in answers for a in rs]
        flat_golds = [str(doc["answer"]) for doc, rs in zip(docs, answers) for _ in rs]
        grades = grade_answers(
            flat_answers,
            flat_golds,
            mode=self.settings.grader,
            timeout_s=self.settings.grading_timeout,
            desc=f"grading {self.config.task}",
        )
        if grades.failures:
            log.warning(
                "%s: %d of %d distinct answers timed out or crashed the grader and count as wrong",
                self.config.task, grades.failures, grades.distinct_pairs,
            )
        verdicts = iter(grades.verdicts)
        return [[{"answer": a, "correct": next(verdicts)} for a in rs] for rs in answers]
