"""The ``paper`` grading mode: the answer equivalence of Qwen2.5-Math's evaluation
(``math_equal`` after ``strip_string``), which arXiv 2504.13837 used, rebuilt from
its documented behaviour so that pass@k reproduces the paper's numbers.

Order of tests: normalised strings, then numbers (commas dropped, ``%`` read as
hundredths, the gold also tried x100 and /100, relative tolerance 1e-4), then
brackets ignored, element-wise lists and matrices, equations, and finally sympy
(structural, ``simplify(a - b) == 0``, numeric value). It is more lenient than the
default mode: ``0.5`` matches ``50``, ``0.3333`` matches ``1/3``, and units and
variable names are stripped.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from latex2sympy2_extended import latex2sympy
from sympy import N, simplify
from sympy.parsing.sympy_parser import parse_expr
from word2number import w2n

# MathQA's unit words, which the reference strips (as regexes, in this order), each
# also with a plural "s".
UNITS = [
    'east', 'degree', 'mph', 'kmph', 'ft', 'm sqaure', ' m east', 'sq m', 'deg', 'mile', 'q .', 'monkey',
    'prime', 'ratio', 'profit of rs', 'rd', 'o', 'gm', 'p . m', 'lb', 'tile', 'per', 'dm', 'lt', 'gain',
    'ab', 'way', 'west', 'a .', 'b .', 'c .', 'd .', 'e .', 'f .', 'g .', 'h .', 't', 'a', 'h', 'no change',
    'men', 'soldier', 'pie', 'bc', 'excess', 'st', 'inches', 'noon', 'percent', 'by', 'gal', 'kmh', 'c',
    'acre', 'rise', 'a . m', 'th', 'π r 2', 'sq', 'mark', 'l', 'toy', 'coin', 'sq . m', 'gallon', '° f',
    'profit', 'minw', 'yr', 'women', 'feet', 'am', 'pm', 'hr', 'cu cm', 'square', 'v â € ™', 'are', 'rupee',
    'rounds', 'cubic', 'cc', 'mtr', 's', 'ohm', 'number', 'kmph', 'day', 'hour', 'minute', 'min', 'second',
    'man', 'woman', 'sec', 'cube', 'mt', 'sq inch', 'mp', '∏ cm ³', 'hectare', 'more', 'sec', 'unit',
    'cu . m', 'cm 2', 'rs .', 'rs', 'kg', 'g', 'month', 'km', 'm', 'cm', 'mm', 'apple', 'liter', 'loss',
    'yard', 'pure', 'year', 'increase', 'decrease', 'd', 'less', 'Surface', 'litre', 'pi sq m', 's .',
    'metre', 'meter', 'inch',
]
UNITS += [u + "s" for u in UNITS]
_UNIT_PATTERNS = [re.compile(r"(^|\W)" + unit + r"($|\W)") for unit in UNITS]

_CHOICES = ("A", "B", "C", "D", "E")
_SAFE_NAMES = {"sqrt", "pi", "sin", "cos", "tan", "log", "ln", "exp", "oo", "factorial", "binomial"}
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def _word_to_number(text: str) -> str:
    try:
        return str(w2n.word_to_num(text))
    except Exception:  # noqa: BLE001 - not a number word: keep the text
        return text


def _fix_fracs(text: str) -> str:
    """``\\frac12`` -> ``\\frac{1}{2}``, ``\\frac1{72}`` -> ``\\frac{1}{72}``."""
    head, *parts = text.split("\\frac")
    out = head
    for part in parts:
        out += "\\frac"
        if part.startswith("{"):
            out += part
        elif len(part) < 2:
            return text
        elif part[1] == "{":
            out += "{" + part[0] + "}" + part[1:]
        else:
            out += "{" + part[0] + "}{" + part[1] + "}" + part[2:]
    return out


def _fix_a_slash_b(text: str) -> str:
    """``3/4`` -> ``\\frac{3}{4}`` when both sides are integers as written (or roots)."""
    parts = text.split("/")

    def plain(part: str) -> bool:
        return "sqrt" in part or (re.fullmatch(r"[-+]?\d+", part.strip()) is not None and str(int(part)) == part)

    if len(parts) == 2 and all(plain(p) for p in parts):
        return f"\\frac{{{parts[0]}}}{{{parts[1]}}}"
    return text


@lru_cache(maxsize=8192)
def normalise(text: str, skip_units: bool = False) -> str:
    """Qwen2.5-Math's ``strip_string``: the same rewrites, in the same order."""
    s = str(text).strip().replace("\n", "").rstrip(".").replace("\\!", "")
    s = re.sub(r"\\begin\{array\}\{.*?\}", r"\\begin{pmatrix}", s)
    s = re.sub(r"\\end\{array\}", r"\\end{pmatrix}", s).replace("bmatrix", "pmatrix")
    s = s.replace("tfrac", "frac").replace("dfrac", "frac")
    s = s.replace("\\neq", "\\ne").replace("\\leq", "\\le").replace("\\geq", "\\ge")
    s = s.replace("\\left", "").replace("\\right", "").replace("\\{", "{").replace("\\}", "}")
    without_unit = re.sub(r"\\text{.*?}$", "", s).strip()
    if without_unit:
        s = without_unit
    if not skip_units:
        for _ in range(2):
            for pattern in _UNIT_PATTERNS:
                stripped = pattern.sub(r"\1\2", s)
                if stripped:
                    s = stripped
    s = s.replace("^{\\circ}", "").replace("^\\circ", "")
    s = s.replace("\\$", "").replace("$", "").replace("\\(", "").replace("\\)", "")
    s = _word_to_number(s)
    s = re.sub(r"\\text\{(.*?)\}", r"\1", s)
    for key in ("x=", "y=", "z=", "x\\in", "y\\in", "z\\in", "x\\to", "y\\to", "z\\to"):
        s = s.replace(key, "")
    s = s.replace("\\emptyset", "{}").replace("(-\\infty,\\infty)", "\\mathbb{R}")
    s = s.replace("\\%", "").replace("%", "")
    s = s.replace(" .", " 0.").replace("{.", "{0.")
    s = s.replace("infinity", "\\infty")
    if "\\infty" not in s:
        s = s.replace("inf", "\\infty")
    s = s.replace("+\\inity", "\\infty").replace("and", "").replace("\\mathbf", "")
    s = re.sub(r"\\mbox{.*?}", "", s)
    if "j" in s and "i" not in s:
        s = s.replace("j", "i")
    s = re.sub(r"(\d+)\.0*([^\d])", r"\1\2", s)
    s = re.sub(r"(\d+)\.0*$", r"\1", s)
    if not s:
        return s
    if s[0] == ".":
        s = "0" + s
    sides = s.split("=")
    if len(sides) == 2 and len(sides[0]) <= 2:
        s = sides[1]
    s = re.sub(r"\\sqrt(\w+)", r"\\sqrt{\1}", s).replace(" ", "")
    return _fix_a_slash_b(_fix_fracs(s))


