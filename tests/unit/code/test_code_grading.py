"""Judging rules, extraction and test decoding: tables of (input, expected), each
expected value written from the rule's definition (evalplus / LiveCodeBench)."""

from __future__ import annotations

import base64
import json
import pickle
import zlib

import pytest

from lm_eval_passk.code.data import decode_private_tests, lcb_files
from lm_eval_passk.code.extract import extract_function_code, extract_lcb_code
from lm_eval_passk.code.rules import evalplus_equal, lcb_call_equal, lcb_stdio_equal
from lm_eval_passk.code.sandbox.wire import loads_data
from lm_eval_passk.settings import PassKConfigError


@pytest.mark.parametrize(("out", "exp", "atol", "ok", "atol_after"), [
    (3, 3, 0, True, 0),
    (True, 1, 0, True, 0),  # == as evalplus uses it
    ([1, 2], (1, 2), 0, False, 0),  # list is not tuple
    (0.30000000000000004, 0.3, 0, True, 1e-6),  # float expected: atol raised to 1e-6
    ([0.1 + 0.2], [0.3], 0, True, 1e-6),
    (0.3001, 0.3, 0, False, 1e-6),
    (1, 1.0000001, 0, False, 1e-6),  # tolerance needs the same type
    ("a", "b", 0, False, 0),
])
def test_evalplus_equal(out, exp, atol, ok, atol_after):
    assert evalplus_equal(out, exp, [], atol, "f") == (ok, atol_after)


def test_evalplus_find_zero_is_judged_by_its_root():
    # xs = [-1, 0, 1]: x^2 - 1 has roots +-1; any root within atol passes
    assert evalplus_equal(-1.0, 1.0, [[-1, 0, 1]], 1e-4, "find_zero") == (True, 1e-4)
    assert evalplus_equal(0.5, 1.0, [[-1, 0, 1]], 1e-4, "find_zero") == (False, 1e-4)


def test_find_zero_follows_current_evalplus_not_the_pre_pr201_oracle():
    # evalplus before PR #201 (May 2024) asserted the SIGNED residual <= atol and then also
    # compared with the reference's root; the stored CodeQwen-chat labels were made that way.
    # -10x^3 + 9x^2 + 6x - 3 has roots near -0.669, 0.376 (the reference's) and 1.193:
    # a bisection answer at -0.66857689842 (residual ~5e-10) is a root, so it passes.
    assert evalplus_equal(-0.6685768984198148, 0.3763741272657057, [[-3, 6, 9, -10]], 1e-4, "find_zero")[0]
    # 7x^3 - 7x^2 - 6x - 3 at x = 1 is -9: a negative residual is not a root.
    assert not evalplus_equal(1.0, 1.6679422344071086, [[-3, -6, -7, 7]], 1e-4, "find_zero")[0]


@pytest.mark.parametrize(("out", "exp", "ok"), [
    ("3\n", "3", True), ("  3  \n\n", "3\n", True), ("a b\n", "a  b", False),  # inner spaces matter as text...
    ("1.0 2\n", "1 2.00", True),  # ...unless the line reads as the same decimals
    ("3\n4\n", "3", False), ("YES", "yes", False), ("", "", True),
])
def test_lcb_stdio_equal(out, exp, ok):
    assert lcb_stdio_equal(out, exp) is ok


@pytest.mark.parametrize(("out", "exp", "ok"), [
    ((3, 1), [3, 1], True), ([[1, 2]], [[1, 2]], True), ([(1, 2)], [[1, 2]], False), (1.0, 1, True),
])
def test_lcb_call_equal(out, exp, ok):
    assert lcb_call_equal(out, exp) is ok


def test_extract_lcb_code_takes_the_first_fenced_block():
    assert extract_lcb_code("x\n```python\na = 1\n```\n```\nb = 2\n```") == "a = 1"
    assert extract_lcb_code("no code") is None


def test_extract_function_code_sanitises_like_evalplus():
    response = ("import math\ndef helper(x):\n    return math.sqrt(x)\ndef f(x):\n    return helper(x)\n"
                "def unused():\n    return 0\nprint(f(4))\nassert f(4) == 2\n```\ntext")
    assert extract_function_code(response, "f") == (
        "import math\ndef helper(x):\n    return math.sqrt(x)\ndef f(x):\n    return helper(x)")
    fenced = "Sure:\n```python\ndef f(x):\n    return x\n```"
    assert extract_function_code(fenced, "f") == "def f(x):\n    return x"
    assert extract_function_code("def g():\n    return 1\n```", "f") is None


def test_private_tests_decode_without_building_objects():
    tests = [{"input": "1\n", "output": "2\n", "testtype": "stdin"}]
    field = base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests)))).decode()
    assert decode_private_tests(field) == tests
    assert decode_private_tests(json.dumps(tests)) == tests

    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    hostile = base64.b64encode(zlib.compress(pickle.dumps(Evil()))).decode()
    with pytest.raises(pickle.UnpicklingError):
        decode_private_tests(hostile)


def test_outputs_unpickle_as_data_only():
    assert loads_data(pickle.dumps([1, (2.5, "x"), {3: {4}}, frozenset({1}), complex(1, 2)])) == [
        1, (2.5, "x"), {3: {4}}, frozenset({1}), complex(1, 2)]
    with pytest.raises(pickle.UnpicklingError):
        loads_data(pickle.dumps(ValueError("x")))


@pytest.mark.parametrize(("version", "files"), [
    ("release_v1", ["test.jsonl"]),
    ("release_v5", ["test.jsonl", "test2.jsonl", "test3.jsonl", "test4.jsonl", "test5.jsonl"]),
    ("v2", ["test2.jsonl"]), ("v4_v5", ["test4.jsonl", "test5.jsonl"]),
])
def test_lcb_release_files(version, files):
    assert lcb_files(version) == files


def test_unknown_lcb_release_is_a_config_error():
    with pytest.raises(PassKConfigError, match="release_version"):
        lcb_files("release_v99x")
