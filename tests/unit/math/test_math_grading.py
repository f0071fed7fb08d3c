"""Math verdicts in both grading modes, on the traps that decide pass@k at large k.

``strict`` is the default mode (``math_verify``): the verdict a mathematician gives.
``paper`` is Qwen2.5-Math's ``math_equal`` after ``strip_string``, worked out by hand
from its rules (normalise both, then string, numbers with the gold also x100 and
/100 at relative tolerance 1e-4, element-wise lists, equations, sympy).
"""

from __future__ import annotations

import json
import time

import pytest
import sympy
from latex2sympy2_extended.latex2sympy2 import _Latex2Sympy

from lm_eval_passk.math import fast as math_fast
from lm_eval_passk.math import paper as math_paper
from lm_eval_passk.math import strict as math_strict
from lm_eval_passk.math.extract import extract_math_answer
from lm_eval_passk.math.grading import GRADING_MODES, grade_answers

# (answer, gold, strict verdict, paper verdict)
TRAPS = [
    # percentages vs fractions: 50% is 1/2; the paper strips "%" and compares 50 with 1/2,
    # but also accepts the gold x100 or /100, so 0.5 matches 50
    ("50\\%", "\\frac{1}{2}", True, False),
    ("0.5", "50\\%", True, True),
    ("50", "50\\%", True, True),
    ("0.5", "50", False, True),
    ("50", "0.5", False, True),
    # \text{} answers
    ("Evelyn", "\\text{Evelyn}", True, True),
    ("\\text{(B)}", "B", True, True),  # paper: a choice letter found in "(B)"
    ("B", "\\text{(C)}", False, False),
    # intervals: the paper compares lists element-wise and ignores the bracket kinds
    ("[2,5)", "[2,5)", True, True),
    ("(2,5]", "[2,5)", False, True),
    ("(-\\infty, 3]", "(-\\infty,3)", False, True),
    ("x<3", "(-\\infty,3)", True, False),
    # sets in any order; tuples in order; the paper reads "3, 1, 2" as a tuple
    ("\\{3,1,2\\}", "\\{1,2,3\\}", True, True),
    ("3, 1, 2", "1, 2, 3", True, False),
    ("1, 2", "1, 2, 3", False, False),
    ("(2,1)", "(1,2)", False, False),
    ("(1,2),(3,4)", "(3,4),(1,2)", True, False),
    # matrices
    ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", True, True),
    ("\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", True, True),
    ("\\begin{pmatrix}2&1\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", False, False),
    # units go; a variable is not a unit (Math-Verify alone drops the "t" of 4t)
    ("5\\text{ cm}", "5", True, True),
    ("5", "5\\text{ cm}", True, True),
    ("6\\text{ cm}", "5\\text{ cm}", False, False),
    ("4", "4t", False, False),
    ("4t", "4t", True, True),
    ("90^\\circ", "90", True, True),
    # \dfrac vs /, decimals, pi
    ("\\dfrac{3}{4}", "3/4", True, True),
    ("0.75", "\\frac{3}{4}", True, True),
    ("\\frac{4}{3}", "\\frac{3}{4}", False, False),
    ("\\pi/2", "\\frac{\\pi}{2}", True, True),
    ("1.57", "\\frac{\\pi}{2}", False, False),  # 5e-4 off: beyond both tolerances
    ("\\sqrt{8}", "2\\sqrt{2}", True, True),
    # equations: x = 3 answers 3; the paper drops any short left-hand side
    ("x=3", "3", True, True),
    ("3", "x = 3", True, True),
    ("y=3", "x=3", False, True),
    ("x=3", "x=4", False, False),
    # thousands separators; the paper's parsers cannot read LaTeX's {,}
    ("1,000", "1000", True, True),
    ("1{,}000", "1000", True, False),
    ("1 000", "1000", True, True),
    ("10,000", "1000", False, False),
    # leading zeros (AIME answers are 000-999)
    ("007", "7", True, True),
    ("0070", "7", False, False),
    # scientific notation
    ("1.5e3", "1500", True, True),
    ("1.5\\times10^{3}", "1500", True, True),
    ("2.5 \\times 10^{-3}", "0.0025", True, True),
    ("1.5e3", "150", False, False),
    # exact numbers stay exact; the paper compares floats, where 1/2004! and 1/2006! are both 0.0
    ("\\frac{1}{2004!}", "\\frac{1}{2006!}", False, True),
    ("2^{-100}", "\\frac{1}{2^{100}}", True, True),
    ("10^{-20}", "10^{-21}", False, False),
    # rounding: 6 decimals for the default, relative 1e-4 for the paper
    ("0.33333", "\\frac{1}{3}", False, True),
    ("0.333333", "\\frac{1}{3}", True, True),
    ("9999", "10000", False, True),
    # typing: a final full stop, dollars
    ("3.", "3", True, True),
    ("\\$18.90", "18.90", True, True),
]


