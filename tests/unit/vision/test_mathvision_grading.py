"""MathVision answer reading and verdicts: (response, problem) -> (recorded answer, correct).

Cases marked "MATH-V <run>/<id>" are responses from mathllm/MATH-V's stored model outputs
(../shared/data/mathvision_generations), with the problem's gold from its test.jsonl;
the expected answers were read by hand from the response text. All cases are graded in
one ``grade_all`` call (one worker pool), as a task grades its samples.
"""

from __future__ import annotations

import pytest

from lm_eval_passk.vision.mathvision_answer import read_answer
from lm_eval_passk.vision.mathvision_data import gold_answer
from lm_eval_passk.vision.mathvision_grading import grade_all

FRACTIONS = ["$\\frac{2}{7}$", "$\\frac{5}{42}$", "$\\frac{11}{14}$", "$\\frac{5}{7}$", "$\\frac{6}{7}$"]  # MATH-V 2753
AREAS = [f"${a} \\mathrm{{~cm}}^{{2}}$" for a in (10, 12, 14, 15, 21)]  # MATH-V 1186
PAINT = ["9 litres", "8 litres", "6 litres", "4 litres", "2 litres"]  # MATH-V 1727
PICTURES = ["A", "B", "C", "D", "E"]  # options drawn in the figure

# (response, gold, options, recorded answer, correct)
CASES = [
    # free form: boxes, statements, short answers, closing sentences
    ("So the answer is $\\boxed{12}$.", "12", [], "12", True),
    ("The area is $\\boxed{12.0}$.", "12", [], "12", True),  # equal numbers vote together
    ("Therefore, the area of triangle ABC is $\\boxed{8 \\text{ cm}^2}$.", "8", [], "8", True),  # MATH-V ChatGPT3.5/2900 (it rejects the unit)
    ("which is \\(16 - 4 - 8 = 4 \\mathrm{~cm}^{2}\\).\n\n\\(\\boxed{4\\ \\mathrm{cm}^{2}}\\)", "4", [], "4", True),  # MATH-V Gemini-Pro-CoT/1212
    ("the area of the common region is $\\frac{\\sqrt{3}}{4}(4^2)=\\boxed{8\\sqrt{3}}$ square inches.\nThe answer is: 8\\sqrt{3}",
     "8\\sqrt{3}{squareinches}", [], "8\\sqrt{3}", True),  # MATH-V InternLM-XComposer2-VL-CoT/3007
    ("The radius of the circle is 5, so the area is \\(\\pi r^2 = \\pi (5)^2 = 25\\pi\\).", "25\\pi", [], "25\\pi", True),  # MATH-V Gemini-Pro/2903
    ("Therefore, the number that was not used is 2.", "4", [], "2", False),
    ("All 4", "4", [], "4", True),  # MATH-V Qwen-VL-Plus/493
    ("3 and 6", "3", [], None, False),  # MATH-V Gemini-Pro/691: two answers
    ("\\boxed{1}, \\boxed{2}", "1", [], "1, 2", False),
    ("\\boxed{2 \\text{ or } 3}", "2", [], None, False),
    ("The answer is $\\boxed{4!}$.", "4", [], "4!", False),  # MATH-V InternLM-XComposer2-VL/1278: 4! is 24
    ("So, the answer to the problem is $\\boxed{\\textbf{(1)}}$.", "1", [], "(1)", True),  # MATH-V GPT4-CoT/1817
    ("20%", "20", [], "20%", True),  # MATH-V Gemini-Pro/2634, "What percent of her class chose candy E?"
    ("$\\dfrac{3}{4}$", "$\\boxed{\\frac{3}{4}}$", [], "\\dfrac{3}{4}", True),  # MATH-V Qwen-VL-Plus/2877 (the gold boxed)
    ("The answer is 4/3.", "\\frac{4}{3}", [], "4/3", True),  # MATH-V Gemini-Pro/3013
    ("\\boxed{\\frac{36}{13}}", "\x0crac{36}{13}", [], "\\frac{36}{13}", True),  # MATH-V 2830's gold lost its "\f"
    # exact values, decimals standing for them, what only agrees to two places
    ("\\boxed{2\\sqrt{3}}", "$2\\sqrt{3}$", [], "2\\sqrt{3}", True),
    ("The answer is $\\sqrt{12}$.", "$2\\sqrt{3}$", [], "\\sqrt{12}", True),
    ("\\boxed{2\\sqrt{3} \\approx 3.46}", "$2\\sqrt{3}$", [], "2\\sqrt{3}", True),
    ("Final answer: 3.46", "$2\\sqrt{3}$", [], "3.46", True),  # 2√3 = 3.4641...
    ("Final answer: 3.47", "$2\\sqrt{3}$", [], "3.47", False),
    ("\\boxed{3.5}", "$2\\sqrt{3}$", [], "3.5", False),  # one place is too coarse to stand for it
    ("\\boxed{5.004}", "5", [], "5.004", False),  # MATH-V's two-place rounding would credit it
    ("1/3", "$\\frac{3^{1008}-1}{3^{1009}}$", [], "1/3", False),  # MATH-V Qwen-VL-Max/2822 (credited there)
    ("$\\frac{720}{12!} = \\boxed{\\frac{1}{55}}$.", "$\\frac{1}{60}$", [], "\\frac{1}{55}", False),  # MATH-V Qwen-VL-Max-CoT/2827
    ("\\boxed{0}", "$\\frac{7^3}{2^{12} 13^2}$", [], "0", False),  # MATH-V GPT4-CoT/2825 (credited there)
    ("\\boxed{0.75\\pi}", "\\frac{3}{4}\\pi{inches}", [], "0.75\\pi", True),
    ("\\boxed{30^\\circ}", "69{degrees}", [], "30", False),  # degrees dropped: "30°" votes with "30"
    ("The angle is $69°$.", "69{degrees}", [], "69", True),
    ("\\boxed{2025}", "45^2", [], "2025", True),
    ("\\boxed{(3, -4)}", "(3,-4)", [], "(3, -4)", True),
    ("\\boxed{(-3, -4)}", "(3,-4)", [], "(-3, -4)", False),
    ("\\boxed{\\pi - \\arctan(1/d)}", "$\\pi-\\tan ^{-1}\\left(\\frac{1}{d}\\right)$", [], "\\pi - \\arctan(1/d)", True),
    ("\\boxed{C}", "C", [], "C", True),  # MATH-V 59: a letter gold without options
    # no answer
    ("I'm sorry, but this question can't be answered without the provided picture.", "5", [], None, False),  # MATH-V GPT4-CoT
    ("Therefore, $HM = \\boxed{2\\sqrt{7^2}\\sqrt{2} = \\boxed{4\\sqrt{14}}$.", "6.5", [], None, False),  # MATH-V GPT4-CoT/2361: box never closed
    ("", "5", [], None, False),
    # multiple choice: the option's letter
    ("\\boxed{B}", "B", AREAS, "B", True),
    ("$12 \\mathrm{~cm}^{2}$", "B", AREAS, "B", True),  # MATH-V Random-Chance/1186: the choice text
    ("(D) 5/7", "D", FRACTIONS, "D", True),  # MATH-V ShareGPT4V-7B/2753
    ("\\boxed{9}", "A", PAINT, "A", True),  # MATH-V InternLM-XComposer2-VL/1727: the value of option A
    ("The answer is (C).", "D", PICTURES, "C", False),
    ("D", "D", PICTURES, "D", True),
    ("I cannot see the figure, so I cannot answer.", "D", PICTURES, None, False),
]


