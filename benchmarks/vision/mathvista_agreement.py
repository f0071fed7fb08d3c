"""Agreement of the MathVista grader with the MathVista reference labels.

The reference (lupantech/MathVista) labels a response by GPT-4 answer extraction, then
a normaliser: an option letter becomes its choice text, any other text becomes the
choice nearest in Levenshtein distance, integers go through ``str(int(x))``, floats
through ``round``. This script grades the same 20,998 labelled responses of 21 runs with
``lm_eval_passk.vision.grading`` (no LLM), and prints agreement per run and overall.

Every disagreement gets a cause. The causes named ``reference: ...`` are decided from the
reference's own fields (its extraction, its normaliser) and are errors of the label, not
of the grader; ``reviewed: ...`` comes from benchmarks/vision/mathvista_reviewed.json,
where each entry was read by hand and carries its reason; ``grader: ...`` are our misses.
"Corrected agreement" counts a disagreement of a reference-error cause as agreement.

Code runs (``*_2shot_code*``) are graded on their stored program output (``execution``):
that is the answer a program-writing run gives.

    python benchmarks/vision/mathvista_agreement.py [--data DIR] [--show N] [--json OUT]
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

from lm_eval_passk.vision.choice import PLAIN_NUMBER  # noqa: E402
from lm_eval_passk.vision.grading import grade_response, is_correct  # noqa: E402
from lm_eval_passk.vision.problem import MULTI_CHOICE, VisionProblem  # noqa: E402
from lm_eval_passk.vision.text import (  # noqa: E402
    REFUSAL,
    STATEMENT,
    comparable,
    final_statement,
    mentions,
    number_text,
    numbers_in,
    own_answer,
    parse_number,
)

DEFAULT_DATA = REPO.parent / "shared" / "data" / "mathvista_generations"
REVIEWED = Path(__file__).parent / "mathvista_reviewed.json"


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def reference_prediction(extraction: str, problem: VisionProblem) -> str | None:
    """MathVista's calculate_score.normalize_extracted_answer, as its labels were made
    (integers via ``str(int(x))``, the version the stored labels agree with)."""
    if problem.question_type == MULTI_CHOICE:
        extraction = extraction.strip()
        letter = re.findall(r"\(([a-zA-Z])\)", extraction)
        if letter:
            extraction = letter[0].upper()
        if extraction in problem.letters:
            return problem.choices[problem.letters.index(extraction)]
        distances = [levenshtein(extraction, c) for c in problem.choices]
        return problem.choices[distances.index(min(distances))]
    try:
        if problem.answer_type == "integer":
            return str(int(extraction))
        if problem.answer_type == "float":
            return str(round(float(extraction), problem.precision))
        return str(extraction)
    except ValueError:
        return None


def graded_text(run: str, item: dict) -> str:
    return (item.get("execution") if "_code" in run else item.get("response")) or ""


def guessed(extraction: str, problem: VisionProblem) -> bool:
    """Whether the reference's choice came from its nearest-choice fallback for an
    extraction that names neither the gold letter nor the gold choice text."""
    letter = re.findall(r"\(([a-zA-Z])\)", extraction)
    token = letter[0].upper() if letter else extraction.strip()
    if token in problem.letters or comparable(extraction) == comparable(problem.answer):
        return False
    named = [c for c in problem.choices if mentions(extraction, c)]  # "Aubrey or Connor"
    return len(comparable(problem.answer)) < 2 or problem.answer not in named or len(set(named)) > 1


def stated_letter(text: str, problem: VisionProblem) -> str | None:
    """The option letter a response states unambiguously: the whole response is one
    letter, opens with one ("B. No.", "A is the correct option") or closes with one
    ("A) Yes"), its answer statement is one ("The answer is G."), or its answer
    statements together name exactly one "(X)" ("option (C) is the correct answer")."""
    text = own_answer(text).strip()
    if re.fullmatch(r"\(?([A-Z])\)?\.?", text):
        return text.strip("().")
    opening = re.match(r"\(?([A-Z])[).]\s", text)
    if opening and opening.group(1) in problem.letters:
        return opening.group(1)
    first = re.match(r"\(?([A-Z])\)? is the (?:correct )?(?:answer|option)\b", text)
    if first and first.group(1) in problem.letters:
        return first.group(1)
    named = set(re.findall(r"\(([A-Z])\) is the (?:correct )?(?:answer|option)\b", text))
    named |= {x for m in STATEMENT.finditer(text) for x in re.findall(r"^\s*\(([A-Z])\)", m.group("rest"))}
    if len(named) == 1 and named <= set(problem.letters):
        return named.pop()
    last_line = text.splitlines()[-1].strip() if text else ""
    closing = re.fullmatch(r"\(?([A-Z])\)\s*(.+)", last_line)  # "A) Yes" as the last line
    listed = re.findall(r"(?m)^\s*\(?[A-Z]\)", text)  # an echoed option list states nothing
    if closing and len(listed) == 1 and closing.group(1) in problem.letters and comparable(closing.group(2)) == comparable(
            problem.choices[problem.letters.index(closing.group(1))]):
        return closing.group(1)
    statement = (final_statement(text) or "").strip()
    lone = re.match(r"\(?([A-Z])\)?(?:[.。:]|\s|$)", statement)  # "G.", "B (False)."
    letters = {lone.group(1)} if lone else set(re.findall(r"\(([A-Z])\)", statement))
    return letters.pop() if len(letters) == 1 and letters <= set(problem.letters) else None


def states(text: str, extraction: str) -> bool:
    """Whether ``text`` contains the reference's extraction: a letter standing alone
    ("B", not the B of "AB"), a number among its numbers, else the words."""
    wanted = extraction.strip()
    letter = re.fullmatch(r"\(?([A-Za-z])\)?", wanted)
    if letter:
        return re.search(rf"(?<![A-Za-z]){letter.group(1)}(?![A-Za-z])", text) is not None
    value = parse_number(wanted)
    if value is not None:
        return value in numbers_in(text, words=True)
    return mentions(text, wanted) or comparable(wanted) in comparable(text)


def only_repeats_question(text: str, problem: VisionProblem) -> bool:
    """Whether a response is (part of) the question and nothing else, its options
    ("A) 1") listed or not."""
    said = comparable(re.sub(r"(?m)^\s*\(?[A-Z]\)[^\n]*$", "", text)).rstrip("?")
    return len(said) >= 10 and said in comparable(problem.question)


def names_no_option(text: str, problem: VisionProblem) -> bool:
    """Whether a response answers with option letters that are none of the problem's
    ("(E) 90°" with options A-D), followed by no choice text."""
    letters = re.findall(r"\(([A-Z])\)", text)
    return bool(letters) and not set(letters) & set(problem.letters) and not any(
        mentions(text, c) for c in problem.choices)


def matches_no_numeric_choice(text: str, extraction: str, problem: VisionProblem) -> bool:
    """Whether the reference's letter appears nowhere in a response to a problem with
    numeric choices, none of whose values the response mentions ("4.20 meters" when the
    choices are 3.85, 4.00, 4.40 and 4.50 metres)."""
    if not re.fullmatch(r"\(?[A-Z]\)?", extraction.strip()) or states(text, extraction):
        return False
    if not all(PLAIN_NUMBER.fullmatch(c.strip()) for c in problem.choices):
        return False
    said = set(numbers_in(text))
    return not any(set(numbers_in(c)) <= said for c in problem.choices)


def cause(run: str, item: dict, problem: VisionProblem, ours: str | None, reviewed: dict) -> str:
    """Why our verdict and the reference label differ (see the module docstring)."""
    key = f"{run}/{item['pid']}"
    if key in reviewed:
        return "reviewed: " + reviewed[key]["cause"]
    text, extraction, label = graded_text(run, item), item["extraction"], item["true_false"]
    if not text.replace("\u200b", "").strip():  # zero-width spaces are nothing too
        return "reference: credits an empty response" if label else "reference: rejects an empty response?"
    own = own_answer(text)
    if own != text and extraction.strip() and not states(own, extraction):
        return "reference: answer taken from a follow-up question the model invented"
    if label and only_repeats_question(own, problem):
        return "reference: credits a response that only repeats the question"
    if problem.question_type == MULTI_CHOICE:
        if label and guessed(extraction, problem):
            return "reference: credits its nearest-choice guess for an extraction that names no option"
        if label and ours is None and REFUSAL.search(own):
            return "reference: credits the option its extractor read into a refusal"
        if label and ours is None and names_no_option(own, problem):
            return "reference: credits an option the response does not give (its letter is no option)"
        if label and ours is None and matches_no_numeric_choice(own, extraction, problem):
            return "reference: credits an option the response never names (its numbers are no choice's)"
        printed = {comparable(line) for line in text.splitlines() if line.strip()}
        lists = len(printed) > 1 and printed <= {comparable(c) for c in problem.choices}  # one per line
        if label and ours is None and (lists or len(set(re.findall(r"\(([A-Z])\)", text))) > 1):
            return "reference: credits a response that lists options without choosing one"
        stated = stated_letter(text, problem)
        if stated and extraction.strip() in problem.letters and extraction.strip() != stated:
            return "reference: extraction is another letter than the one the response states"
        reference = reference_prediction(extraction, problem)
        if (stated and "_code" not in run and ours == problem.choices[problem.letters.index(stated)]
                and reference != ours):
            # "x = 20. The answer is E.": the prompt asks for the letter, and the response gives it
            return "reference: extraction is not the option letter the response answers with"
        if (extraction.strip() in problem.letters and not re.search(rf"\b{extraction.strip()}\b", text)
                and ours is not None and ours != reference and re.search(r"\d", ours)
                and mentions(text, ours) and not mentions(text, reference)):
            return "reference: extraction is a letter the response never states; the response names another value"
        value = parse_number(extraction)
        if not label and ours == problem.answer and (
                (value is not None and numbers_in(problem.answer) == [value])
                or comparable(extraction) == comparable(problem.answer)):
            return "reference: maps an extraction equal to the gold choice ('45', '30√3m') to another choice by edit distance"
    else:
        values = numbers_in(extraction)
        value = values[0] if len(values) == 1 and parse_number(extraction) == values[0] else None
        gold = parse_number(problem.answer)
        if not label and problem.answer_type == "integer" and value is not None and value == gold:
            return "reference: rejects an integer written with decimals (str(int('2.0')) fails)"
        if not label and ours == problem.answer and numbers_in(extraction) == [gold]:
            return "reference: its normaliser cannot read the gold value it extracted ('[10]')"
        if label and value is not None and problem.answer_type != "list" and not is_correct(number_text(value), problem):
            return "reference: credits an extraction whose value is not the gold answer"
        if label and value is not None and "_code" not in run and not states(own, extraction):
            if value == 0 and REFUSAL.search(own):
                return "reference: reads 0 into a response that says it cannot answer"
            if value != 0 or not re.search(r"\b(?:no|none|nothing|neither|zero)\b", own, re.IGNORECASE):
                return "reference: credits a number the response never states (the extractor computed or guessed it)"
    if "_code" in run and extraction.strip() and not states(text, extraction):
        return "reference: label not made from the stored program output (extraction absent from it)"
    if ours is None:
        return "grader: no answer found (paraphrased or implicit answer)"
    return "grader: different answer extracted"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of MathVista result JSONs")
    parser.add_argument("--show", type=int, default=3, help="examples printed per grader cause")
    parser.add_argument("--json", type=Path, help="write every disagreement (run, pid, cause, answers) here")
    args = parser.parse_args(argv)
    runs = sorted(args.data.glob("*.json"))
    if not runs:
        print(f"no MathVista result files in {args.data}", file=sys.stderr)
        return 2
    reviewed = {f"{r['run']}/{r['pid']}": r for r in json.loads(REVIEWED.read_text())}

    totals, agreed, corrected = Counter(), Counter(), Counter()
    causes: Counter[str] = Counter()
    examples: dict[str, list] = defaultdict(list)
    disagreements = []
    seconds = 0.0
    for path in runs:
        run = path.stem
        for item in json.loads(path.read_text()).values():
            if "true_false" not in item:  # two chatgpt items were never labelled
                continue
            problem = VisionProblem.from_doc(item)
            start = time.perf_counter()
            grade = grade_response(graded_text(run, item), problem)
            seconds += time.perf_counter() - start
            totals[run] += 1
            if grade.correct == item["true_false"]:
                agreed[run] += 1
                corrected[run] += 1
                continue
            why = cause(run, item, problem, grade.answer, reviewed)
            causes[why] += 1
            corrected[run] += not why.startswith("grader")
            examples[why].append((run, item, grade))
            disagreements.append({"run": run, "pid": item["pid"], "cause": why, "label": item["true_false"],
                                  "reference_extraction": item["extraction"], "ours": grade.answer,
                                  "gold": item["answer"]})

    width = max(len(r) for r in totals)
    print(f"{'run':{width}}  {'n':>5}  {'agree':>7}  {'corrected':>9}")
    for run in totals:
        print(f"{run:{width}}  {totals[run]:5d}  {agreed[run] / totals[run]:7.2%}  {corrected[run] / totals[run]:9.2%}")
    text_runs = [r for r in totals if "_code" not in r]
    m = sum(totals[r] for r in text_runs)
    print(f"{'runs graded on their response text':{width}}  {m:5d}  {sum(agreed[r] for r in text_runs) / m:7.2%}  "
          f"{sum(corrected[r] for r in text_runs) / m:9.2%}")
    n = sum(totals.values())
    print(f"{'OVERALL':{width}}  {n:5d}  {sum(agreed.values()) / n:7.2%}  {sum(corrected.values()) / n:9.2%}")
    print(f"\n{n - sum(agreed.values())} disagreements by cause:")
    for why, count in causes.most_common():
        print(f"  {count:5d}  {why}")
    for why, cases in sorted(examples.items()):
        if why.startswith("grader"):
            for run, item, grade in cases[: args.show]:
                print(f"\n[{why}] {run}/{item['pid']} gold={item['answer']!r} reference={item['extraction']!r} "
                      f"label={item['true_false']} ours={grade.answer!r}\n  ...{graded_text(run, item)[-240:]!r}")
    stale = sorted(set(reviewed) - {f"{d['run']}/{d['pid']}" for d in disagreements})
    if stale:
        print(f"\nreviewed entries that are no longer disagreements: {', '.join(stale)}")
    print(f"\ngrading time: {seconds:.2f} s for {n} responses ({seconds / n * 1e6:.0f} us each)")
    if args.json:
        args.json.write_text(json.dumps(disagreements, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