@pytest.mark.parametrize(("answer", "gold", "strict", "paper"), TRAPS)
def test_default_mode_gives_a_mathematicians_verdict(answer, gold, strict, paper):
    assert math_strict.equal(answer, gold) is strict


@pytest.mark.parametrize(("answer", "gold", "strict", "paper"), TRAPS)
def test_paper_mode_follows_the_reference_rules(answer, gold, strict, paper):
    assert math_paper.equal(answer, gold) is paper


def test_text_answers_compare_as_text_when_they_are_no_maths():
    assert math_strict.equal("4:30 p.m.", "\\text{4:30 p.m.}")
    assert not math_strict.equal("5:30 p.m.", "\\text{4:30 p.m.}")


# Whole responses: what the tasks grade (extraction first). (response, gold, strict, paper)
RESPONSES = [
    # multiple boxes, one answer: a set for the default, an ordered tuple for the paper
    ("The roots are $\\boxed{2}$ and $\\boxed{1}$.", "1, 2", True, False),
    ("First \\boxed{3}; no wait, it is \\boxed{4}.", "3", False, False),  # the last box counts
    ("Summing, the probability is \\boxed{\\frac{1", "\\frac{1}{2}", False, False),  # cut off inside the box
    ("We are asked for 10,000 minus 1. I ran out of", "9999", False, False),  # cut off before any box
]


@pytest.mark.parametrize("mode", GRADING_MODES)
def test_grade_answers_grades_each_distinct_pair_once_through_the_pool(mode):
    column = 2 if mode == "math_verify" else 3
    answers = [t[0] for t in TRAPS] * 2 + [extract_math_answer(r[0]) for r in RESPONSES] + [None]
    golds = [t[1] for t in TRAPS] * 2 + [r[1] for r in RESPONSES] + ["7"]
    expected = [t[column] for t in TRAPS] * 2 + [r[column] for r in RESPONSES] + [False]
    grades = grade_answers(answers, golds, mode=mode, workers=2, desc=None)
    assert grades.verdicts == expected
    assert grades.failures == 0
    # each trap twice, graded once; the two truncated responses and the None are not graded
    assert grades.distinct_pairs == len(TRAPS) + 2


def test_an_answer_that_never_finishes_scores_zero_within_its_timeout():
    # 10^(10^10) has ten billion digits: sympy computes it in C, so only the kill stops it.
    start = time.monotonic()
    grades = grade_answers(["10^{10^{10}}", "7"], ["1", "7"], timeout_s=2, workers=1, desc=None)
    assert grades.verdicts == [False, True]
    assert grades.failures == 1
    assert time.monotonic() - start < 30


def test_an_unknown_mode_names_the_modes():
    with pytest.raises(ValueError, match="math_verify, paper"):
        grade_answers(["1"], ["1"], mode="exact")


