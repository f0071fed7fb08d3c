"""Final-answer extraction: which part of a response is its answer."""

from __future__ import annotations

import pytest

from lm_eval_passk.boxed import last_boxed
from lm_eval_passk.math.extract import answer_is, extract_math_answer, last_number

# (response, last_number_fallback, expected answer)
CASES = [
    # one box, nested braces kept, \fbox, "\boxed 5"
    ("So $x = \\boxed{\\frac{1}{2}}$.", False, "\\frac{1}{2}"),
    ("Area: \\fbox{12}", False, "12"),
    ("thus \\boxed 5$ remains", False, "5"),
    # the last box is the answer when an earlier one was a step
    ("First \\boxed{3}, but rechecking, the total is \\boxed{4}.", False, "4"),
    ("\\boxed{1} no no no \\boxed{2}", False, "2"),
    # boxes that end the answer together form one answer
    ("The roots are \\boxed{1} and \\boxed{2}.", False, "1, 2"),
    ("$\\boxed{(3, 3)} \\text{ for part (a) and } \\boxed{(1, 1)}$", False, "(3, 3), (1, 1)"),
    ("\\(y_1 = \\boxed{2x}\\) and \\(y_2 = \\boxed{3x}\\)", False, "2x, 3x"),
    ("\\boxed{1} papers and \\boxed{2} bins", False, "1, 2"),
    # an empty box (an echoed instruction) is not an answer
    ("Put it in \\boxed{}. The answer is 7.", False, "7"),
    # a response cut off inside its box has no answer, even with a number fallback
    ("Adding up, we get \\boxed{\\frac{12", False, None),
    ("Adding up, we get \\boxed{\\frac{12", True, None),
    # "the final answer is" after the last box overrides it; before it, the box wins
    ("so \\boxed{255} of interest. Final Answer: The final answer is $10,455$. I hope it is correct.", False, "10,455"),
    ("The answer is $\\boxed{42}$.", False, "42"),
    # "the answer is" to the end of its sentence, dollars stripped
    ("Hence the answer is $\\frac{3}{4}$. Done.", False, "\\frac{3}{4}"),
    ("Final answer: 3.5 cm", False, "3.5 cm"),
    ("Final Answer: The final answer is $5$. I hope it is correct.", False, "5"),
    # no box, no statement: nothing, unless the task falls back to the last number (GSM8K)
    ("She has 16 - 3 = 13 eggs.\nA: 26", False, None),
    ("She has 16 - 3 = 13 eggs.\nA: 26", True, "26"),
    ("It costs $1,250 in total", True, "1250"),
    ("I cannot solve this.", True, None),
]


@pytest.mark.parametrize(("response", "fallback", "expected"), CASES)
def test_extract_math_answer(response, fallback, expected):
    assert extract_math_answer(response, last_number_fallback=fallback) == expected


def test_last_boxed_keeps_its_none_for_an_unclosed_box():
    assert last_boxed("\\boxed{1} then \\boxed{2") is None
    assert last_boxed("no box here") is None


def test_answer_is_takes_the_last_statement():
    assert answer_is("The answer is 3.\nWait, the answer is 4.") == "4"


def test_last_number_drops_thousands_separators_and_a_final_stop():
    assert last_number("about 1,000,000.") == "1000000"
    assert last_number("from -3 to -.5") == "-.5"
