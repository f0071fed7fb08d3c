"""Grading throughput: ``grade_answers`` against one Math-Verify call per answer.

Builds MATH500 x 256 synthetic-but-realistic answers (128,000) and grades them twice
in the same run: with ``grade_answers`` (mode ``math_verify``: distinct pairs only,
a process pool sized to the cores, per-answer hard timeouts) and with the plain loop
``verify(parse(gold), parse(answer))`` in this one process. It prints both times, the
speed-up and whether the verdicts are identical (listing any that are not).

The answers copy the corpora's answer styles: per problem an accuracy drawn from
[0, 1]; right answers mostly as the gold is written, else in an equivalent form
seen in the labelled MATH samples (``\\dfrac``, a decimal, ``x = ...``, a unit in
``\\text{}``, thousands separators); wrong answers half from a few shared mistakes
per problem, half one-off (as in the labelled samples, where about half the wrong
answers to a problem repeat).

    python benchmarks/math/grading_speed.py [--samples 256] [--baseline-problems N] [--workers N]

``--baseline-problems N`` times the plain loop on all the answers to N random
problems only and scales its time up by 500 / N (the verdict check then covers
those answers); whole problems, so Math-Verify's own parse cache helps it as much
as in a full run.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import resource
import time
from fractions import Fraction
from pathlib import Path

from lm_eval_passk.math.grading import grade_answers
from lm_eval_passk.sources import read_jsonl

REPO = Path(__file__).resolve().parents[2]


def _fraction_of(gold: str) -> Fraction | None:
    m = re.fullmatch(r"(-?)\\[dt]?frac\{(\d+)\}\{(\d+)\}", gold)
    if m:
        return Fraction(int(m.group(2)), int(m.group(3))) * (-1 if m.group(1) else 1)
    return Fraction(int(gold)) if re.fullmatch(r"-?\d+", gold) else None


def right_forms(gold: str) -> list[str]:
    """The gold and equivalent ways the labelled samples write such an answer."""
    forms = [gold, f"x = {gold}", f"{gold}\\text{{ units}}"]
    if "\\frac" in gold:
        forms.append(gold.replace("\\frac", "\\dfrac"))
    value = _fraction_of(gold)
    if value is not None and value.denominator != 1 and 10**6 % value.denominator == 0:
        forms.append(str(float(value)))
    if value is not None and value.denominator == 1 and abs(value) >= 1000:
        forms.append(f"{int(value):,}")
    return forms


def wrong_answer(gold: str, rng: random.Random) -> str:
    """A plausible mistake: a number in the gold changed, or a sign, or a stray term."""
    numbers = list(re.finditer(r"\d+", gold))
    if numbers and rng.random() < 0.8:
        m = rng.choice(numbers)
        changed = str(max(0, int(m.group()) + rng.choice([-3, -2, -1, 1, 2, 3, 10, -10]) * rng.randint(1, 20)))
        return gold[: m.start()] + changed + gold[m.end():]
    return rng.choice([f"-{gold}", f"{gold} + 1", f"2{gold}", f"\\frac{{{gold}}}{{2}}"])


def synthetic_answers(golds: list[str], samples: int, rng: random.Random) -> tuple[list[str], list[str]]:
    answers, answer_golds = [], []
    for gold in golds:
        accuracy = rng.random()
        forms = right_forms(gold)
        shared_mistakes = [wrong_answer(gold, rng) for _ in range(3)]
        for _ in range(samples):
            if rng.random() < accuracy:
                answer = gold if rng.random() < 0.85 else rng.choice(forms)
            elif rng.random() < 0.5:
                answer = rng.choice(shared_mistakes)
            else:
                answer = wrong_answer(gold, rng)
            answers.append(answer)
            answer_golds.append(gold)
    return answers, answer_golds


def plain_verdicts(answers: list[str], golds: list[str]) -> list[bool]:
    """The reference: one Math-Verify call per answer, in this process."""
    from math_verify import parse, verify

    return [bool(verify(parse(f"\\boxed{{{g}}}"), parse(f"\\boxed{{{a}}}"))) for a, g in zip(answers, golds)]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the grading workers)."""
    usages = map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return sum(u.ru_utime + u.ru_stime for u in usages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared-data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--samples", type=int, default=256, help="answers per MATH500 problem")
    parser.add_argument("--baseline-problems", type=int, default=None,
                        help="time the plain loop on the answers to this many problems")
    parser.add_argument("--workers", type=int, default=None, help="grading processes (default: all cores)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per answer")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.getLogger("math_verify").setLevel(logging.ERROR)

    rng = random.Random(args.seed)
    golds = [row["answer"] for row in read_jsonl(args.shared_data / "math500" / "test.jsonl")]
    answers, answer_golds = synthetic_answers(golds, args.samples, rng)
    print(f"{len(answers)} answers to {len(golds)} problems, {len(set(zip(answers, answer_golds)))} distinct "
          f"(answer, gold) pairs; {os.cpu_count()} cores")

    start, start_cpu = time.perf_counter(), cpu_seconds()
    grades = grade_answers(answers, answer_golds, mode="math_verify", timeout_s=args.timeout,
                           workers=args.workers, desc="grade_answers")
    ours_s, ours_cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
    print(f"grade_answers: {ours_s:.1f}s wall, {ours_cpu:.1f}s CPU; {grades.distinct_pairs} distinct pairs graded, "
          f"{grades.failures} timed out")

    problems = range(len(golds))
    if args.baseline_problems and args.baseline_problems < len(golds):
        problems = sorted(rng.sample(range(len(golds)), args.baseline_problems))
    picked = [p * args.samples + j for p in problems for j in range(args.samples)]
    start, start_cpu = time.perf_counter(), cpu_seconds()
    reference = plain_verdicts([answers[i] for i in picked], [answer_golds[i] for i in picked])
    scale = len(answers) / len(picked)
    plain_s, plain_cpu = (time.perf_counter() - start) * scale, (cpu_seconds() - start_cpu) * scale
    scaled = f" (timed on the {len(picked)} answers to {len(problems)} problems, scaled up)" if scale > 1 else ""
    print(f"verify(parse(g), parse(p)) per answer, one process: {plain_s:.1f}s wall, {plain_cpu:.1f}s CPU{scaled}")

    differ = [i for i, v in zip(picked, reference) if v != grades.verdicts[i]]
    print(f"speed-up: {plain_s / ours_s:.1f}x wall-clock ({plain_cpu / ours_cpu:.1f}x in CPU time); "
          f"verdicts identical on {len(picked) - len(differ)} of {len(picked)}; correct: {sum(reference)}")
    for i in differ[:50]:
        print(f"  differs: answer={answers[i]!r} gold={answer_golds[i]!r} ours={grades.verdicts[i]}")


if __name__ == "__main__":
    main()
