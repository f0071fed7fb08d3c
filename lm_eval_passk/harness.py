"""The only module that speaks lm-eval: the pass@k task class and its scoring hook.

A task YAML selects a class here with ``class: !function lm_eval_passk.harness.MathPassKTask``.
The class reads n / k from the task metadata (``--metadata`` overrides it), sets
``repeats = n``, grades all samples of the task in one batch (an lm-eval filter, the
one hook that sees every response at once) and reports pass@k per problem.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from lm_eval.api.filter import Filter, FilterEnsemble
from lm_eval.api.metrics import mean
from lm_eval.api.task import ConfigurableTask

from .estimators import majority_correct, pass_at_k
from .settings import PassKConfigError, PassKSettings

log = logging.getLogger(__name__)

FILTER_NAME = "passk"


class PassKTask(ConfigurableTask):
    """A generate-until task scored by pass@k over ``n`` samples per problem.

    Subclasses implement :meth:`score` (responses of every problem -> one record per
    sample with at least ``answer`` and ``correct``).
    """

    def __init__(self, config: dict[str, Any]) -> None:
        config = {key: value for key, value in config.items() if key != "class"}
        self.settings = PassKSettings.from_metadata(config["task"], config.get("metadata") or {})
        config["repeats"] = self.settings.n
        super().__init__(config=config)
        # The default "take_first" filter would keep 1 of the n samples.
        self._filters = [FilterEnsemble(name=FILTER_NAME, filters=[lambda: _ScoreFilter(self)])]

    def score(self, responses: Sequence[Sequence[str]], docs: Sequence[dict]) -> list[list[dict]]:
        raise NotImplementedError

    def metric_names(self) -> list[str]:
        return [f"pass@{k}" for k in self.settings.ks] + [f"maj@{self.settings.n}", "no_answer", FILTER_NAME]

    def process_results(self, doc: dict, results: list[list[dict]]) -> dict[str, Any]:
        (samples,) = results
        n, c = len(samples), sum(s["correct"] for s in samples)
        if n != self.settings.n:  # e.g. a model backend that dropped requests
            raise RuntimeError(f"{self.config.task}: expected {self.settings.n} samples for a problem, got {n}")
        answers = [s["answer"] for s in samples]
        verdicts = [bool(s["correct"]) for s in samples]
        metrics: dict[str, Any] = {f"pass@{k}": pass_at_k(n, c, k) for k in self.settings.ks}
        metrics[f"maj@{n}"] = float(majority_correct(answers, verdicts))
        metrics["no_answer"] = sum(a is None for a in answers) / n
        metrics[FILTER_NAME] = {"n": n, "c": c, "verdicts": verdicts, "answers": answers}
        return metrics

    def aggregation(self) -> dict[str, Any]:
        aggregations = {name: mean for name in self.metric_names()}
        aggregations[FILTER_NAME] = pooled_accuracy
        return aggregations

    def higher_is_better(self) -> dict[str, bool]:
        return {name: name != "no_answer" for name in self.metric_names()}


def pooled_accuracy(records: Sequence[dict]) -> float:
    """Share of correct samples over all problems (the ``passk`` row of the table)."""
    return sum(r["c"] for r in records) / sum(r["n"] for r in records)


class _ScoreFilter(Filter):
    def __init__(self, task: PassKTask) -> None:
        super().__init__()
        self.task = task

    def apply(self, resps, docs):
        return self.task.score([list(r) for r in resps], list(docs))


class MathPassKTask(PassKTask):
    """Math word problems: extract the final answer, grade it against ``doc["answer"]``.

    ``metadata.last_number_fallback`` (GSM8K) lets the last number of a response count
    as its answer when it has no box and no "the answer is".
    """

    def __init__(self, config: dict[str, Any]) -> None:
        from .grading.math import GRADING_MODES

        super().__init__(config)
        if self.settings.grader not in GRADING_MODES:
            raise PassKConfigError(
                f"{self.config.task}: unknown grader {self.settings.grader!r}; choose one of {', '.join(GRADING_MODES)}"
            )

    def score(self, responses, docs):
        from .extract import extract_math_answer
        from .grading.math import grade_answers

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


class VisionPassKTask(PassKTask):
    """Problems with an image (MathVista): the task YAML's ``doc_to_image`` hands the
    image to a multimodal backend (``hf-multimodal``, ``vllm-vlm``); each response is
    graded by :mod:`lm_eval_passk.grading.vision` against the doc's answer fields."""

    def score(self, responses, docs):
        from .grading.vision import VisionProblem, grade_response

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
