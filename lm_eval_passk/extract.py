"""Text -> final answer. Pure functions, standard library only."""

from __future__ import annotations

import re

_BOX = re.compile(r"\\(?:boxed|fbox)(?![A-Za-z])")
_ANSWER_TRIGGER = re.compile(r"(?:final answer|the answer)\s*(?:is|:)\s*:?\s*", re.IGNORECASE)
_ANSWER_END = re.compile(r"\.\s|\.?$|\n")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")
# What may stand between boxes that together give one answer: "\boxed{1}, \boxed{2}",
# "\boxed{(3, 3)} \text{ for part (a) and } \boxed{(1, 1)}", "y_1 = \boxed{..} and y_2 = \boxed{..}",
# "\boxed{1} papers and \boxed{2} bins".
_BOX_JOINER = re.compile(
    r"(?:\s|[,;&$]|\\[,;:!]|\\q?quad|\\\(|\\\)|\\\[|\\\]"  # spacing, math delimiters
    r"|\\text\{[^{}]*\b(?:and|or)\s*\}|\\text\{\s*,?\s*\}|\band\b|\bor\b|\b[A-Za-z]+\s+(?:and|or)\b"  # "and"
    r"|[A-Za-z](?:_\{?\w+\}?)?\s*=)*"  # a label, "y_2 ="
)


def _boxes(text: str) -> tuple[list[tuple[int, int, str]], bool]:
    """(start, end, content) of every box, in order (``\\boxed 5`` counts too), and
    whether the text ends inside a box, i.e. was cut off while giving its answer."""
    boxes = []
    for match in _BOX.finditer(text):
        i = match.end()
        while i < len(text) and text[i] == " ":
            i += 1
        if i < len(text) and text[i] != "{":  # "\boxed 5"
            bare = re.match(r"[^\s$]+", text[i:])
            if bare:
                boxes.append((match.start(), i + bare.end(), bare.group(0)))
            continue
        depth = 0
        for j in range(i, len(text)):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    boxes.append((match.start(), j + 1, text[i + 1 : j].strip()))
                    break
        else:
            return boxes, True
    return boxes, False


def last_boxed(text: str) -> str | None:
    """Content of the last ``\\boxed{...}`` (nested braces kept), or ``\\boxed x``.

    Boxes that end the answer together, separated by nothing but commas, "and" and
    spacing (``\\boxed{1}, \\boxed{2}``), are one answer: their contents joined by
    ", ". ``None`` when the text ends inside a box.
    """
    boxes, truncated = _boxes(text)
    boxes = [b for b in boxes if b[2]]
    if truncated or not boxes:
        return None
    run = [boxes[-1]]
    for box in reversed(boxes[:-1]):
        gap = text[box[1] : run[0][0]]
        if not _BOX_JOINER.fullmatch(gap):
            break
        run.insert(0, box)
    return ", ".join(content for _, _, content in run)


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
    boxes, truncated = _boxes(text)
    if truncated:
        return None
    triggers = list(_ANSWER_TRIGGER.finditer(text))
    if triggers and (not boxes or triggers[-1].start() > boxes[-1][1]):
        stated = answer_is(text)  # "the final answer is" after the last box overrides it
        if stated:
            return stated
    boxed = last_boxed(text)
    if boxed:
        return boxed
    return last_number(text) if last_number_fallback else None
