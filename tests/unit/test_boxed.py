"""The \\boxed{} reader shared by the math and vision wings: what it reads, and that a
hostile response cannot make it hang (each case below took seconds to hours before:
nested boxes were scanned once per box, "and and ..." between boxes backtracked
exponentially)."""

import time

import pytest

from lm_eval_passk.boxed import boxes, last_boxed
from lm_eval_passk.math.extract import extract_math_answer


@pytest.mark.parametrize("text, expected", [
    ("\\boxed{\\boxed{5}}", "\\boxed{5}"),  # a box inside a box is part of its content
    ("\\boxed{x = \\boxed{5}} and \\boxed{7}", "x = \\boxed{5}, 7"),
    ("\\boxed{1}, \\boxed{2}", "1, 2"),
    ("y_1 = \\boxed{1} and y_2 = \\boxed{2}", "1, 2"),
    ("So x = \\boxed{3}" + " and" * 40 + " so the answer is \\boxed{4}", "4"),
    ("\\boxed{3} and and and \\boxed{4}", "3, 4"),  # "and" repeated is still only joiners
    ("\\boxed{1} \\text{ for part (a) and } \\boxed{2}", "1, 2"),
    ("\\boxed{1} is wrong; \\boxed{2}", "2"),
])
def test_what_is_read(text, expected):
    assert last_boxed(text) == expected


def test_outermost_boxes_only():
    text = "\\boxed{a\\boxed{b}} \\boxed{c"
    found, truncated = boxes(text)
    assert [content for _, _, content in found] == ["a\\boxed{b}"] and truncated


HOSTILE = {
    "and between boxes": "So x = \\boxed{3}" + " and" * 25_000 + " so the answer is \\boxed{3}",
    "joinable and": "\\boxed{3}" + " and" * 25_000 + "\\boxed{4}",
    "labels between boxes": "\\boxed{1}" + " x_{1} =" * 12_000 + "\\boxed{2}",
    "nested boxes": "\\boxed{" * 14_000 + "5" + "}" * 14_000,
    "nested, never closed": "\\boxed{" * 14_000 + "5",
    "many boxes": "\\boxed{1}, " * 9_000,
    "bare boxes": "\\boxed 5 " * 11_000,
    "open braces": "\\boxed{" + "{" * 100_000,
    "spaces before the brace": "\\boxed" + " " * 100_000 + "{3}",
    "the answer is": "the answer is " * 7_000,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_responses_of_100_kb_are_read_in_linear_time(name):
    text = HOSTILE[name]
    assert len(text) >= 90_000
    start = time.perf_counter()
    extract_math_answer(text, last_number_fallback=True)
    last_boxed(text)
    # linear reading takes ~0.3 s at most here; the old reader took minutes to hours
    assert time.perf_counter() - start < 5
