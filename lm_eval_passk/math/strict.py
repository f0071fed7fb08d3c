"""The default grading mode, ``math_verify``: Math-Verify's comparison, with what it
gets wrong for pass@k put right.

- Exact numbers stay exact. Math-Verify compares exact expressions that are not plain
  numbers (``1/2004!``, ``2^{-100}``) by their difference to 15 digits with what is
  below chopped, so any two tiny numbers are equal; here such a verdict stands only
  when the two values also agree to 15 significant digits.
- A trailing variable is no unit: Math-Verify reads ``4t`` as 4 (t for tonnes).
- Typing that does not change the answer: ``$...$``, a final full stop, ``1 000``, ``1.5e3``.
- An answer in words ("The largest $n$ is 34") is graded by the maths in it; one that
  is no maths at all ("4:30 p.m.") as text.

Everything else is Math-Verify's own behaviour: sets in any order, intervals,
matrices, ``x = 3`` against ``3``, units in ``\\text{}`` dropped, percentages as
hundredths, floats to 6 decimal places. Importing this module switches Math-Verify
in this process to ``fast``'s faster parse and comparison, which give the same
results.
"""

from __future__ import annotations

import logging
import re
from fractions import Fraction
from functools import lru_cache

from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify
from sympy import Abs, Basic, Float, MatrixBase, Mul, Number, Rational, UnevaluatedExpr

from . import fast

# Grading workers keep time themselves (``lm_eval_passk.pool``: a timer signal, then a kill),
# so Math-Verify's own alarm is off, and its warning that it is off is noise.
logging.getLogger("math_verify").setLevel(logging.ERROR)
fast.install()