@pytest.fixture(scope="module")
def graded():
    docs = [{"id": str(i), "answer": gold_answer(gold), "options": options, "question": ""}
            for i, (_, gold, options, _, _) in enumerate(CASES)]
    grades = grade_all([[response] for response, *_ in CASES], docs, timeout_s=20, workers=1)
    assert grades.failures == 0
    return [records[0] for records in grades.records]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[repr(c[0][-40:]) for c in CASES])
def test_case(graded, index):
    _, _, _, answer, correct = CASES[index]
    assert graded[index] == {"answer": answer, "correct": correct}


def test_a_comparison_that_never_ends_counts_as_wrong():
    """sympy would compute 10^(10^10) exactly: the worker is stopped, the sample scores 0."""
    docs = [{"id": "1", "answer": "\\pi", "options": []}, {"id": "2", "answer": "2\\sqrt{3}", "options": []}]
    grades = grade_all([["\\boxed{10^{10^{10}}}"], ["\\boxed{\\sqrt{12}}"]], docs, timeout_s=2, workers=1)
    assert grades.failures == 1
    assert [r[0]["correct"] for r in grades.records] == [False, True]


@pytest.mark.parametrize(
    "response",
    [
        "The value is " + "x + " * 50_000 + "1",
        "\\boxed{" + "\\text{a} " * 20_000 + "}",
        "$" * 30_000 + " is 5",
        ("Therefore " + "is " * 20_000) + "3.",
    ],
)
def test_reading_a_hostile_response_ends(response):
    """Each step of reading is linear in the response: these finish at once."""
    read_answer(response)


def test_a_response_that_cannot_be_read_scores_0_and_is_counted(monkeypatch):
    from lm_eval_passk.vision import mathvision_grading

    def read_answer(response):
        if response == "unreadable":
            raise ValueError("a reader bug")
        return "3"

    monkeypatch.setattr(mathvision_grading, "read_answer", read_answer)
    grades = grade_all([["unreadable", "\\boxed{3}"]], [{"id": "1", "answer": "3", "options": []}], workers=1)
    assert grades.records == [[{"answer": None, "correct": False}, {"answer": "3", "correct": True}]]
    assert (grades.unreadable, grades.compared) == (1, 0)