def _choice(text: str) -> str:
    text = text.strip("\n").rstrip(".").rstrip("/").strip(" ").lstrip(":")
    letters = re.findall(r"\b(A|B|C|D|E)\b", text.upper())
    return (letters[-1] if letters else text.strip().strip(".")).rstrip(".").rstrip("/")


def _number(text: str) -> float | None:
    text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    if text.endswith("%"):
        text = text[:-1].removesuffix("\\")
        try:
            return float(text) / 100
        except ValueError:
            pass
    return None


def _close(a: float, b: float) -> bool:
    return math.isclose(b, a, rel_tol=1e-4)


def _numbers_equal(pred: str, ref: str) -> bool:
    p, r = _number(pred), _number(ref)
    if p is None or r is None:
        return False
    return any(_close(p, candidate) for candidate in (r / 100, r, r * 100))


def _is_list(text: str) -> bool:
    return re.match(r"(\(|\[).+(\)|\])", text) is not None


def _is_matrix(text: str) -> bool:
    return text.startswith(("\\begin{pmatrix}", "\\begin{bmatrix}")) and text.endswith(
        ("\\end{pmatrix}", "\\end{bmatrix}")
    )


def _matrix_rows(text: str) -> list[list[str]]:
    body = text[len("\\begin{pmatrix}"):-len("\\end{pmatrix}")]
    return [line.strip().split("&") for line in body.split("\\\\") if line.strip()]


def _to_pmatrix(text: str) -> str:
    rows = [m.strip("{}") for m in re.findall(r"\{.*,.*\}", text.strip())]
    return ", ".join("\\begin{pmatrix}" + m.replace(",", "\\") + "\\end{pmatrix}" for m in rows)


def _lists_equal(pred: str, ref: str) -> bool:
    p, r = pred[1:-1].split(","), ref[1:-1].split(",")
    return len(p) == len(r) and all(math_equal(a, b) for a, b in zip(p, r))


