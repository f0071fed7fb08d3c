"""Programs -> verdicts, in parallel: each distinct (problem, program) pair runs once
in the sandbox, in a pool worker under a hard time limit; trusted reference solutions
are run the same way to record expected outputs.

Verdict kinds: pass, wrong_answer, timeout, runtime_error, memory, violation.
"""

from __future__ import annotations

import functools
import logging
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..pool import map_with_timeout
from .sandbox import Isolation, Limits, detect, run_program
from .sandbox.wire import loads_data
from .suites import Suite, Verdict, run_suite

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _load_suites(path: str) -> dict[str, Suite]:
    with open(path, "rb") as f:
        return pickle.load(f)  # our own file, written by grade_programs


def grade_in_worker(suites_path: str, key: str, code: str, limits: dict, isolation: list) -> dict:
    """Pool worker entry point: one program against one problem's suite."""
    suite = _load_suites(suites_path)[key]
    verdict = run_suite(suite, code, Limits(**limits), Isolation(isolation[0], isolation[1], ()))
    return {"verdict": verdict.verdict, "passed": verdict.passed, "failed_test": verdict.failed_test,
            "error": verdict.error}


def record_in_worker(source: str, entry: str, inputs: list, time_limit: float, limits: dict, isolation: list,
                     out_path: str) -> dict:
    """Pool worker entry point: run a trusted reference solution; its outputs (plain
    data, possibly hundreds of MB) go to ``out_path`` as a pickle, its per-test seconds back."""
    outcome = run_program(source, inputs, mode="call", entry=entry, time_limits=[time_limit] * len(inputs),
                          load_s=30, limits=Limits(**limits), isolation=Isolation(isolation[0], isolation[1], ()))
    if outcome.status != "completed":
        return {"error": f"{outcome.status}: {outcome.error}"}
    Path(out_path).write_bytes(pickle.dumps(outcome.outputs, protocol=5))
    return {"seconds": outcome.seconds}


def isolation_for_run() -> Isolation:
    """Probe the sandbox once and tell the user what it cannot do."""
    isolation = detect()
    for warning in isolation.warnings:
        log.warning("code sandbox: %s", warning)
    return isolation


def record_reference(jobs: Sequence[tuple[str, str, list]], *, time_limit: float, limits: Limits,
                     isolation: Isolation, desc: str) -> list[tuple[list, list[float]] | str]:
    """(outputs, seconds) of each trusted (source, entry, inputs), or an error string."""
    if not jobs:
        return []
    backstop = (30 + time_limit * max(len(j[2]) for j in jobs)) / 0.8 + 10
    with tempfile.TemporaryDirectory(prefix="passk-reference-") as folder:
        paths = [str(Path(folder) / f"{i}.pkl") for i in range(len(jobs))]
        worker_args = [[s, e, i, time_limit, vars(limits), [isolation.bwrap, isolation.drop_root], p]
                       for (s, e, i), p in zip(jobs, paths)]
        results, _ = map_with_timeout(f"{__name__}:record_in_worker", worker_args, timeout_s=backstop,
                                      fallback={"error": "the reference run timed out"}, desc=desc, batch_size=1)
        return [r["error"] if "error" in r else (loads_data(Path(p).read_bytes()), r["seconds"])
                for r, p in zip(results, paths)]


def grade_programs(suites: dict[str, Suite], programs: Sequence[tuple[str, str]], *, limits: Limits,
                   isolation: Isolation, desc: str | None = None, workers: int | None = None) -> list[Verdict]:
    """Verdict of each (problem key, code); each distinct pair runs once."""
    distinct = sorted(set(programs))
    if not distinct:
        return []
    with tempfile.TemporaryDirectory(prefix="passk-suites-") as folder:
        path = Path(folder) / "suites.pkl"
        path.write_bytes(pickle.dumps(suites, protocol=5))
        iso = [isolation.bwrap, isolation.drop_root]
        backstop = max(s.load_s + sum(s.time_limits) for s in suites.values()) / 0.8 + 30
        results, failures = map_with_timeout(
            f"{__name__}:grade_in_worker", [[str(path), key, code, vars(limits), iso] for key, code in distinct],
            timeout_s=backstop, fallback=None, workers=workers, desc=desc,
        )
    if failures:
        log.warning("%d of %d programs crashed their grading worker and count as failed", failures, len(distinct))
    verdict_of = {
        pair: Verdict(**r) if r else Verdict("violation", {}, None, "grading worker failed")
        for pair, r in zip(distinct, results)
    }
    return [verdict_of[pair] for pair in programs]
