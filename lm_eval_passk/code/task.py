"""The code pass@k task class: extract each response's program, run it in the sandbox,
judge it by the benchmark's rules."""

from __future__ import annotations

import logging
from typing import Any

from ..estimators import pass_at_k
from ..harness import PassKTask
from ..settings import PassKConfigError

log = logging.getLogger(__name__)


class CodePassKTask(PassKTask):
    """Code generation (``dataset_kwargs.benchmark``: humanevalplus | livecodebench):
    extract the program of each response, run each distinct program of a problem
    once in the sandbox, judge it by the benchmark's rules. HumanEval+ reports
    ``pass@k`` on base + plus tests (evalplus's HumanEval+ number) and ``base_pass@k``.

    Metadata: ``memory_mb`` (4096); HumanEval+ ``min_time_limit`` (1 s) and
    ``time_limit_factor`` (4 x the canonical solution's time); LiveCodeBench
    ``timeout`` (6 s per test), ``release_version``, ``start_date``, ``end_date``.
    """

    metadata_keys = PassKTask.metadata_keys | {
        "memory_mb", "min_time_limit", "time_limit_factor", "timeout", "evalplus_version",
        "release_version", "start_date", "end_date",
    }
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
        from .grading import grade_programs, isolation_for_run
        from .sandbox import Limits

        isolation = isolation_for_run()
        if self.benchmark == "humanevalplus":
            suites, answers = self._humaneval_plus(responses, docs, isolation)
        else:
            suites, answers = self._livecodebench(responses, docs)
        keys = [k for k, rs in zip(suites, answers) for _ in rs]
        flat = [a for rs in answers for a in rs]
        graded = [(k, a) for k, a in zip(keys, flat) if a is not None and suites[k] is not None]
        verdicts = iter(grade_programs(
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
        from .data import humaneval_plus_rows
        from .extract import extract_function_code
        from .grading import record_reference
        from .sandbox import Limits
        from .suites import humaneval_plus_suite

        rows = humaneval_plus_rows(self.options)
        wanted = [rows[d["task_id"]] for d in docs]
        references = record_reference(
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
            suites[row["task_id"]] = humaneval_plus_suite(
                row, *reference, min_time_limit=float(self.options["min_time_limit"]),
                time_limit_factor=float(self.options["time_limit_factor"]))
        answers = [[extract_function_code(r, row["entry_point"]) for r in rs] for rs, row in zip(responses, wanted)]
        return suites, answers

    def _livecodebench(self, responses, docs):
        from .data import lcb_tests, livecodebench_rows
        from .extract import extract_lcb_code
        from .suites import lcb_suite

        rows = livecodebench_rows(self.options)
        suites = {}
        for doc in docs:
            try:
                suites[doc["question_id"]] = lcb_suite(*lcb_tests(rows[doc["question_id"]]),
                                                       timeout_s=float(self.options["timeout"]))
            except Exception:  # one undecodable problem scores 0, the run goes on
                log.exception("%s: the tests of %s could not be read", self.config.task, doc["question_id"])
                suites[doc["question_id"]] = None
        answers = [[extract_lcb_code(r) for r in rs] for rs in responses]
        return suites, answers