def _matrices_equal(pred: str, ref: str) -> bool:
    p, r = _matrix_rows(pred), _matrix_rows(ref)
    return len(p) == len(r) and all(
        len(a) == len(b) and all(math_equal(x, y) for x, y in zip(a, b)) for a, b in zip(p, r)
    )


def _is_short_equation(text: str) -> bool:
    return text.count("=") == 1 and len(text.split("=")[0].strip()) <= 2


def _equations_equal(pred: str, ref: str) -> bool:
    def as_difference(equation: str) -> str:
        lhs, rhs = equation.split("=")
        return f"{lhs.strip()} - ({rhs.strip()})"

    p, r = as_difference(pred), as_difference(ref)
    return symbolic_equal(p, r) or symbolic_equal(f"-({p})", r)


def math_equal(pred: str, ref: str) -> bool:
    """Qwen2.5-Math's ``math_equal(pred, ref)`` with percentages and closeness on."""
    if pred.strip().lower() == ref.strip().lower():
        return True
    if ref in _CHOICES and _choice(pred) == ref:
        return True
    if _numbers_equal(pred, ref):
        return True
    if not pred:
        return False
    ref, pred = ref.strip(), pred.strip()
    if "pmatrix" in pred and "pmatrix" not in ref:
        ref = _to_pmatrix(ref)
    p, r = pred, ref
    if (p.startswith("[") and p.endswith("]") and not (r.startswith("(") and r.endswith(")"))) or (
        p.startswith("(") and p.endswith(")") and not (r.startswith("[") and r.endswith("]"))
    ):
        p, r = p.strip("[]()"), r.strip("[]()")
    for bracket in "{}()":
        p, r = p.replace(bracket, ""), r.replace(bracket, "")
    if p.lower() == r.lower():
        return True
    if _is_list(pred) and _is_list(ref):
        return _lists_equal(pred, ref)
    if _is_matrix(pred) and _is_matrix(ref):
        return _matrices_equal(pred, ref)
    if pred.count("=") == 1 and ref.count("=") == 1:
        return _equations_equal(pred, ref)
    if _is_short_equation(pred) and "=" not in ref:
        return math_equal(pred.split("=")[1], ref)
    if _is_short_equation(ref) and "=" not in pred:
        return math_equal(pred, ref.split("=")[1])
    return symbolic_equal(pred, ref)


def _parse_expr_safely(text: str):
    """sympy's ``parse_expr`` evaluates Python: only let arithmetic of short names through
    (no dunders, strings, statements or long names; the pool's kill bounds the rest)."""
    long_names = [n for n in _IDENTIFIER.findall(text) if len(n) > 1 and n not in _SAFE_NAMES]
    if "__" in text or long_names or any(c in text for c in "'\"`;:@"):
        raise ValueError("not plain arithmetic")
    return parse_expr(text)


def _to_sympy(text: str):
    """The reference tries sympy's ANTLR LaTeX parser, ``parse_expr``, then latex2sympy.
    sympy's parser needs antlr4 4.11, Math-Verify pins 4.13; latex2sympy2_extended,
    grown from the same grammar, stands in for it, except on commas (``10{,}000``,
    ``1, 2``), which it reads and the reference's LaTeX parsers reject."""
    parsers = (_parse_expr_safely,) if "," in text else (latex2sympy, _parse_expr_safely)
    for parser in parsers:
        for candidate in (text.replace("\\\\", "\\"), text):
            try:
                return parser(candidate)
            except Exception:  # noqa: BLE001 - try the next parser
                pass
    return text


def symbolic_equal(a: str, b: str) -> bool:
    x, y = _to_sympy(a), _to_sympy(b)
    checks = (
        lambda: str(x) == str(y) or x == y,
        lambda: x.equals(y) or simplify(x - y) == 0,
        lambda: abs(x.lhs - x.rhs).equals(abs(y.lhs - y.rhs)),
        lambda: _close(float(N(x)), float(N(y))),
        lambda: x.shape == y.shape and x.applyfunc(lambda v: round(v, 3)).equals(y.applyfunc(lambda v: round(v, 3))),
    )
    for check in checks:
        try:
            if check():
                return True
        except Exception:  # noqa: BLE001 - the reference treats every failure as "not this way"
            pass
    return False


def equal(answer: str, gold: str) -> bool:
    """Whether the extracted answer matches the gold answer, the paper's way."""
    return math_equal(normalise(answer), normalise(gold))
