"""MathVision free-form answers: the final answer of a response as a bare expression
(``12``, ``2\\sqrt{3}``, ``\\frac{25}{7}``, ``(3,-4)``), ready for ``mathvision_equal``.

The answer is the last ``\\boxed{}`` or answer statement ("The answer is: 49"), else a
short response read whole ("$5\\sqrt{3}$", "120 degrees"), else the value a closing
sentence ends on ("Therefore, the number that was not used is 2."). Inside that text:
the side after its last "=", the exact side of an "≈", without maths delimiters and
the words around it (units, "approximately").
"""

from __future__ import annotations

import re

from ..boxed import boxes
from .text import SENTENCE_END, final_statement, own_answer

_SHORT = 40  # a one-line response this short is all answer
_MATH_DELIMITER = re.compile(r"\$|\\[()\[\]]")
# "\text{ cm}^2", "\mathrm{~m}^{2}" ending the answer: a unit, dropped; "\text{6 cm}": its words are read
_UNIT = re.compile(r"\\(?:text|mathrm|mbox|textbf|rm)\s*\{[\sA-Za-z.~]*\}(?:\^\s*\{?\d\}?)?(?=[\s.]*$)")
_TEXT = re.compile(r"\\(?:text|mathrm|mbox|textbf|rm)\s*\{([^{}]*)\}")
_SPACING = re.compile(r"\\[,;:! ]|~")
# A word of the sentence, not maths: two letters or more, not a LaTeX command ("\sqrt")
# and not a function written out ("sqrt(3)").
_WORD = re.compile(r"(?<![\\A-Za-z])(?!(?:sqrt|pi|cdot|times|sin|cos|tan|log|ln)(?![A-Za-z]))[A-Za-z]{2,}(?![A-Za-z])")
_CLOSING = re.compile(r"(?:\bis|\bare|\bbe|\bequals?|=)\s+(?P<answer>[^\s].{0,60}?)\s*[.!]?\s*$")
_JOINERS = {"and", "or"}
_APPROX = re.compile(r"\\approx|≈|\\simeq")
_ENDS = " \t\n.,;:"  # not "!": 4! is 24


def read_answer(response: str) -> str | None:
    """The answer a free-form response gives, as a bare expression, or ``None``."""
    text = own_answer(response)
    if boxes(text)[1]:  # cut off inside its box: no answer given
        return None
    stated = final_statement(text)
    if stated is None:
        stated = _short(text) or _closing(text)
    return None if stated is None else bare(stated)


def _short(text: str) -> str | None:
    text = text.strip()
    return text if text and len(text) <= _SHORT and "\n" not in text else None


def _closing(text: str) -> str | None:
    sentences = [s for s in SENTENCE_END.split(text.strip()) if s.strip()]
    if not sentences:
        return None
    found = _CLOSING.search(sentences[-1])
    return found.group("answer") if found and re.search(r"\d", found.group("answer")) else None


def bare(text: str) -> str | None:
    """The expression in an answer text: after its last "=", the exact side of "≈",
    without the words around it (units, "approximately") and maths delimiters."""
    text = _MATH_DELIMITER.sub(" ", text)
    without_units = _UNIT.sub(" ", text)
    if re.search(r"[0-9A-Za-z]", without_units):  # "\text{C}" is the answer, not a unit
        text = without_units
    text = _SPACING.sub(" ", _TEXT.sub(r" \1 ", text))
    after_equals = text.split("=")[-1]
    text = after_equals if after_equals.strip() else text
    sides = [s for s in _APPROX.split(text) if re.search(r"\d", s)]
    text = sides[0] if sides else text
    words = list(_WORD.finditer(text))
    start, i = 0, 0
    while i < len(words) and not text[start : words[i].start()].strip(_ENDS):  # "approximately 3.46"
        start, i = words[i].end(), i + 1
    end = words[i].start() if i < len(words) else len(text)  # "6 bricks"
    if i < len(words) and words[i].group().lower() in _JOINERS and re.search(r"\d", text[end:]):
        return None  # "3 and 6": two answers
    return text[start:end].strip(_ENDS) or text.strip(_ENDS) or None

