"""Text -> final answer. Pure functions, standard library only."""

from __future__ import annotations

import re

_BOX_COMMANDS = ("\\boxed", "\\fbox")
_ANSWER_IS = re.compile(
    r"(?:final answer|the answer)\s*(?:is|:)\s*:?\s*(.+?)(?:\.\s|\.?$|\n)", re.IGNORECASE
)
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")


def last_boxed(text: str) -> str | None:
    """Content of the last ``\\boxed{...}`` (nested braces kept), or ``\\boxed x``."""
    start, cmd = max((text.rfind(cmd), cmd) for cmd in _BOX_COMMANDS)
    if start < 0:
        return None
    i = start + len(cmd)
    while i < len(text) and text[i] == " ":
        i += 1
    if i < len(text) and text[i] != "{":  # "\boxed 5"
        m = re.match(r"[^\s$]+", text[i:])
        return m.group(0) if m else None
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j].strip()
    return None  # unbalanced: the response was cut off inside the box


def answer_is(text: str) -> str | None:
    """What follows the last "the answer is" / "final answer:"."""
    matches = _ANSWER_IS.findall(text)
    if not matches:
        return None
    answer = matches[-1].strip().strip("$").strip()
    return answer or None


def last_number(text: str) -> str | None:
    """The last number in the text, thousands separators removed."""
    matches = _NUMBER.findall(text)
    if not matches:
        return None
    return matches[-1].replace(",", "").rstrip(".")


def extract_math_answer(text: str, last_number_fallback: bool = False) -> str | None:
    """Final answer of a math response: last box, then "the answer is", then
    (GSM8K style) the last number. ``None`` when nothing qualifies."""
    for extractor in (last_boxed, answer_is):
        answer = extractor(text)
        if answer:
            return answer
    return last_number(text) if last_number_fallback else None
