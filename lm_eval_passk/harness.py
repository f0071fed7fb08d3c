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

from .estimators import pass_at_k, problem_metrics
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


class CodePassKTask(PassKTask):
    """Code generation (``dataset_kwargs.benchmark``: humanevalplus | livecodebench):
    extract the program of each response, run each distinct program of a problem
    once in the sandbox, judge it by the benchmark's rules. HumanEval+ reports
    ``pass@k`` on base + plus tests (evalplus's HumanEval+ number) and ``base_pass@k``.

    Metadata: ``memory_mb`` (4096); HumanEval+ ``min_time_limit`` (1 s) and
    ``time_limit_factor`` (4 x the canonical solution's time); LiveCodeBench
    ``timeout`` (6 s per test), ``release_version``, ``start_date``, ``end_date``.
    """

    _POSITIVE = {"memory_mb": 4096, "min_time_limit": 1.0, "time_limit_factor": 4.0, "timeout": 6.0}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.options = {**(self.config.metadata or {}), **(self.config.dataset_kwargs or {})}
        self.benchmark = self.options.get("benchmark")
        if self.benchmark not in ("humanevalplus", "livecodebench"):
            raise PassKConfigError(f"{self.config.task}: dataset_kwargs.benchmark must be humanevalplus or livecodebench")
        for key, default in self._POSITIVE.items():
            value = self.options.setdefault(key, default)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise PassKConfigError(f"{self.config.task}: {key} must be a positive number, got {value!r}")

    @property
    def _reports_base(self) -> bool:
        return self.benchmark == "humanevalplus"

    def metric_names(self) -> list[str]:
        base = [f"base_pass@{k}" for k in self.settings.ks] if self._reports_base else []
        return super().metric_names() + base

    def process_results(self, doc: dict, results: list[list[dict]]) -> dict[str, Any]:
        metrics = super().process_results(doc, results)
        if self._reports_base:
            (samples,) = results
            c = sum(s.get("base", False) for s in samples)  # no "base" when grading failed
            metrics.update({f"base_pass@{k}": pass_at_k(len(samples), c, k) for k in self.settings.ks})
        return metrics

    def score(self, responses, docs):
        from .grading import code
        from .sandbox import Limits

        isolation = code.isolation_for_run()
        if self.benchmark == "humanevalplus":
            suites, answers = self._humaneval_plus(responses, docs, isolation)
        else:
            suites, answers = self._livecodebench(responses, docs)
        keys = [k for k, rs in zip(suites, answers) for _ in rs]
        flat = [a for rs in answers for a in rs]
        graded = [(k, a) for k, a in zip(keys, flat) if a is not None and suites[k] is not None]
        verdicts = iter(code.grade_programs(
            {k: s for k, s in suites.items() if s is not None}, graded,
            limits=Limits(memory_mb=int(self.options["memory_mb"])), isolation=isolation,
            desc=f"running {self.config.task} programs",
        ))
        records = []
        for key, doc_answers in zip(suites, answers):
            doc_records = []
            for answer in doc_answers:
                v = next(verdicts) if answer is not None and suites[key] is not None else None
                doc_records.append({
                    "answer": answer, "correct": bool(v and v.verdict == "pass"),
                    "status": v.verdict if v else ("no_code" if answer is None else "no_tests"),
                    "base": bool(v and v.passed.get("base", v.verdict == "pass")),
                    "failed_test": v.failed_test if v else None,
                })
            records.append(doc_records)
        return records

    def _humaneval_plus(self, responses, docs, isolation):
        from .code_data import humaneval_plus_rows
        from .grading import code
        from .sandbox import Limits

        rows = humaneval_plus_rows(self.options)
        wanted = [rows[d["task_id"]] for d in docs]
        references = code.record_reference(
            [(r["prompt"] + r["canonical_solution"], r["entry_point"], r["base_input"] + r["plus_input"]) for r in wanted],
            time_limit=60.0, limits=Limits(), isolation=isolation, desc=f"{self.config.task}: canonical solutions",
        )
        suites = {}
        for row, reference in zip(wanted, references):
            if isinstance(reference, str):
                log.warning("%s: the canonical solution of %s failed (%s); its samples score 0",
                            self.config.task, row["task_id"], reference)
                suites[row["task_id"]] = None
                continue
            suites[row["task_id"]] = code.humaneval_plus_suite(
                row, *reference, min_time_limit=float(self.options["min_time_limit"]),
                time_limit_factor=float(self.options["time_limit_factor"]))
        answers = [[code.extract_function_code(r, row["entry_point"]) for r in rs] for rs, row in zip(responses, wanted)]
        return suites, answers

    def _livecodebench(self, responses, docs):
        from .code_data import lcb_tests, livecodebench_rows
        from .grading import code

        rows = livecodebench_rows(self.options)
        suites = {}
        for doc in docs:
            try:
                suites[doc["question_id"]] = code.lcb_suite(*lcb_tests(rows[doc["question_id"]]),
                                                            timeout_s=float(self.options["timeout"]))
            except Exception:  # one undecodable problem scores 0, the run goes on
                log.exception("%s: the tests of %s could not be read", self.config.task, doc["question_id"])
                suites[doc["question_id"]] = None
        answers = [[code.extract_lcb_code(r) for r in rs] for rs in responses]
        return suites, answers
