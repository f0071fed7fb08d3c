"""MathVista answers: the final answer of a response, normalised to the problem's type,
and whether it is the gold answer. Pure and deterministic: no LLM judge, stdlib only.

The answer is the last ``\\boxed{}`` or answer statement ("the answer is ...", "Answer:",
"correct option is ...", "答案是 ...") when the response has one, else what
``choice`` (multiple choice: letters, choice texts, paraphrases) or
``free_form`` (numbers and lists) reads from it; ``text`` holds what both
share. The normalised prediction is a choice text, a canonical number, or a list of
numbers, so equal answers written differently ("C", "(C) 145°", "145") become one
string for majority voting.
"""

from __future__ import annotations

from dataclasses import dataclass

from .choice import extract_choice
from .free_form import extract_free_form
from .problem import MULTI_CHOICE, VisionProblem
from .text import numbers_in, own_answer, parse_number


@dataclass(frozen=True)
class VisionGrade:
    answer: str | None
    """Normalised prediction (choice text, number, list); ``None`` when there is none."""
    correct: bool


def extract_prediction(response: str, problem: VisionProblem) -> str | None:
    response = own_answer(response)
    if problem.question_type == MULTI_CHOICE:
        return extract_choice(response, problem)
    return extract_free_form(response, problem)


def is_correct(prediction: str | None, problem: VisionProblem) -> bool:
    """Whether a normalised prediction is the gold answer."""
    if prediction is None:
        return False
    if problem.question_type == MULTI_CHOICE:
        return prediction == problem.answer
    if problem.answer_type == "list":
        return numbers_in(prediction) == numbers_in(problem.answer)
    value, gold = parse_number(prediction), parse_number(problem.answer)
    if value is None or gold is None:
        return False
    if problem.answer_type == "float":
        places = problem.precision if problem.precision is not None else 2
        return round(value, places) == round(gold, places)
    return value == gold


def grade_response(response: str, problem: VisionProblem) -> VisionGrade:
    prediction = extract_prediction(response, problem)
    return VisionGrade(prediction, is_correct(prediction, problem))
