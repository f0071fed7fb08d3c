"""Generated code -> verdicts: extraction, the tests' judging rules (evalplus for
HumanEval+, LiveCodeBench for LCB), and the parallel run of distinct programs in
the sandbox. The comparison runs here, outside the program's process, on outputs
decoded as plain data.

Verdict kinds: pass, wrong_answer, timeout, runtime_error, memory, violation.
"""

from __future__ import annotations

import ast
import functools
import json
import logging
import math
import pickle
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..sandbox import UNREPRESENTABLE, Isolation, Limits, detect, run_program
from ..sandbox.wire import loads_data
from .pool import map_with_timeout

log = logging.getLogger(__name__)

_STATUS_VERDICT = {"stopped": "wrong_answer", "load_error": "runtime_error"}
_FENCE = re.compile(r"^\s*```[^\n`]*$")

# LiveCodeBench runs functional (LeetCode) programs after these imports.
LCB_IMPORTS = (
    "from string import *\nfrom re import *\nfrom datetime import *\nfrom collections import *\n"
    "from heapq import *\nfrom bisect import *\nfrom copy import *\nfrom math import *\nfrom random import *\n"
    "from statistics import *\nfrom itertools import *\nfrom functools import *\nfrom operator import *\n"
    "from io import *\nfrom sys import *\nfrom json import *\nfrom builtins import *\nfrom typing import *\n"
    "import string\nimport re\nimport datetime\nimport collections\nimport heapq\nimport bisect\nimport copy\n"
    "import math\nimport random\nimport statistics\nimport itertools\nimport functools\nimport operator\n"
    "import io\nimport sys\nimport json\nsys.setrecursionlimit(50000)\n"
)


# ---------------------------------------------------------------- extraction

def fenced_blocks(text: str) -> list[str]:
    """Contents of the ``` fenced blocks, in order (an unclosed last block counts)."""
    blocks, current = [], None
    for line in text.split("\n"):
        if _FENCE.match(line):
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def extract_lcb_code(text: str) -> str | None:
    """LiveCodeBench's rule: the lines between the first two lines holding ```."""
    lines = text.split("\n")
    fences = [i for i, line in enumerate(lines) if "```" in line]
    if len(fences) < 2:
        return None
    return "\n".join(lines[fences[0] + 1 : fences[1]])


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True


def _defines(tree: ast.Module, name: str) -> bool:
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in tree.body)


def extract_function_code(text: str, entry_point: str) -> str | None:
    """evalplus-style sanitising of a HumanEval+ response: the code (the response up
    to its first fence when the prompt opened the block, else a fenced block) that
    defines ``entry_point``, cut to its imports and the definitions it reaches."""
    candidates = [text.split("```")[0], *fenced_blocks(text)]
    for code in candidates:
        if code.strip() and _parses(code) and _defines(ast.parse(code), entry_point):
            return _keep_reachable(code, entry_point)
    return None


