"""MathVista answers: the final answer of a response, normalised to the problem's type,
and whether it is the gold answer. Pure and deterministic: no LLM judge, stdlib only.

The answer is the last ``\\boxed{}`` or answer statement ("the answer is ...", "Answer:",
"correct option is ...", "答案是 ...") when the response has one, else what
``vision_choice`` (multiple choice: letters, choice texts, paraphrases) or
``vision_free_form`` (numbers and lists) reads from it; ``vision_text`` holds what both
share. The normalised prediction is a choice text, a canonical number, or a list of
numbers, so equal answers written differently ("C", "(C) 145°", "145") become one
string for majority voting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .vision_choice import extract_choice
from .vision_free_form import extract_free_form
from .vision_text import numbers_in, own_answer, parse_number

MULTI_CHOICE = "multi_choice"


@dataclass(frozen=True)
class VisionProblem:
    answer: str
    """Gold answer as MathVista writes it (for multiple choice, one of ``choices``)."""
    question_type: str
    """``multi_choice`` or ``free_form``."""
    answer_type: str
    """``text`` (multiple choice), ``integer``, ``float`` or ``list``."""
    choices: tuple[str, ...] = ()
    """Choice texts in option order: (A) is ``choices[0]``."""
    precision: int | None = None
    """Decimal places a float answer is compared at."""
    question: str = ""
    """Question text: a number it mentions is less likely the answer of a bare restatement."""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> VisionProblem:
        precision = doc.get("precision")
        return cls(
            answer=str(doc["answer"]),
            question_type=str(doc["question_type"]),
            answer_type=str(doc["answer_type"]),
            choices=tuple(str(c) for c in doc.get("choices") or ()),
            precision=None if precision is None else int(precision),
            question=str(doc.get("question") or ""),
        )

    @property
    def letters(self) -> str:
        return "".join(chr(ord("A") + i) for i in range(len(self.choices)))


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
