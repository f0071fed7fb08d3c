"""MathVision verdicts, in bulk: every response of every problem against its gold.

Multiple choice (five options, the gold a letter) is read as MathVista's is
(``grading.extract_prediction``: letters, choice texts, values) and recorded as the
option's letter. A free-form answer is read by ``mathvision_answer`` and compared by
``mathvision_equal``: plain numbers here, each distinct other (answer, gold) pair once in
the timeout workers of ``lm_eval_passk.pool``, so sympy's worst cases are cut off.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..pool import map_with_timeout
from .grading import extract_prediction
from .mathvision_answer import read_answer
from .mathvision_equal import normalise, plain_value, plain_verdict
from .problem import MULTI_CHOICE, VisionProblem
from .text import clean, final_statement, own_answer

log = logging.getLogger(__name__)

EQUAL = f"{__package__}.mathvision_equal:equal"
_LETTER = r"\(?[A-Z]\)?"
_SEVERAL_LETTERS = re.compile(rf"{_LETTER}(?:\s*(?:,|&|\band\b|\bor\b)\s*{_LETTER})+")


@dataclass(frozen=True)
class MathVisionGrades:
    records: list[list[dict[str, Any]]]
    """Per problem, per response: ``{"answer", "correct"}``."""
    compared: int
    """Distinct (answer, gold) pairs sent to the workers."""
    failures: int
    """Of those, how many timed out or crashed and count as wrong."""
    unreadable: int = 0
    """Responses whose reading raised (scored wrong, with no answer)."""


def choice_problem(doc: Mapping[str, Any]) -> VisionProblem:
    """A multiple-choice MathVision problem as the MathVista choice reader sees it: the
    gold is the text of the option its letter names."""
    options = tuple(str(o) for o in doc["options"])
    letter = str(doc["answer"]).strip()
    index = ord(letter) - ord("A") if len(letter) == 1 else -1
    answer = options[index] if 0 <= index < len(options) else letter
    return VisionProblem(answer, MULTI_CHOICE, "text", options, question=str(doc.get("question") or ""))


def choice_letter(response: str, problem: VisionProblem) -> str | None:
    """The letter of the option a response chooses; none for an answer that names
    several ("\\boxed{A and B}")."""
    stated = final_statement(own_answer(response))
    if stated and _SEVERAL_LETTERS.fullmatch(clean(stated).rstrip(".")):
        return None
    choice = extract_prediction(response, problem)
    return None if choice is None else problem.letters[problem.choices.index(choice)]


def recorded(answer: str) -> str:
    """The answer as the samples file keeps it, so equal numbers vote together ("12.0" is "12")."""
    text = normalise(answer)
    value = plain_value(text)
    return str(value.numerator) if value is not None and value.denominator == 1 else text


def read_response(response: str, doc: Mapping[str, Any],
                  problem: VisionProblem | None) -> tuple[str | None, bool | None]:
    """(answer, verdict) of one response: for multiple choice (``problem``) the letter,
    else the bare expression, whose verdict is ``None`` when only the workers can decide it."""
    gold = str(doc["answer"])
    if problem is not None:
        letter = choice_letter(response, problem)
        return letter, letter is not None and letter == gold.strip()
    answer = read_answer(response)
    if answer is None:
        return None, False
    return answer, plain_verdict(answer, gold)


def grade_all(
    responses: Sequence[Sequence[str]],
    docs: Sequence[Mapping[str, Any]],
    *,
    timeout_s: float = 10.0,
    workers: int | None = None,
    desc: str | None = None,
) -> MathVisionGrades:
    records: list[list[dict[str, Any]]] = []
    pending: dict[tuple[str, str], list[dict[str, Any]]] = {}  # pairs the workers decide
    unreadable = 0
    for doc, doc_responses in zip(docs, responses, strict=True):
        problem = choice_problem(doc) if doc.get("options") else None
        rows = []
        for response in doc_responses:
            try:
                answer, verdict = read_response(response, doc, problem)
            except Exception:  # one unreadable sample scores 0, the run goes on
                log.exception("grading a response of MathVision problem %s failed", doc.get("id"))
                answer, verdict, unreadable = None, False, unreadable + 1
            row = {"answer": answer, "correct": bool(verdict)}
            if problem is None and answer is not None:
                row["answer"] = recorded(answer)
                if verdict is None:
                    pending.setdefault((answer, str(doc["answer"])), []).append(row)
            rows.append(row)
        records.append(rows)
    pairs = sorted(pending, key=lambda p: (p[1], p[0]))  # a worker's batch shares its gold
    verdicts, failures = map_with_timeout(EQUAL, [list(p) for p in pairs], timeout_s=timeout_s, fallback=False,
                                          workers=workers, desc=desc)
    for pair, verdict in zip(pairs, verdicts):
        for row in pending[pair]:
            row["correct"] = bool(verdict)
    return MathVisionGrades(records, len(pairs), failures, unreadable)
