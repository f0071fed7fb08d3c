"""HumanEval+ through our sandboxed executor and through evalplus's own evaluator,
in the same run: speed ratio and verdict agreement (base and plus).

Programs: the 164 canonical solutions plus the 820 labelled real samples of
../shared/data/code_generations (Qwen2.5-Coder 1.5B/7B base, CodeQwen1.5 base /
chat / chat-awq, graded by evalplus against HumanEvalPlus v0.1.9), each repeated
``--copies`` times as pass@k sampling repeats programs. Both sides start cold
(evalplus's ground-truth cache is cleared; ours computes reference outputs).

    python benchmarks/code/humanevalplus.py --evalplus-python /work/venv-code/bin/python --copies 4

evalplus needs its own environment (``pip install evalplus==0.3.1``); this package
never imports it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from lm_eval_passk.code.grading import grade_programs, isolation_for_run, record_reference  # noqa: E402
from lm_eval_passk.code.sandbox import Limits  # noqa: E402
from lm_eval_passk.code.suites import humaneval_plus_suite  # noqa: E402

SHARED = REPO.parent / "shared" / "data"


def labelled_samples(folder: Path) -> list[dict]:
    """{"model", "task_id", "solution", "base_status", "plus_status"} of every labelled sample."""
    samples = []
    for path in sorted(folder.glob("*.generated_eval_results.json")):
        for task_results in json.loads(path.read_text())["eval"].values():
            samples += [{"model": path.name.split(".humaneval")[0], **r} for r in task_results]
    with tarfile.open(folder / "codeqwen1.5_evalplus_humaneval_outputs.tar.gz") as tar:
        for member in tar.getmembers():
            if member.name.endswith("eval_results.json") and "/._" not in member.name:
                model = member.name.split("/")[1]
                for task_results in json.loads(tar.extractfile(member).read())["eval"].values():
                    samples += [{"model": model, **r} for r in task_results]
    return samples


def run_ours(rows: dict, programs: list[tuple[str, str]], workers: int) -> tuple[list, float]:
    start = time.perf_counter()
    isolation = isolation_for_run()
    references = record_reference(
        [(r["prompt"] + r["canonical_solution"], r["entry_point"], r["base_input"] + r["plus_input"])
         for r in rows.values()], time_limit=60.0, limits=Limits(), isolation=isolation, desc="ours: reference")
    suites = {k: humaneval_plus_suite(rows[k], *ref) for k, ref in zip(rows, references)}
    verdicts = grade_programs(suites, programs, limits=Limits(), isolation=isolation, desc="ours: programs",
                              workers=workers)
    return [(v.passed["base"], v.passed["plus"]) for v in verdicts], time.perf_counter() - start


def run_evalplus(python: str, dataset: Path, programs: list[tuple[str, str]], workers: int) -> tuple[list, float]:
    with tempfile.TemporaryDirectory(prefix="evalplus-bench-") as folder:
        samples = Path(folder) / "samples.jsonl"
        samples.write_text("".join(json.dumps({"task_id": k, "solution": c}) + "\n" for k, c in programs))
        cache = Path(folder) / "cache"
        env = {**os.environ, "HUMANEVAL_OVERRIDE_PATH": str(dataset), "XDG_CACHE_HOME": str(cache)}
        # timed inside, and left with os._exit: evalplus's watchdog thread sleeps up to 20 s more
        code = ("import os, sys, time; start = time.perf_counter(); from evalplus.evaluate import evaluate; "
                f"evaluate(dataset='humaneval', samples={str(samples)!r}, parallel={workers}, i_just_wanna_run=True); "
                "sys.stderr.write(f'EVALPLUS_SECONDS {time.perf_counter() - start}\\n'); sys.stderr.flush(); os._exit(0)")
        proc = subprocess.run([python, "-c", code], env=env, check=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        seconds = float(proc.stderr.rsplit("EVALPLUS_SECONDS ", 1)[1].split()[0])
        results = json.loads((Path(folder) / "samples_eval_results.json").read_text())["eval"]
    # evalplus keeps each task's samples in input order
    order: dict[str, int] = Counter()
    verdicts = []
    for key, _ in programs:
        r = results[key][order[key]]
        order[key] += 1
        verdicts.append((r["base_status"] == "pass", r["base_status"] == r["plus_status"] == "pass"))
    return verdicts, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evalplus-python", default="/work/venv-code/bin/python")
    parser.add_argument("--dataset", type=Path, default=SHARED / "humaneval_plus" / "HumanEvalPlus-v0.1.9.jsonl.gz")
    parser.add_argument("--samples", type=Path, default=SHARED / "code_generations")
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args()

    with gzip.open(args.dataset, "rt") as f:
        rows = {r["task_id"]: r for r in map(json.loads, f)}
    labelled = labelled_samples(args.samples)
    canonical = [(k, r["prompt"] + r["canonical_solution"]) for k, r in rows.items()]
    programs = (canonical + [(s["task_id"], s["solution"]) for s in labelled]) * args.copies
    print(f"{len(programs)} programs ({len(set(programs))} distinct), {args.workers} workers, {args.dataset.name}")

    theirs, evalplus_s = run_evalplus(args.evalplus_python, args.dataset, programs, args.workers)
    ours, ours_s = run_ours(rows, programs, args.workers)

    agree = sum(a == b for a, b in zip(ours, theirs))
    print(f"evalplus: {evalplus_s:.1f} s   ours: {ours_s:.1f} s   speed ratio: {evalplus_s / ours_s:.2f}x")
    print(f"verdicts (base, plus) agreeing with evalplus in this run: {agree}/{len(programs)} "
          f"({100 * agree / len(programs):.2f}%)")
    for (key, code), a, b in zip(programs, ours, theirs):
        if a != b:
            print(f"  differs: {key} ours(base, plus)={a} evalplus={b}: {code[:80]!r}")
    n = len(canonical)
    print(f"canonical solutions passing base+plus (ours): {sum(p for _, p in ours[:n])}/{n}")
    labels = [(s["base_status"] == "pass", s["base_status"] == s["plus_status"] == "pass") for s in labelled]
    ours_labelled = ours[n:n + len(labelled)]
    match = sum(a == b for a, b in zip(ours_labelled, labels))
    print(f"labelled samples agreeing with their stored evalplus labels: {match}/{len(labels)}")
    for s, a, b in zip(labelled, ours_labelled, labels):
        if a != b:
            print(f"  label differs: {s['model']} {s['task_id']} ours={a} label={b}")


if __name__ == "__main__":
    main()
