"""LaTeX ``\\boxed{...}`` answers in model responses: where each box is, and the last
one (boxes that end the answer together count as one). Shared by every wing that reads
boxed answers. Pure functions, standard library only."""

from __future__ import annotations

import re

_BOX = re.compile(r"\\(?:boxed|fbox)(?![A-Za-z])")
_BRACE = re.compile(r"[{}]")
_BARE = re.compile(r"[^\s$]+")
# What may stand between boxes that together give one answer: "\boxed{1}, \boxed{2}",
# "\boxed{(3, 3)} \text{ for part (a) and } \boxed{(1, 1)}", "y_1 = \boxed{..} and y_2 = \boxed{..}",
# "\boxed{1} papers and \boxed{2} bins". Each piece matches at most one length wherever it
# matches, so a gap is read piece by piece over the positions reached (``_joins``), in time
# linear in the gap: the one regex ``(?:piece|piece|...)*`` backtracks exponentially on
# "and and and ...".
_JOINER_PIECES = tuple(re.compile(p) for p in (
    r"\s", r"[,;&$]", r"\\[,;:!]", r"\\q?quad", r"\\\(", r"\\\)", r"\\\[", r"\\\]",  # spacing, math delimiters
    r"\\text\{[^{}]*\b(?:and|or)\s*\}", r"\\text\{\s*,?\s*\}", r"\band\b", r"\bor\b",  # "and"
    r"\b[A-Za-z]+\s+(?:and|or)\b",
    r"[A-Za-z](?:_\{?\w+\}?)?\s*=",  # a label, "y_2 ="
))


def _joins(gap: str) -> bool:
    """Whether ``gap`` is nothing but joiner pieces."""
    reached = bytearray(len(gap) + 1)
    reached[0] = 1
    for i in range(len(gap)):
        if reached[i]:
            for piece in _JOINER_PIECES:
                match = piece.match(gap, i)
                if match and match.end() > i:
                    reached[match.end()] = 1
    return bool(reached[len(gap)])


def _closing_braces(text: str) -> dict[int, int]:
    """Index of each ``{`` -> index of the ``}`` that closes it (unclosed ones are absent)."""
    closing, opened = {}, []
    for match in _BRACE.finditer(text):
        if match.group() == "{":
            opened.append(match.start())
        elif opened:
            closing[opened.pop()] = match.start()
    return closing


def boxes(text: str) -> tuple[list[tuple[int, int, str]], bool]:
    """(start, end, content) of every outermost box, in order (``\\boxed 5`` counts too; a
    box inside another is part of that one's content), and whether the text ends inside a
    box, i.e. was cut off while giving its answer. Linear in the text."""
    found: list[tuple[int, int, str]] = []
    closing = None
    for match in _BOX.finditer(text):
        if found and match.start() < found[-1][1]:
            continue
        i = match.end()
        while i < len(text) and text[i] == " ":
            i += 1
        if i < len(text) and text[i] != "{":  # "\boxed 5"
            bare = _BARE.match(text, i)
            if bare:
                found.append((match.start(), bare.end(), bare.group(0)))
            continue
        if closing is None:
            closing = _closing_braces(text)
        j = closing.get(i)
        if j is None:
            return found, True
        found.append((match.start(), j + 1, text[i + 1 : j].strip()))
    return found, False


def last_boxed(text: str) -> str | None:
    """Content of the last ``\\boxed{...}`` (nested braces kept), or ``\\boxed x``.

    Boxes that end the answer together, separated by nothing but commas, "and" and
    spacing (``\\boxed{1}, \\boxed{2}``), are one answer: their contents joined by
    ", ". ``None`` when the text ends inside a box.
    """
    found, truncated = boxes(text)
    found = [b for b in found if b[2]]
    if truncated or not found:
        return None
    run = [found[-1]]
    for box in reversed(found[:-1]):
        if not _joins(text[box[1] : run[-1][0]]):
            break
        run.append(box)
    return ", ".join(content for _, _, content in reversed(run))