def test_both_modes_reproduce_the_qwen_labels_on_real_samples(shared_data):
    """The first 10 MATH problems x 8 Qwen2.5-Math samples, labelled by its grader."""
    path = shared_data / "math_generations" / "qwen25math_math_cot_100.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()[:10]]
    answers = [extract_math_answer(r) for row in rows for r in row["response"]]
    golds = [row["answer"] for row in rows for _ in row["response"]]
    labels = [bool(s) for row in rows for s in row["score"]]
    assert 0 < sum(labels) < len(labels)
    for mode in GRADING_MODES:
        assert grade_answers(answers, golds, mode=mode, desc=None).verdicts == labels


# The fast paths of the default mode (``math_fast``) must give Math-Verify's own results.
PARSED_BY_SLL = ["(-2,16)", "\\{1\\pm\\sqrt{17},-2\\}", "y = 14x + 3", "x \\in [-142,7]", "\\frac{3}{4}"]
NEEDS_LL = ["6r^2-4r-24", "[ \\frac{\\pi^2}{8}, \\frac{5 \\pi^2}{4} ]", "V_{1}:V_{2}=11:21"]
NO_LATEX = ["\\frac{1}{", "(1,2", "\\left( 3, -13 \\right)"]


def _tree(create_parser, latex: str) -> str:
    parser = create_parser(_Latex2Sympy(), latex)
    try:
        return parser.math().toStringTree(recog=parser)
    except Exception as err:  # noqa: BLE001 - the syntax error is part of the result
        return f"error: {err}"


def test_two_stage_parsing_gives_latex2sympy2s_own_trees_and_errors():
    from antlr4 import PredictionMode

    for latex in PARSED_BY_SLL + NEEDS_LL + NO_LATEX:
        assert _tree(math_fast._create_two_stage_parser, latex) == _tree(math_fast._create_ll_parser, latex), latex

    # Both stages are exercised: SLL alone parses the first group and fails on the others.
    def sll_only(converter, latex):
        parser = math_fast._create_ll_parser(converter, latex)
        parser._interp.predictionMode = PredictionMode.SLL
        return parser

    assert not any(_tree(sll_only, s).startswith("error") for s in PARSED_BY_SLL)
    assert all(_tree(sll_only, s).startswith("error") for s in NEEDS_LL + NO_LATEX)
    assert not any(_tree(math_fast._create_two_stage_parser, s).startswith("error") for s in NEEDS_LL)


def test_values_differ_settles_only_differences_math_verify_also_finds():
    x, y = sympy.symbols("x y", real=True)
    n = sympy.Symbol("n", integer=True)
    differ = [(x + 3, x + 4), (2 * x + 3 - y, 14 * x + 3 - y), (sympy.Rational(44, 3), sympy.Rational(14, 3)),
              (sympy.Float("0.333333"), sympy.Rational(1, 3)), (sympy.sqrt(3), sympy.sqrt(6)),
              (sympy.pi**2 / 8, 5 * sympy.pi**2 / 4)]
    unsettled = [
        ((x + 1) ** 2, x**2 + 2 * x + 1),  # equal
        (sympy.sqrt(2) + sympy.sqrt(3), sympy.sqrt(5 + 2 * sympy.sqrt(6))),  # equal, not obviously
        (sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1)),  # no polynomial expression
        ((-1) ** (2 * n), sympy.Integer(1)),  # n is an integer: one point says nothing
        (1 / sympy.factorial(2004), 1 / sympy.factorial(2006)),  # no polynomial expression
        (sympy.Matrix([1, 2]), sympy.Matrix([1, 3])),
        (x ** 10**9, x ** (10**9 + 1)),  # exact powers too large to compute quickly
    ]
    for a, b in differ:
        assert math_fast.values_differ(a, b), (a, b)
        assert not math_fast._symbolic_eq(a, b), (a, b)  # Math-Verify's own simplify agrees
    for a, b in unsettled:
        assert not math_fast.values_differ(a, b), (a, b)


