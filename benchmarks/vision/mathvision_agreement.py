"""Agreement of the MathVision grader with MATH-V's own correctness labels.

MATH-V (mathllm/MATH-V, evaluation/) labels a response by a rule extraction (the last
``\\boxed{}``, "the answer is", the text after "is"), a string normaliser and a comparison
of both sides' values rounded to two decimal places. This script grades the same stored
responses of 16 runs (../shared/data/mathvision_generations, all 3,040 test problems)
with ``lm_eval_passk.vision.mathvision_grading`` and prints agreement on the free-form
problems (those without options, the subset of arXiv 2504.13837): on testmini's 114 and
on all 1,508, per run and overall.

Every disagreement gets a cause. Causes named ``reference: ...`` are decided from the
reference's own fields (its stored extraction and label, its gold) and are errors of the
label, not of the grader; ``reviewed: ...`` comes from benchmarks/vision/mathvision_reviewed.json,
where each case was read by hand and carries its reason; ``grader: ...`` are ours.
"Corrected agreement" counts a disagreement of a reference-error cause as agreement.
Multiple-choice agreement is printed for information only (raw, not analysed).

    python benchmarks/vision/mathvision_agreement.py [--data DIR] [--problems DIR] [--show N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from lm_eval_passk.pool import map_with_timeout  # noqa: E402
from lm_eval_passk.sources import read_jsonl  # noqa: E402
from lm_eval_passk.vision.mathvision_answer import bare  # noqa: E402
from lm_eval_passk.vision.mathvision_data import to_doc  # noqa: E402
from lm_eval_passk.vision.mathvision_grading import EQUAL, grade_all  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
REVIEWED = Path(__file__).parent / "mathvision_reviewed.json"
VALUE = "lm_eval_passk.vision.mathvision_equal:numeric_value"

_UNIT_OR_WORD = re.compile(r"°|\\degree|\\circ|\\mathrm|\\text")
CREDITS_ROUNDED = "reference: credits a value that equals the gold only when both are rounded to 2 decimals"
# Why the reference rejects an extraction of its own that, read as a number, is the gold:
# tried in this order on the stored extraction (and the raw gold).
REJECTS = (
    ("reference: cannot read its own gold, which is boxed ('$\\boxed{\\frac{3}{4}}$')",
     lambda extraction, raw_gold: "\\boxed" in raw_gold),
    ("reference: rejects a percentage written with '%' ('20%' for 'What percent ...?')",
     lambda extraction, raw_gold: "%" in extraction),
    ("reference: its extraction keeps LaTeX it cannot read ('25\\pi\\)', 'bf{(1)}')",
     lambda extraction, raw_gold: "\\)" in extraction or "bf{" in extraction),
    ("reference: rejects an answer given with a unit or words ('400\\mathrm{~cm}^{2}', '70degrees', 'all4')",
     lambda extraction, raw_gold: _UNIT_OR_WORD.search(extraction.lower()) is not None
     or re.search(r"[a-z]{2,}", re.sub(r"\\[a-z]+", "", extraction.lower())) is not None),
    ("reference: rejects an extraction equal to the gold ('4/3' for '\\frac{4}{3}', '\\dfrac{3}{4}')",
     lambda extraction, raw_gold: True),
)


def load(data: Path, problems: Path) -> tuple[dict, set, list]:
    test = {str(row["id"]): (row, to_doc(row, None)) for row in read_jsonl(problems / "test.jsonl")}
    testmini = {str(row["id"]) for row in read_jsonl(problems / "testmini.jsonl")}
    labelled = [(path.stem, item) for path in sorted(data.glob("*.jsonl")) for item in read_jsonl(path)]
    return test, testmini, labelled


def reference_answer(extraction: str) -> str:
    """MATH-V's stored extraction read as we read answers. Its normaliser removed spaces and
    ``\\text``, leaving units in braces ("108{cm}^2") and, after a box, the rest of the
    response ("8\\sqrt{3}}squareinches.theansweris:..."): those are cut off."""
    depth = 0
    for i, char in enumerate(extraction):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            extraction = extraction[:i]
            break
    return bare(re.sub(r"(?<![a-z])\{([a-z.]*)\}", r" \1 ", extraction)) or ""


def reference_checks(cases: list[tuple[dict, dict]], workers: int | None) -> tuple[list[bool], list]:
    """For each (item, doc): whether the reference's extraction, read as we read answers,
    equals the gold; and the values of extraction and gold (for the two-decimal check)."""
    extractions = [reference_answer(item["model_answer"]) for item, _ in cases]
    golds = [doc["answer"] for _, doc in cases]
    equal, _ = map_with_timeout(EQUAL, [[e, g] for e, g in zip(extractions, golds)], timeout_s=20, fallback=False,
                                workers=workers)
    values, _ = map_with_timeout(VALUE, [[t] for t in extractions + golds], timeout_s=20, fallback=None,
                                 workers=workers)
    return equal, list(zip(values[: len(cases)], values[len(cases):]))


def cause(run: str, item: dict, raw: dict, record: dict, extraction_is_gold: bool, values: tuple,
          reviewed: dict) -> str:
    key = f"{run}/{item['id']}"
    if key in reviewed:
        return "reviewed: " + reviewed[key]["cause"]
    extraction, label = item["model_answer"], item["correct"]
    ref_value, gold_value = values
    if label and not extraction_is_gold and None not in values and round(ref_value, 2) == round(gold_value, 2):
        return CREDITS_ROUNDED
    if not label and extraction_is_gold:
        return next(why for why, applies in REJECTS if applies(extraction, str(raw["answer"])))
    if record["answer"] is None:
        return "grader: no answer found"
    return "grader: " + ("credits" if record["correct"] else "rejects") + " what the reference does not"


def agreement_table(totals: Counter, agreed: Counter, corrected: Counter, rows: list[tuple[str, str]]) -> None:
    width = max(len(label) for _, label in rows)
    print(f"{'':{width}}  {'n':>6}  {'agree':>7}  {'corrected':>9}")
    for key, label in rows:
        n = totals[key]
        print(f"{label:{width}}  {n:6d}  {agreed[key] / n:7.2%}  {corrected[key] / n:9.2%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "mathvision_generations",
                        help="folder of MATH-V output JSONLs")
    parser.add_argument("--problems", type=Path, default=SHARED / "mathvision",
                        help="folder with test.jsonl, testmini.jsonl")
    parser.add_argument("--show", type=int, default=3, help="examples printed per cause")
    parser.add_argument("--workers", type=int, help="grading processes (default: all cores)")
    parser.add_argument("--json", type=Path, help="write every disagreement (run, id, cause, answers) here")
    args = parser.parse_args(argv)
    if not (args.problems / "test.jsonl").is_file() or not sorted(args.data.glob("*.jsonl")):
        print(f"need {args.problems}/test.jsonl and MATH-V outputs in {args.data}", file=sys.stderr)
        return 2
    test, testmini, labelled = load(args.data, args.problems)
    reviewed = {f"{r['run']}/{r['id']}": r for r in json.loads(REVIEWED.read_text())}

    start = time.perf_counter()
    grades = grade_all([[item["response"]] for _, item in labelled], [test[item["id"]][1] for _, item in labelled],
                       timeout_s=20, workers=args.workers)
    seconds = time.perf_counter() - start
    records = [r[0] for r in grades.records]

    mc_total = mc_agreed = 0
    differing = []
    totals, agreed = Counter(), Counter()
    for (run, item), record in zip(labelled, records):
        raw, doc = test[item["id"]]
        same = record["correct"] == item["correct"]
        if doc["options"]:
            mc_total, mc_agreed = mc_total + 1, mc_agreed + same
            continue
        keys = [run, "all"] + (["testmini"] if item["id"] in testmini else [])
        totals.update(keys)
        if same:
            agreed.update(keys)
        else:
            differing.append((run, item, raw, doc, record, keys))

    equal, values = reference_checks([(item, doc) for _, item, _, doc, _, _ in differing], args.workers)
    corrected = Counter(agreed)
    causes: Counter[str] = Counter()
    examples: dict[str, list] = defaultdict(list)
    disagreements = []
    for (run, item, raw, doc, record, keys), is_gold, pair in zip(differing, equal, values):
        why = cause(run, item, raw, record, is_gold, pair, reviewed)
        causes[why] += 1
        if not why.startswith("grader"):
            corrected.update(keys)
        examples[why].append((run, item, doc, record))
        disagreements.append({"run": run, "id": item["id"], "model": item["model"], "cause": why, "gold": doc["answer"],
                              "label": item["correct"], "reference_extraction": item["model_answer"],
                              "ours": record["answer"], "our_verdict": record["correct"]})

    runs = sorted({run for run, _ in labelled})
    print("Free-form problems (no options), our verdict against MATH-V's label:\n")
    agreement_table(totals, agreed, corrected, [(run, run) for run in runs])
    print()
    agreement_table(totals, agreed, corrected, [("testmini", f"testmini free-form ({len(runs)} runs x 114)"),
                                                ("all", f"all free-form ({len(runs)} runs x 1,508)")])
    print(f"\n{len(differing)} disagreements by cause:")
    for why, count in causes.most_common():
        print(f"  {count:5d}  {why}")
    for why, cases in sorted(examples.items()):
        for run, item, doc, record in cases[: args.show]:
            print(f"\n[{why}] {run}/{item['id']} gold={doc['answer']!r} reference={item['model_answer'][:60]!r} "
                  f"label={item['correct']} ours={record['answer']!r} ({record['correct']})\n"
                  f"  ...{item['response'][-200:]!r}")
    stale = sorted(set(reviewed) - {f"{d['run']}/{d['id']}" for d in disagreements})
    if stale:
        print(f"\nreviewed entries that are no longer disagreements: {', '.join(stale)}")
    print(f"\nmultiple choice (for information, not analysed): {mc_total} responses, "
          f"raw agreement {mc_agreed / mc_total:.2%}")
    print(f"grading time: {seconds:.1f} s for {len(labelled)} responses, {grades.compared} distinct expression "
          f"comparisons in worker processes ({grades.failures} timed out)")
    if args.json:
        args.json.write_text(json.dumps(disagreements, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
