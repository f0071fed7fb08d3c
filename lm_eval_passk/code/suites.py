"""A problem's tests as the sandbox runs them (:class:`Suite`), built by each
benchmark's rules, and the verdict of one program on them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .rules import evalplus_equal, lcb_call_equal, lcb_stdio_equal
from .sandbox import UNREPRESENTABLE, Isolation, Limits, run_program

_STATUS_VERDICT = {"stopped": "wrong_answer", "load_error": "runtime_error"}

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
