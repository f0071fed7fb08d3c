"""Whether a MathVision free-form answer equals the gold answer: numbers, fractions,
roots, multiples of pi, tuples, text.

Plain numbers (``12``, ``-4.5``, ``7/3``, ``\\frac{25}{7}``) are compared exactly, in
this process (:func:`plain_verdict`); anything else goes through Math-Verify, in the
grading workers of ``lm_eval_passk.pool`` (:func:`equal`), because sympy can take
unbounded time. A decimal stands for an exact value when it is that value rounded to
the decimal's own places, two at least (``3.46`` for ``2\\sqrt{3}``, not ``3.5``);
MATH-V's reference rounds both sides to two places, which also takes ``5.004`` for 5.
Degree signs, ``\\%`` and unit words in braces (``69{degrees}``) are dropped.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify
from sympy import Basic

_DOLLARS = re.compile(r"^\$+|\$+$")
_DEGREES = re.compile(r"\^\s*\{?\\circ\}?|°|\\degree")
_PERCENT = re.compile(r"\\?%$")
_UNIT_IN_BRACES = re.compile(
    r"\{(?:square|cubic)?\s*(?:degrees?|inch(?:es)?|units?|cm|centimet(?:re|er)s?|met(?:re|er)s?)\}")
# "2^{12} 13^2" is a product (MATH-V 2825's gold); Math-Verify reads 1 * 3^2 there
_IMPLICIT_PRODUCT = re.compile(r"(?<=\})\s+(?=\d)")
_DECIMAL = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")
_FRACTION = re.compile(r"([-+]?)(?:\\[dt]?frac\{\s*(\d+)\s*\}\{\s*(\d+)\s*\}|(\d+)\s*/\s*(\d+))")
_PROSE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_MIN_PLACES = 2
_LONGEST_PLAIN = 40  # characters; longer numbers go to the workers, whose time is limited

# Grading workers keep time themselves (lm_eval_passk.pool), so Math-Verify's own alarm is off.
logging.getLogger("math_verify").setLevel(logging.ERROR)


def normalise(answer: str) -> str:
    """The answer without what only its typing changes: ``$``, a final full stop, spaces
    at the ends, ``\\left``/``\\right``, degree signs, unit words in braces; a product
    written with a space after a brace made explicit."""
    text = _DOLLARS.sub("", answer.strip()).strip()
    text = text.rstrip(".").strip() if not text.endswith("..") else text
    text = text.replace("\\left", "").replace("\\right", "").replace("\\!", "")
    text = _DEGREES.sub("", text)
    text = _IMPLICIT_PRODUCT.sub(r" \\cdot ", text)
    return _UNIT_IN_BRACES.sub("", text).strip()


def plain_value(text: str) -> Fraction | None:
    """The exact value of an integer, a decimal or a fraction of two integers (``None``
    for anything else, and for numbers too long to be an answer)."""
    if len(text) > _LONGEST_PLAIN:
        return None
    if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")
    if _DECIMAL.fullmatch(text):
        try:
            return Fraction(Decimal(text))
        except InvalidOperation:
            return None
    match = _FRACTION.fullmatch(text)
    if match is None:
        return None
    num, den = (match[2], match[3]) if match[2] is not None else (match[4], match[5])
    if int(den) == 0:
        return None
    return Fraction(int(num), int(den)) * (-1 if match[1] == "-" else 1)


def decimal_places(text: str) -> int | None:
    """How many decimal places a decimal is written with (``None`` if it is no decimal)."""
    if not _DECIMAL.fullmatch(text) or "." not in text:
        return None
    return len(text.split(".", 1)[1])


def approximates(decimal: str, value: Fraction) -> bool:
    """Whether ``decimal``, written with two places or more, is ``value`` rounded to them."""
    places = decimal_places(decimal)
    if places is None or places < _MIN_PLACES or len(decimal) > _LONGEST_PLAIN:
        return False
    return abs(Fraction(Decimal(decimal)) - value) * 10**places <= Fraction(1, 2)


def plain_verdict(answer: str, gold: str) -> bool | None:
    """The verdict when both sides are plain numbers (``None`` when one is not)."""
    answer, gold = normalise(answer), normalise(gold)
    answer_value, gold_value = plain_value(answer), plain_value(gold)
    if answer_value is None or gold_value is None:
        return None
    return answer_value == gold_value or approximates(answer, gold_value) or approximates(gold, answer_value)


def _parse(text: str) -> list:
    return parse(f"\\boxed{{{text}}}", extraction_config=(LatexExtractionConfig(), ExprExtractionConfig()),
                 parsing_timeout=None)


def _value(parsed: list) -> Fraction | None:
    """The value of a parsed real number, to 30 digits."""
    expr = parsed[0] if parsed else None
    if not isinstance(expr, Basic) or not expr.is_number:
        return None
    value = expr.evalf(30)
    if not (value.is_real and value.is_finite):
        return None
    return Fraction(str(value))


def _approximates_parsed(decimal: str, parsed: list) -> bool:
    if (decimal_places(decimal) or 0) < _MIN_PLACES:  # no need to evaluate
        return False
    value = _value(parsed)
    return value is not None and approximates(decimal, value)


def _words(text: str) -> str:
    return re.sub(r"\\(?:text|mathrm|textbf)\{([^{}]*)\}", r"\1", text).replace(" ", "").lower()


def equal(answer: str, gold: str) -> bool:
    """Whether ``answer`` means ``gold`` (run in a grading worker: it may call sympy)."""
    verdict = plain_verdict(answer, gold)
    if verdict is not None:
        return verdict
    answer, gold = normalise(answer), normalise(gold)
    if _words(answer) == _words(gold):
        return True
    if _PROSE.search(_LATEX_COMMAND.sub(" ", answer)):  # "No solution", "Depends on the shapes"
        return False
    tries = [(answer, gold)]
    if _PERCENT.search(answer) and not _PERCENT.search(gold):  # "20\%" answers "what percent" with 20
        tries.append((_PERCENT.sub("", answer).strip(), gold))
    for a, g in tries:
        answer_parsed, gold_parsed = _parse(a), _parse(g)
        if not answer_parsed or not gold_parsed:
            continue
        if verify(gold_parsed, answer_parsed, timeout_seconds=None):
            return True
        if _approximates_parsed(a, gold_parsed) or _approximates_parsed(g, answer_parsed):
            return True
    return False


def numeric_value(answer: str) -> float | None:
    """The real value of an answer (``None`` if it has none), for reports that compare
    values the way other graders do (run it in a grading worker: it may call sympy)."""
    text = normalise(answer)
    value = plain_value(text)
    if value is None:
        value = _value(_parse(text))
    return None if value is None else float(value)
