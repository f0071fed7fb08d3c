"""LaTeX ``\\boxed{...}`` answers in model responses: where each box is, and the last
one (boxes that end the answer together count as one). Shared by every wing that reads
boxed answers. Pure functions, standard library only."""

from __future__ import annotations

import re

_BOX = re.compile(r"\\(?:boxed|fbox)(?![A-Za-z])")
# What may stand between boxes that together give one answer: "\boxed{1}, \boxed{2}",
# "\boxed{(3, 3)} \text{ for part (a) and } \boxed{(1, 1)}", "y_1 = \boxed{..} and y_2 = \boxed{..}",
# "\boxed{1} papers and \boxed{2} bins".
_BOX_JOINER = re.compile(
    r"(?:\s|[,;&$]|\\[,;:!]|\\q?quad|\\\(|\\\)|\\\[|\\\]"  # spacing, math delimiters
    r"|\\text\{[^{}]*\b(?:and|or)\s*\}|\\text\{\s*,?\s*\}|\band\b|\bor\b|\b[A-Za-z]+\s+(?:and|or)\b"  # "and"
    r"|[A-Za-z](?:_\{?\w+\}?)?\s*=)*"  # a label, "y_2 ="
)


def boxes(text: str) -> tuple[list[tuple[int, int, str]], bool]:
    """(start, end, content) of every box, in order (``\\boxed 5`` counts too), and
    whether the text ends inside a box, i.e. was cut off while giving its answer."""
    found = []
    for match in _BOX.finditer(text):
        i = match.end()
        while i < len(text) and text[i] == " ":
            i += 1
        if i < len(text) and text[i] != "{":  # "\boxed 5"
            bare = re.match(r"[^\s$]+", text[i:])
            if bare:
                found.append((match.start(), i + bare.end(), bare.group(0)))
            continue
        depth = 0
        for j in range(i, len(text)):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    found.append((match.start(), j + 1, text[i + 1 : j].strip()))
                    break
        else:
            return found, True
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
        gap = text[box[1] : run[0][0]]
        if not _BOX_JOINER.fullmatch(gap):
            break
        run.insert(0, box)
    return ", ".join(content for _, _, content in run)