def _equation(latex: str):
    from math_verify import parse

    return parse(f"\\boxed{{{latex}}}")[0]


def _solved_equal(gold, pred) -> bool:
    """Math-Verify's solve-and-compare step as its caller uses it: an error is a no."""
    try:
        return math_fast._solve_and_compare(gold, pred, 6, 15)
    except Exception:  # noqa: BLE001
        return False


def test_linear_equations_differ_settles_only_what_solving_also_finds():
    differ = [("5x - 7y + 11z + 4 = 0", "11x - 7y + 11z + 4 = 0"), ("y = -2x", "y = -38x"), ("x = 3", "x = 5"),
              ("x + y = 1", "x + z = 1"), ("y = \\frac{1}{2}x + 3", "y = \\frac{1}{2}x - 3")]
    unsettled = [
        ("2x = 6", "x = 3"),  # a multiple: solving decides (Math-Verify says no)
        ("y = -2x", "2x + y = 0"),  # a multiple, which Math-Verify accepts
        ("x^2 = 1", "x = 1"),  # not linear
        ("x = \\sqrt{2}", "x = 1"),  # irrational coefficient
        ("x = 0.5", "x = 1"),  # float coefficient: Math-Verify rounds
        ("x < 3", "x < 5"),  # no equations
    ]
    for a, b in differ:
        gold, pred = _equation(a), _equation(b)
        assert math_fast.linear_equations_differ(gold, pred), (a, b)
        assert not _solved_equal(gold, pred), (a, b)  # solving agrees
    for a, b in unsettled:
        assert not math_fast.linear_equations_differ(_equation(a), _equation(b)), (a, b)
    assert _solved_equal(_equation("y = -2x"), _equation("2x + y = 0"))


def test_exact_rationals_are_compared_as_math_verify_compares_them(monkeypatch):
    pairs = [("\\frac{6}{8}", "\\frac{3}{4}"), ("-\\tfrac{2}{4}", "-\\frac{1}{2}"), ("\\frac{10}{5}", "2"),
             ("\\frac{333333}{1000000}", "\\frac{1}{3}"), ("\\dfrac{1}{3}", "\\frac{1}{3}"), ("-7", "7"),
             ("\\frac{3}{4}", "\\frac{4}{3}"), ("+3", "3"), ("-\\frac{0}{5}", "0")]
    assert math_strict.exact_rational("\\frac{1}{0}") is None and math_strict.exact_rational("0.5") is None
    fast = [math_strict.equal(a, g) for a, g in pairs]
    assert fast == [True, True, True, False, True, False, False, True, True]
    monkeypatch.setattr(math_strict, "exact_rational", lambda text: None)  # Math-Verify parses and compares
    math_strict.parse_answer.cache_clear()
    assert [math_strict.equal(a, g) for a, g in pairs] == fast


def test_the_fast_paths_change_no_verdict_on_math_verifys_own_cases(shared_data, monkeypatch):
    """Math-Verify's test cases graded with and without ``math_fast``."""
    from math_verify import grader, parser

    rows = [json.loads(line) for line in
            (shared_data / "math_grader_cases" / "math_verify_test_cases.jsonl").read_text().splitlines()]
    cases = [(extract_math_answer(r["pred"]) or r["pred"], r["gold"]) for r in rows[::4]]

    def verdicts():
        math_strict.parse_answer.cache_clear()
        parser.parse_latex_cached.cache_clear()
        return [math_strict.equal(a, g) for a, g in cases]

    fast = verdicts()
    monkeypatch.setattr(_Latex2Sympy, "create_parser", math_fast._create_ll_parser)
    monkeypatch.setattr(grader, "sympy_symbolic_eq", math_fast._symbolic_eq)
    monkeypatch.setattr(grader, "sympy_solve_and_compare", math_fast._solve_and_compare)
    monkeypatch.setattr(math_strict, "exact_rational", lambda text: None)
    assert verdicts() == fast
    assert 0 < sum(fast) < len(fast)
