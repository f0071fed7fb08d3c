"""Text -> final answer of a math response. Pure functions, standard library only."""

from __future__ import annotations

import re

from ..boxed import boxes, last_boxed

_ANSWER_TRIGGER = re.compile(r"(?:final answer|the answer)\s*(?:is|:)\s*:?\s*", re.IGNORECASE)
_ANSWER_END = re.compile(r"\.\s|\.?$|\n")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")


def answer_is(text: str) -> str | None:
    """What follows the last "the answer is" / "final answer:", to the end of its sentence."""
    triggers = list(_ANSWER_TRIGGER.finditer(text))
    if not triggers:
        return None
    rest = text[triggers[-1].end():]
    answer = rest[: _ANSWER_END.search(rest).start()].strip().strip("$").strip()
    return answer or None


def last_number(text: str) -> str | None:
    """The last number in the text, thousands separators removed."""
    matches = _NUMBER.findall(text)
    if not matches:
        return None
    return matches[-1].replace(",", "").rstrip(".")


def extract_math_answer(text: str, last_number_fallback: bool = False) -> str | None:
    """Final answer of a math response: the last box(es), unless a "the final answer
    is" comes after them; then "the answer is"; then (GSM8K style) the last number.
    ``None`` when nothing qualifies, and when the response was cut off inside a box."""
    found, truncated = boxes(text)
    if truncated:
        return None
    triggers = list(_ANSWER_TRIGGER.finditer(text))
    if triggers and (not found or triggers[-1].start() > found[-1][1]):
        stated = answer_is(text)  # "the final answer is" after the last box overrides it
        if stated:
            return stated
    boxed = last_boxed(text)
    if boxed:
        return boxed
    return last_number(text) if last_number_fallback else None