_EXTRACTION = (LatexExtractionConfig(), ExprExtractionConfig())
_SCIENTIFIC = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*[eE]\s*([-+]?\d+)")
_DOLLARS = re.compile(r"^\$+(.*?)\$+$", re.DOTALL)
_SPACED_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?: \d{3})+(?:\.\d+)?")
_INLINE_MATH_LIST = re.compile(r"\$[^$]+\$(?:\s*(?:,|;|and|or|\\text\{\s*(?:and|or)\s*\})?\s*\$[^$]+\$)+")
_MATH_DELIMITER = re.compile(r"(?<!\\)\$|\\\(|\\\[")
# "4t", "3ab", "\frac{1}{2}h": a variable that Math-Verify would drop as a unit (t for
# tonnes, h for hours, ab, ...); only its one- and two-letter units that are also names
# of variables, so "5cm" and "2i" read as before.
_TRAILING_VARIABLE = re.compile(r"(?<=[\d}])(c|d|g|h|l|m|o|s|t|ab|bc)$")
_LATEX_GROUPS = re.compile(r"\\[A-Za-z]+(?:\{[^{}]*\})?")
_TWO_WORDS = re.compile(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")
_EXACT_RATIONAL = re.compile(r"([-+]?\d+)|(-?)\\[dt]?frac\{(\d+)\}\{(\d+)\}")
_RELATIVE_TOLERANCE = Float("1e-15", 30)


def normalise(answer: str) -> str:
    """Undo what only the answer's typing changes: surrounding ``$``, a final full
    stop, ``1 000`` for ``1000``, ``1.5e3`` for ``1.5 \\times 10^{3}``; and write a
    trailing variable as a product (``4t`` -> ``4\\cdot{t}``) so it is not read as a unit."""
    text = answer.strip()
    if _INLINE_MATH_LIST.fullmatch(text):  # "$1$ and $2$" -> "1, 2"
        text = ", ".join(re.findall(r"\$([^$]+)\$", text))
    text = _DOLLARS.sub(r"\1", text).strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    text = _TRAILING_VARIABLE.sub(r"\\cdot{\1}", text)
    if _SPACED_THOUSANDS.fullmatch(text):
        return text.replace(" ", "")
    return _SCIENTIFIC.sub(r"\1 \\times 10^{\2}", text) if _SCIENTIFIC.fullmatch(text) else text


def is_prose(text: str) -> bool:
    """An answer in words with maths inside ("The largest $n$ is 34"), not an expression."""
    return bool(_MATH_DELIMITER.search(text) or _TWO_WORDS.search(_LATEX_GROUPS.sub(" ", text)))


@lru_cache(maxsize=8192)
def parse_answer(answer: str) -> list:
    """Math-Verify's parse of an answer: all of it as one expression (boxed), or else,
    for an answer given in words ("$x = 5$ metres"), the maths Math-Verify finds in it.
    Time limits are the caller's (see ``math.grading``)."""
    text = normalise(answer)
    if is_prose(text):
        found = parse(text, extraction_config=_EXTRACTION, parsing_timeout=None)
        if _has_maths(found):
            return found
    return parse(f"\\boxed{{{text}}}", extraction_config=_EXTRACTION, parsing_timeout=None)


def _words(text: str) -> str:
    """Text that is no maths, for comparing as text: no ``\\text{}`` wrappers, spacing,
    full stops or case."""
    return re.sub(r"[\s.]", "", re.sub(r"\\(?:text|textbf|mathrm|mbox)\{([^{}]*)\}", r"\1", text)).lower()


def _has_maths(parsed: list) -> bool:
    return any(isinstance(p, (Basic, MatrixBase)) for p in parsed)


def _is_plain_number(expr: Basic) -> bool:
    """A number or a percentage of one: Math-Verify compares those exactly already."""
    if isinstance(expr, Number):
        return True
    return isinstance(expr, Mul) and len(expr.args) == 2 and expr.args[1] == UnevaluatedExpr(Rational(1, 100))


def exact_rational(text: str) -> Fraction | None:
    """The value of an integer or a fraction of two (``-\\frac{3}{4}``), else None."""
    m = _EXACT_RATIONAL.fullmatch(text)
    if m is None or m[4] is not None and int(m[4]) == 0:
        return None
    if m[1] is not None:
        return Fraction(int(m[1]))
    return Fraction(int(m[3]), int(m[4])) * (-1 if m[2] else 1)


def exact_values_differ(gold, pred) -> bool:
    """True when both are exact numeric expressions (no floats, no variables) whose
    values differ beyond 15 significant digits."""
    if not (isinstance(gold, Basic) and isinstance(pred, Basic)) or isinstance(gold, MatrixBase):
        return False
    if _is_plain_number(gold) or _is_plain_number(pred):
        return False
    if not (getattr(gold, "is_number", False) and getattr(pred, "is_number", False)):
        return False
    if gold.atoms(Float) or pred.atoms(Float):
        return False
    gold_value, pred_value = gold.evalf(30), pred.evalf(30)
    if not (gold_value.is_finite and pred_value.is_finite):
        return False
    gap = Abs(gold_value - pred_value).evalf(30)
    scale = max(Abs(gold_value).evalf(30), Abs(pred_value).evalf(30))
    return bool(gap > _RELATIVE_TOLERANCE * scale)


def equal(answer: str, gold: str) -> bool:
    """Whether the bare answer means the gold answer."""
    plain_answer, plain_gold = normalise(answer), normalise(gold)
    exact_answer, exact_gold = exact_rational(plain_answer), exact_rational(plain_gold)
    if exact_answer is not None and exact_gold is not None:
        return exact_answer == exact_gold  # Math-Verify's verdict, without parsing LaTeX
    gold_parsed, answer_parsed = parse_answer(gold), parse_answer(answer)
    if not (_has_maths(gold_parsed) and _has_maths(answer_parsed)):
        words = _words(plain_answer)  # "4:30 p.m." and "\\text{4:30 pm}"
        return bool(words) and words == _words(plain_gold)
    if not verify(gold_parsed, answer_parsed, allow_set_relation_comp=True, timeout_seconds=None):
        return False
    try:
        return not exact_values_differ(gold_parsed[0], answer_parsed[0])
    except Exception:  # noqa: BLE001 - sympy raises anything on odd input; keep Math-Verify's verdict
        return True
