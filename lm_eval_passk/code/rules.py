"""The benchmarks' rules for one output: evalplus's (HumanEval+: exact, or close for
floats; ``find_zero``'s root oracle) and LiveCodeBench's (stdout lines as text or
decimals; call results with tuples as lists). Run here, outside the program's process,
on outputs decoded as plain data."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from .sandbox import UNREPRESENTABLE


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