def _keep_reachable(code: str, entry_point: str) -> str:
    """Imports, plus the first definition of each name that ``entry_point`` reaches
    (functions, classes, single-name assignments); drops prints, asserts, main blocks."""
    tree = ast.parse(code)
    imports, definitions = [], {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            definitions.setdefault(node.name, node)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            definitions.setdefault(node.targets[0].id, node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            definitions.setdefault(node.target.id, node)
    reached, queue = {entry_point}, [entry_point]
    while queue:
        node = definitions.get(queue.pop())
        for name in {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} if node else ():
            if name in definitions and name not in reached:
                reached.add(name)
                queue.append(name)
    kept = [n for n in tree.body if n in imports or any(n is definitions[r] for r in reached if r in definitions)]
    return "\n".join(ast.get_source_segment(code, n) for n in kept)


# ---------------------------------------------------------------- judging rules

def _is_floats(x: Any) -> bool:
    if isinstance(x, float):
        return True
    return isinstance(x, (list, tuple)) and bool(x) and all(isinstance(i, float) for i in x)


def _poly(xs: list, x: float) -> float:
    return sum(coeff * math.pow(x, i) for i, coeff in enumerate(xs))


def evalplus_equal(out: Any, exp: Any, inp: list, atol: float, entry_point: str) -> tuple[bool, float]:
    """evalplus's check of one output; returns (ok, atol for the next test): like
    evalplus, a float expected output raises a zero atol to 1e-6 for the rest of the run."""
    import numpy as np

    try:
        if entry_point == "find_zero":  # evalplus's special oracle: a root within atol
            return abs(_poly(*inp, out)) <= atol, atol
        exact = out == exp
        if atol == 0 and _is_floats(exp):
            atol = 1e-6
        if exact is not True and atol != 0:
            if type(out) is not type(exp) or (isinstance(exp, (list, tuple)) and len(out) != len(exp)):
                return False, atol
            return bool(np.allclose(out, exp, rtol=1e-07, atol=atol)), atol
        return exact is True, atol
    except Exception:  # noqa: BLE001 - an output the comparison cannot handle is wrong
        return False, atol


def lcb_stdio_equal(out: str, exp: str) -> bool:
    """LiveCodeBench: same number of stripped lines, each equal as text or as a row of decimals."""
    got, want = (_stripped_lines(s) for s in (out, exp))
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if g == w:
            continue
        try:
            if [Decimal(x) for x in g.split()] != [Decimal(x) for x in w.split()]:
                return False
        except (InvalidOperation, ValueError):
            return False
    return True


def _stripped_lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().split("\n")]


def lcb_call_equal(out: Any, exp: Any) -> bool:
    """LiveCodeBench: a tuple counts as a list; then plain ``==``."""
    if isinstance(out, tuple):
        out = list(out)
    try:
        return out is not UNREPRESENTABLE and bool(out == exp)
    except Exception:  # noqa: BLE001
        return False


# ---------------------------------------------------------------- suites and runs

@dataclass(frozen=True)
class Suite:
    """The tests of one problem, as the sandbox runs them and the rules judge them."""

    rules: str  # "evalplus" | "lcb"
    mode: str  # "call" | "stdio"
    entry: str | None
    prefix: str  # source put before the program (LCB imports)
    inputs: list
    expected: list
    time_limits: list[float]
    segments: tuple[tuple[str, int], ...] = (("all", 0),)
    """(name, first test) of consecutive test groups (HumanEval+: base, plus)."""
    atol: float = 0.0
    load_s: float = 5.0
    total_s: float | None = None
    """Wall seconds for the whole run (None: load_s + the per-test limits)."""


def humaneval_plus_suite(row: dict, outputs: list, seconds: list[float], *, min_time_limit: float = 1.0,
                         time_limit_factor: float = 4.0) -> Suite:
    """evalplus's tests of a HumanEval+ problem: base then plus inputs, expected
    outputs and per-test limits max(min, factor x reference seconds), and evalplus's
    whole-run cap of min(60, sum of limits) + 1 s per group."""
    limits = [max(min_time_limit, time_limit_factor * t) for t in seconds]
    n_base = len(row["base_input"])
    total = sum(min(60.0, sum(group)) + 1 for group in (limits[:n_base], limits[n_base:]))
    return Suite(rules="evalplus", mode="call", entry=row["entry_point"], prefix="",
                 inputs=row["base_input"] + row["plus_input"], expected=outputs, time_limits=limits,
                 segments=(("base", 0), ("plus", n_base)), atol=float(row["atol"]), total_s=total + 5.0)


def lcb_suite(tests: list[dict], func_name: str | None, *, timeout_s: float = 6.0) -> Suite:
    """LiveCodeBench's tests of a problem: stdin/stdout, or calls of ``Solution.func_name``
    after LiveCodeBench's imports; ``timeout_s`` per test, (timeout + 1) x tests + 5 in all."""
    total = (timeout_s + 1) * len(tests) + 5
    if func_name is None:
        return Suite(rules="lcb", mode="stdio", entry=None, prefix="", inputs=[t["input"] for t in tests],
                     expected=[t["output"] for t in tests], time_limits=[timeout_s] * len(tests), total_s=total)
    inputs = [[json.loads(line) for line in t["input"].split("\n")] for t in tests]
    return Suite(rules="lcb", mode="call", entry=f"Solution.{func_name}", prefix=LCB_IMPORTS, inputs=inputs,
                 expected=[json.loads(t["output"]) for t in tests], time_limits=[timeout_s] * len(tests),
                 total_s=total)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    passed: dict[str, bool] = field(default_factory=dict)
    """Per segment: did the program pass all its tests (plus needs base first)."""
    failed_test: int | None = None
    error: str | None = None


def run_suite(suite: Suite, code: str, limits: Limits, isolation: Isolation) -> Verdict:
    """Run ``code`` on the suite, stopping at the first failing test."""
    atol = [suite.atol]

    def accept(i: int, out: Any) -> bool:
        exp = suite.expected[i]
        if out is UNREPRESENTABLE:
            return False
        if suite.rules == "evalplus":
            if i in {first for _, first in suite.segments}:
                atol[0] = suite.atol
            ok, atol[0] = evalplus_equal(out, exp, suite.inputs[i], atol[0], suite.entry)
            return ok
        return lcb_stdio_equal(out, exp) if suite.mode == "stdio" else lcb_call_equal(out, exp)

    source = f"{suite.prefix}\n{code}" if suite.prefix else code
    outcome = run_program(source, suite.inputs, mode=suite.mode, entry=suite.entry, time_limits=suite.time_limits,
                          load_s=suite.load_s, total_s=suite.total_s, limits=limits, isolation=isolation,
                          accept=accept)
    if outcome.status == "completed":
        done = len(suite.inputs)
    else:  # tests passed before the failure ("stopped": the last output was the wrong one)
        done = len(outcome.outputs) - (outcome.status == "stopped")
    ends = [first for _, first in suite.segments[1:]] + [len(suite.inputs)]
    passed = {name: done >= end for (name, _), end in zip(suite.segments, ends)}
    verdict = "pass" if outcome.status == "completed" else _STATUS_VERDICT.get(outcome.status, outcome.status)
    return Verdict(verdict, passed, None if verdict == "pass" else done, outcome.error)


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
