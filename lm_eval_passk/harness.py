"""The only module that speaks lm-eval: the pass@k task class and its scoring hook.

Each wing subclasses :class:`PassKTask` (``lm_eval_passk.math.task.MathPassKTask``, ...),
which a task YAML selects with ``class: !function``. The class reads n / k from the task metadata (``--metadata`` overrides it), sets
``repeats = n``, grades all samples of the task in one batch (an lm-eval filter, the
one hook that sees every response at once) and reports pass@k per problem.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from lm_eval.api.filter import Filter, FilterEnsemble
from lm_eval.api.metrics import mean
from lm_eval.api.task import ConfigurableTask

from .estimators import problem_metrics
from .settings import METADATA_KEYS, PassKSettings

log = logging.getLogger(__name__)

FILTER_NAME = "passk"


class PassKTask(ConfigurableTask):
    """A generate-until task scored by pass@k over ``n`` samples per problem.

    Subclasses implement :meth:`score` (responses of every problem -> one record per
    sample with at least ``answer`` and ``correct``) and add the metadata keys they read
    to ``metadata_keys``.
    """

    metadata_keys: ClassVar[frozenset[str]] = METADATA_KEYS

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
        metrics: dict[str, Any] = problem_metrics(self.settings.ks, answers, verdicts)
        metrics[FILTER_NAME] = {"n": n, "c": c, "verdicts": verdicts, "answers": answers}
        reasons = [s.get("finish_reason") for s in samples]
        if any(r is not None for r in reasons):
            metrics[FILTER_NAME].update(
                finish_reasons=reasons,
                gen_tokens=[s.get("gen_tokens") for s in samples],
                truncated=sum(r == "length" for r in reasons),
            )
        if any(s.get("grading_failed") for s in samples):
            metrics[FILTER_NAME]["grading_failed"] = True
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
        responses = [list(r) for r in resps]
        try:
            records = self.task.score(responses, list(docs))
        except Exception:  # noqa: BLE001 - hours of generation must reach the samples file
            log.exception(
                "%s: grading failed; every sample is scored wrong and marked grading_failed. The responses "
                "are in the --log_samples file: grade them again with `lm-eval-passk rescore RUN_DIR`",
                self.task.config.task,
            )
            records = [[{"answer": None, "correct": False, "grading_failed": True} for _ in rs] for rs in responses]
        # backends that say how a sample ended (--model vllm_n returns GeneratedText) tell us here
        for rs, recs in zip(responses, records):
            for response, record in zip(rs, recs):
                if getattr(response, "finish_reason", None) is not None:
                    record["finish_reason"] = response.finish_reason
                    record["gen_tokens"] = response.num_tokens
        return records
