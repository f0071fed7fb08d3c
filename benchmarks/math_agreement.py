"""How often our math verdicts agree with the reference graders' labels.

Grades every labelled response of three corpora the way the passk tasks do (our
extraction, then ``grade_answers`` in each mode) and compares with the reference label:

- ``gsm8k``: 5,276 GSM8K solutions labelled by OpenAI's answer checker;
- ``math``: 800 MATH samples labelled by Qwen2.5-Math's ``math_equal``;
- ``grader_cases``: Math-Verify's own test cases (gold, prediction, expected).

For each corpus and mode it prints agreement, false positives (we say correct, the
reference wrong) and false negatives, then the agreement once the reviewed reference
errors in ``benchmarks/data/math_reference_errors.jsonl`` are set aside, how often the
two modes disagree, and every disagreement with a one-word cause.

    python benchmarks/math_agreement.py [--shared-data ../shared/data] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lm_eval_passk.data import SOURCES, read_jsonl
from lm_eval_passk.extract import extract_math_answer
from lm_eval_passk.grading.math import GRADING_MODES, grade_answers
from lm_eval_passk.grading.math_paper import normalise as paper_normalise

REPO = Path(__file__).resolve().parents[1]
REVIEWED = Path(__file__).parent / "data" / "math_reference_errors.jsonl"
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
        gold = SOURCES["gsm8k"].to_doc(test, i)["answer"]
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


def read_reviewed(path: Path) -> dict[tuple[str, str], str]:
    """(corpus, id) -> why the reference label is wrong."""
    return {(r["corpus"], r["id"]): r["reason"] for r in read_jsonl(path)} if path.is_file() else {}


def _number(text: str | None) -> float | None:
    try:
        return float(str(text).replace(",", "").replace("\\!", "").replace("{,}", "").strip().strip("$"))
    except ValueError:
        return None


def cause(case: Case, verdict: bool, reviewed: dict) -> str:
    """One word for why our verdict and the reference label differ."""
    if (case.corpus, case.id) in reviewed:
        return "label"
    if case.answer is None:
        return "no-answer"
    if case.reference_answer is not None and paper_normalise(case.answer) != paper_normalise(case.reference_answer):
        return "extraction"
    a, g = _number(paper_normalise(case.answer)), _number(paper_normalise(case.gold))
    if a is not None and g is not None:
        if g and (abs(a - 100 * g) <= 1e-6 * abs(a) or abs(100 * a - g) <= 1e-6 * abs(g)):
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


def report(cases: list[Case], verdicts_by_mode: dict[str, list[bool]], reviewed: dict) -> list[str]:
    lines = []
    for mode, verdicts in verdicts_by_mode.items():
        fp = [(c, v) for c, v in zip(cases, verdicts) if v and not c.label]
        fn = [(c, v) for c, v in zip(cases, verdicts) if c.label and not v]
        kept = [(c, v) for c, v in zip(cases, verdicts) if (c.corpus, c.id) not in reviewed]
        agree = sum(v == c.label for c, v in zip(cases, verdicts))
        kept_agree = sum(v == c.label for c, v in kept)
        causes = Counter(cause(c, v, reviewed) for c, v in fp + fn)
        lines.append(
            f"  {mode:12} agreement {100 * agree / len(cases):6.2f}%  FP {len(fp):3}  FN {len(fn):3}  "
            f"| without {len(cases) - len(kept)} reviewed label errors: {100 * kept_agree / len(kept):6.2f}%  "
            f"| causes: {dict(causes.most_common())}"
        )
        for c, v in fp + fn:
            why = reviewed.get((c.corpus, c.id), "")
            lines.append(
                f"    {cause(c, v, reviewed):10} {'FP' if v else 'FN'} {c.id:24} answer={c.answer!r:.60} "
                f"gold={c.gold!r:.40} ref_answer={c.reference_answer!r:.30}" + (f"  [{why}]" if why else "")
            )
    modes = list(verdicts_by_mode)
    if len(modes) == 2:
        differ = sum(a != b for a, b in zip(*verdicts_by_mode.values()))
        lines.append(f"  modes disagree on {differ} of {len(cases)} ({100 * differ / len(cases):.2f}%)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared-data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--workers", type=int, default=None, help="grading processes (default: all cores)")
    parser.add_argument("--corpus", choices=("gsm8k", "math", "grader_cases"), action="append",
                        help="only these corpora (repeatable)")
    args = parser.parse_args()
    reviewed = read_reviewed(REVIEWED)
    loaders = {"gsm8k": gsm8k_cases, "math": math_cases, "grader_cases": grader_cases}
    for name in args.corpus or loaders:
        cases = loaders[name](args.shared_data)
        verdicts_by_mode = {}
        timings = []
        for mode in GRADING_MODES:
            verdicts, seconds, failures = grade(cases, mode, args.workers)
            verdicts_by_mode[mode] = verdicts
            timings.append(f"{mode} {seconds:.1f}s, {failures} timed out")
        print(f"\n== {name}: {len(cases)} labelled responses, {sum(c.label for c in cases)} labelled correct "
              f"({'; '.join(timings)})")
        print("\n".join(report(cases, verdicts_by_mode, reviewed)))


if __name__ == "__main__":
    main()
