"""A vision problem as the graders see it (MathVista's fields), built from a task doc."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
