"""How often our math verdicts agree with the reference graders' labels.

Grades every labelled response of three corpora the way the passk tasks do (our
extraction, then ``grade_answers`` in each mode) and compares with the reference label:

- ``gsm8k``: 5,276 GSM8K solutions labelled by OpenAI's answer checker;
- ``math``: 800 MATH samples labelled by Qwen2.5-Math's ``math_equal``;
- ``grader_cases``: Math-Verify's own test cases (gold, prediction, expected).

For each corpus and mode it prints agreement, false positives (we say correct, the
reference wrong) and false negatives, then the agreement once the reviewed cases in
``benchmarks/math/reference_errors.jsonl`` are set aside (labels shown wrong,
labels right only under a non-default Math-Verify option, broken test strings), how
often the two modes disagree, and every disagreement with a one-word cause. The mode
to hold to the reference is ``math_verify`` for gsm8k and grader_cases and ``paper``
(as well) for math, whose labels come from the grader ``paper`` rebuilds; ``paper``
on Math-Verify's cases shows how far apart the two graders are.

    python benchmarks/math/agreement.py [--shared-data ../shared/data] [--workers N]
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lm_eval_passk.math.data import BENCHMARKS
from lm_eval_passk.math.extract import extract_math_answer
from lm_eval_passk.math.grading import GRADING_MODES, grade_answers
from lm_eval_passk.math.paper import normalise as paper_normalise
from lm_eval_passk.sources import read_jsonl

REPO = Path(__file__).resolve().parents[2]
REVIEWED = Path(__file__).parent / "reference_errors.jsonl"
GSM8K_MODELS = ("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification")


@dataclass(frozen=True)
class Case:
    corpus: str
    id: str
    answer: str | None  # what our extraction finds in the response
    gold: str
    label: bool  # the reference grader's verdict
    reference_answer: str | None  # what the reference extracted, where known


def gsm8k_cases(shared: Path) -> list[Case]:
    rows = read_jsonl(shared / "gsm8k_generations" / "example_model_solutions.jsonl")
    tests = read_jsonl(shared / "gsm8k" / "test.jsonl")
    cases = []
    for i, (row, test) in enumerate(zip(rows, tests, strict=True)):
        assert row["question"] == test["question"], f"gsm8k row {i} is not test problem {i}"
        gold = BENCHMARKS["gsm8k"].to_doc(test, i)["answer"]
        for model in GSM8K_MODELS:
            solution = row[model]["solution"]
            stated = re.findall(r"^A:\s*(.*)$", solution, re.MULTILINE)
            cases.append(Case("gsm8k", f"{i}/{model}", extract_math_answer(solution, last_number_fallback=True),
                              gold, bool(row[model]["is_correct"]), stated[-1].strip() if stated else None))
    return cases


def math_cases(shared: Path) -> list[Case]:
    rows = read_jsonl(shared / "math_generations" / "qwen25math_math_cot_100.jsonl")
    return [
        Case("math", f"{row['idx']}/{j}", extract_math_answer(response), row["answer"], bool(score), pred)
        for row in rows
        for j, (response, pred, score) in enumerate(zip(row["response"], row["pred"], row["score"], strict=True))
    ]


def grader_cases(shared: Path) -> list[Case]:
    """Math-Verify's cases mix bare answers and whole responses, on both sides: a side
    with no box and no "the answer is" is taken as a bare answer."""
    rows = read_jsonl(shared / "math_grader_cases" / "math_verify_test_cases.jsonl")
    return [
        Case("grader_cases", str(i), extract_math_answer(row["pred"]) or row["pred"],
             extract_math_answer(row["gold"]) or row["gold"], bool(row.get("expected", row.get("result"))), None)
        for i, row in enumerate(rows)
    ]


def read_reviewed(path: Path) -> dict[tuple[str, str], dict]:
    """(corpus, id) -> {kind, reference, reason}: a reference label shown wrong
    ("label"), right only under a non-default grader option ("config"), or a broken
    test string ("malformed")."""
    return {(r["corpus"], r["id"]): r for r in read_jsonl(path)}


def _digits(text: str | None) -> str:
    return re.sub(r"[\s,$]|\\!|\{,\}", "", str(text))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def cause(case: Case, reviewed: dict) -> str:
    """One word for why our verdict and the reference label differ."""
    if (case.corpus, case.id) in reviewed:
        return reviewed[(case.corpus, case.id)]["kind"]
    if case.answer is None:
        return "no-answer"
    if case.reference_answer is not None and _digits(paper_normalise(case.answer)) != _digits(
        paper_normalise(case.reference_answer)
    ):
        return "extraction"
    decimal_commas = [_number(t.replace(",", ".")) for t in (case.answer, case.gold) if re.fullmatch(r"\d+,\d+", t)]
    if decimal_commas and any(_number(_digits(t)) in decimal_commas for t in (case.answer, case.gold)):
        return "comma"  # "1,22" read as 1.22
    a, g = _number(_digits(paper_normalise(case.answer))), _number(_digits(paper_normalise(case.gold)))
    if a is not None and g is not None:
        if g and (abs(a - 100 * g) <= 1e-9 * abs(a) or abs(100 * a - g) <= 1e-9 * abs(g)):
            return "percent"
        return "tolerance" if abs(a - g) <= 1e-4 * max(abs(a), abs(g)) else "number"
    if re.search(r"\\(?:text|mbox|mathrm)\{", case.answer + case.gold):
        return "text"
    return "semantics"


def grade(cases: list[Case], mode: str, workers: int | None) -> tuple[list[bool], float, int]:
    start = time.perf_counter()
    grades = grade_answers([c.answer for c in cases], [c.gold for c in cases], mode=mode, workers=workers,
                           desc=f"{mode} {cases[0].corpus}")
    return grades.verdicts, time.perf_counter() - start, grades.failures


@dataclass(frozen=True)
class Tally:
    corpus: str
    mode: str
    n: int
    agree: int
    fp: int
    fn: int
    n_kept: int
    agree_kept: int


def tally(cases: list[Case], mode: str, verdicts: list[bool], reviewed: dict) -> Tally:
    kept = [(c, v) for c, v in zip(cases, verdicts) if (c.corpus, c.id) not in reviewed]
    return Tally(
        corpus=cases[0].corpus, mode=mode, n=len(cases),
        agree=sum(v == c.label for c, v in zip(cases, verdicts)),
        fp=sum(v and not c.label for c, v in zip(cases, verdicts)),
        fn=sum(c.label and not v for c, v in zip(cases, verdicts)),
        n_kept=len(kept), agree_kept=sum(v == c.label for c, v in kept),
    )


def disagreements(cases: list[Case], verdicts: list[bool], reviewed: dict) -> list[str]:
    lines = []
    for c, v in zip(cases, verdicts):
        if v == c.label:
            continue
        note = reviewed.get((c.corpus, c.id))
        lines.append(
            f"    {cause(c, reviewed):10} {'FP' if v else 'FN'} {c.id:22} answer={c.answer!r:.60} gold={c.gold!r:.40}"
            + (f" ref_answer={c.reference_answer!r:.30}" if c.reference_answer is not None else "")
            + (f"\n{'':17}reviewed: {note['reason']}" if note else "")
        )
    return lines


def stale_reviews(cases: list[Case], reviewed: dict) -> list[str]:
    """Reviewed cases whose corpus label is not the one the review was about."""
    by_id = {(c.corpus, c.id): c for c in cases}
    problems = []
    for key, note in reviewed.items():
        if key in by_id:
            c = by_id[key]
            if c.label != note["reference"]:
                problems.append(f"    {key}: the corpus label is {c.label}, the review says {note['reference']}")
    return problems


def summary(tallies: list[Tally]) -> str:
    rows = ["| corpus | mode | n | agreement | FP | FN | set aside (reviewed) | agreement without them |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for t in tallies:
        rows.append(f"| {t.corpus} | {t.mode} | {t.n} | {100 * t.agree / t.n:.2f}% | {t.fp} | {t.fn} | "
                    f"{t.n - t.n_kept} | {100 * t.agree_kept / t.n_kept:.2f}% |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared-data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--workers", type=int, default=None, help="grading processes (default: all cores)")
    parser.add_argument("--corpus", choices=("gsm8k", "math", "grader_cases"), action="append",
                        help="only these corpora (repeatable)")
    args = parser.parse_args()
    reviewed = read_reviewed(REVIEWED)
    loaders = {"gsm8k": gsm8k_cases, "math": math_cases, "grader_cases": grader_cases}
    tallies = []
    for name in args.corpus or loaders:
        cases = loaders[name](args.shared_data)
        verdicts_by_mode = {}
        print(f"\n== {name}: {len(cases)} labelled responses, {sum(c.label for c in cases)} labelled correct")
        for mode in GRADING_MODES:
            verdicts, seconds, failures = grade(cases, mode, args.workers)
            verdicts_by_mode[mode] = verdicts
            t = tally(cases, mode, verdicts, reviewed)
            tallies.append(t)
            causes = Counter(cause(c, reviewed) for c, v in zip(cases, verdicts) if v != c.label)
            print(f"  {mode:12} agreement {100 * t.agree / t.n:6.2f}%  FP {t.fp:3}  FN {t.fn:3}  | "
                  f"without the {t.n - t.n_kept} reviewed cases {100 * t.agree_kept / t.n_kept:6.2f}%  | "
                  f"{seconds:.1f}s, {failures} timed out | causes {dict(causes.most_common())}")
            for line in disagreements(cases, verdicts, reviewed):
                print(line)
        for line in stale_reviews(cases, reviewed):
            print(line)
        differ = sum(a != b for a, b in zip(*verdicts_by_mode.values()))
        print(f"  the two modes disagree on {differ} of {len(cases)} ({100 * differ / len(cases):.2f}%)")
    print("\n" + summary(tallies))


if __name__ == "__main__":
    main()
