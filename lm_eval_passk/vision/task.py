"""The vision pass@k task class: each response graded against the doc's answer fields."""

from __future__ import annotations

import logging

from ..harness import PassKTask

log = logging.getLogger(__name__)


class VisionPassKTask(PassKTask):
    """Problems with an image (MathVista): the task YAML's ``doc_to_image`` hands the
    image to a multimodal backend (``hf-multimodal``, ``vllm-vlm``); each response is
    graded by :mod:`lm_eval_passk.vision.grading` against the doc's answer fields."""

    def score(self, responses, docs):
        from .grading import grade_response
        from .problem import VisionProblem

        scored, failures = [], 0
        for doc, doc_responses in zip(docs, responses):
            problem = VisionProblem.from_doc(doc)
            records = []
            for response in doc_responses:
                try:
                    grade = grade_response(response, problem)
                except Exception:  # one unreadable sample scores 0, the run goes on
                    log.exception("%s: grading a response of problem %s failed", self.config.task, doc.get("id"))
                    failures += 1
                    records.append({"answer": None, "correct": False})
                    continue
                records.append({"answer": grade.answer, "correct": grade.correct})
            scored.append(records)
        if failures:
            log.warning("%s: %d responses could not be graded and count as wrong", self.config.task, failures)
        return scored


class MathVisionPassKTask(PassKTask):
    """MathVision (MATH-V): as :class:`VisionPassKTask`, graded by
    :mod:`lm_eval_passk.vision.mathvision_grading`: multiple choice by option letter,
    free-form answers (numbers, fractions, roots, pi) by value, each distinct
    expression comparison under ``grading_timeout`` in worker processes."""

    def score(self, responses, docs):
        from .mathvision_grading import grade_all

        grades = grade_all(responses, docs, timeout_s=self.settings.grading_timeout,
                           desc=f"grading {self.config.task}")
        if grades.failures:
            log.warning("%s: %d of %d distinct answers timed out or crashed the grader and count as wrong",
                        self.config.task, grades.failures, grades.compared)
        if grades.unreadable:
            log.warning("%s: %d responses could not be graded and count as wrong", self.config.task, grades.unreadable)
        return grades.records
