"""Math-Verify, faster, with the same verdicts: three of its slow steps get a cheap
first stage that only ever settles what the slow step would settle the same way.

- LaTeX parsing. latex2sympy2_extended's ANTLR parser predicts in ANTLR's default
  ``LL`` mode, whose full-context predictions make a tuple such as ``(-2,16)`` take
  some 25 ms. ``SLL`` mode is tens of times faster and, by ANTLR's contract
  (``antlr4.atn.PredictionMode.SLL``), either returns the very tree that ``LL``
  returns or reports a syntax error. So each string is parsed with ``SLL`` first and,
  on any error, again from scratch exactly as latex2sympy2 does: ANTLR's standard
  two-stage parse. Both stages share ANTLR's prediction cache, which is the same in
  either mode.
- Symbolic equality. Math-Verify's last resort, ``simplify(a - b).is_zero``, takes
  milliseconds even for ``x + 3`` against ``x + 4``, and it is where most wrong
  answers end up. Where ``a - b`` is built from numbers, constants, unconstrained
  variables, ``+``, ``*`` and powers only, its value at one point settles it: if
  that value is clearly not zero, ``a - b`` is not zero as a function, so no
  simplification of it is zero and Math-Verify's answer is False too. Anything
  else goes to Math-Verify's own comparison.
- Equations. When ``a = b`` and ``c = d`` do not match term by term, Math-Verify
  solves both for all their variables with ``sympy.solve`` (some 60 ms for a plane)
  and compares the solutions. Two linear equations with rational coefficients have
  the same solutions only if one is a multiple of the other, so when they are not,
  Math-Verify's answer is False without solving. (A multiple goes to ``solve``
  still: ``2x = 6`` against ``x = 3`` has its own outcome there.)

``install()`` switches all three over in the process that calls it (the grading workers).
"""

from __future__ import annotations

from antlr4 import PredictionMode
from latex2sympy2_extended import latex2sympy2
from math_verify import grader
from sympy import Add, Eq, Expr, Mul, Number, NumberSymbol, Poly, Pow, Rational, Symbol, preorder_traversal
from sympy.core.numbers import ImaginaryUnit

# Internals of the tested versions (see setup.cfg); with others, install() does nothing.
_create_ll_parser = getattr(getattr(latex2sympy2, "_Latex2Sympy", None), "create_parser", None)
_symbolic_eq = getattr(grader, "sympy_symbolic_eq", None)
_solve_and_compare = getattr(grader, "sympy_solve_and_compare", None)

# Where each variable is evaluated: positive, so that a real variable may take it;
# unrelated to each other and to anything a person would write, so that a difference
# that is not zero as a function is seldom zero there (then Math-Verify decides).
_POINTS = tuple(Rational(p, q) for p, q in ((7919, 10007), (104729, 70001), (1299709, 1000003), (3571, 4999),
                                            (15485863, 9999991), (611953, 999983)))
_DIGITS = 30
_LARGEST_EXPONENT = 1000
_ZERO_BELOW = 1e-12  # relative to the sizes of a and b there; 30-digit arithmetic errs by ~1e-28


def _create_two_stage_parser(converter, latex_str: str):
    parser = _create_ll_parser(converter, latex_str)
    parser._interp.predictionMode = PredictionMode.SLL
    parse_sll = parser.math

    def math():
        try:
            return parse_sll()
        except Exception:  # noqa: BLE001 - a syntax error, or input that needs LL: parse as latex2sympy2 does
            return _create_ll_parser(converter, latex_str).math()

    parser.math = math
    return parser


def _free_variable(node) -> bool:
    """A variable that may take any positive value (none of its assumptions rule that out)."""
    return isinstance(node, Symbol) and all(
        getattr(node, f"is_{fact}") is not False for fact in ("real", "positive", "finite")
    ) and node.is_integer is None and node.is_rational is None


def _small_power(node) -> bool:
    """A power that stays cheap to compute exactly once its variables are numbers."""
    exponent = node.exp
    return not node.base.free_symbols or not isinstance(exponent, Number) or abs(exponent) <= _LARGEST_EXPONENT


def _algebraic(expr) -> bool:
    return isinstance(expr, Expr) and all(
        isinstance(node, (Add, Mul, Number, NumberSymbol, ImaginaryUnit))
        or (isinstance(node, Pow) and _small_power(node))
        or _free_variable(node)
        for node in preorder_traversal(expr)
    )


def _magnitude(value) -> float | None:
    """|value| for a finite number, else None."""
    real, imaginary = value.as_real_imag()
    if not (isinstance(real, Number) and isinstance(imaginary, Number)):
        return None
    magnitude = abs(complex(real, imaginary))
    return magnitude if magnitude < float("inf") else None


def values_differ(a, b) -> bool:
    """True when ``a - b`` is algebraic and clearly not zero at one point; False when
    that does not settle it."""
    try:
        difference = a - b
        if not (_algebraic(a) and _algebraic(b) and _algebraic(difference)):
            return False
        variables = sorted(a.free_symbols | b.free_symbols, key=str)
        if len(variables) > len(_POINTS):
            return False
        point = dict(zip(variables, _POINTS))
        sizes = [_magnitude(e.xreplace(point).evalf(_DIGITS)) for e in (a, b, difference)]
    except Exception:  # noqa: BLE001 - sympy raises anything on odd input; leave it to Math-Verify
        return False
    if any(size is None for size in sizes):
        return False
    size_a, size_b, gap = sizes
    return gap > _ZERO_BELOW * max(1.0, size_a, size_b)


def _symbolic_eq_unless_values_differ(a, b) -> bool:
    return False if values_differ(a, b) else _symbolic_eq(a, b)


def _linear(equation, variables: list) -> Poly | None:
    """``lhs - rhs`` as a polynomial of degree 1 with rational coefficients in
    variables free of sign assumptions (which ``solve`` would use to drop solutions)."""
    if not all(_free_variable(v) and v.is_positive is None and v.is_negative is None for v in variables):
        return None
    try:
        poly = Poly(equation.lhs - equation.rhs, *variables)
    except Exception:  # noqa: BLE001 - not a polynomial in them
        return None
    return poly if poly.total_degree() == 1 and (poly.domain.is_ZZ or poly.domain.is_QQ) else None


def linear_equations_differ(gold, pred) -> bool:
    """True when both are linear equations with rational coefficients and neither is
    a multiple of the other; False when that does not settle it."""
    if not (isinstance(gold, Eq) and isinstance(pred, Eq)):
        return False
    variables = sorted(gold.free_symbols | pred.free_symbols, key=str)
    g, p = _linear(gold, variables), _linear(pred, variables)
    if g is None or p is None:
        return False
    g_terms, p_terms = g.as_dict(), p.as_dict()
    monomial = next(iter(g_terms))
    if monomial not in p_terms:
        return True
    # g is a multiple of p exactly when g * p[m] == p * g[m], term by term
    return not (g * p_terms[monomial] - p * g_terms[monomial]).is_zero


def _solve_and_compare_unless_linear_differ(gold, pred, *args, **kwargs) -> bool:
    return False if linear_equations_differ(gold, pred) else _solve_and_compare(gold, pred, *args, **kwargs)


def install() -> None:
    if _create_ll_parser is not None:
        latex2sympy2._Latex2Sympy.create_parser = _create_two_stage_parser
    if _symbolic_eq is not None:
        grader.sympy_symbolic_eq = _symbolic_eq_unless_values_differ
    if _solve_and_compare is not None:
        grader.sympy_solve_and_compare = _solve_and_compare_unless_linear_differ
