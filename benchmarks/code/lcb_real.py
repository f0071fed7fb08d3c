"""The 2,110 real LiveCodeBench programs of ../shared/data/lcb_generations (Qwen2.5-7B-
Instruct and Qwen3-8B on release_v6, graded by LiveCodeBench) through our code
extraction and executor. The files hold no test suites, so the tests are what the
files do say: the statement's sample tests (AtCoder / Codeforces stdin problems) and
the failing test LiveCodeBench recorded for a wrong answer or a time-out. Checks:

* extraction equals LiveCodeBench's own ``code_list``;
* no program breaks the harness (every one gets a verdict);
* a program LiveCodeBench passed passes the statement's samples;
* a program LiveCodeBench failed on a recorded test fails that test here too.

    python benchmarks/code/lcb_real.py [--timeout 6]
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from lm_eval_passk.code.extract import extract_lcb_code  # noqa: E402
from lm_eval_passk.code.grading import grade_programs, isolation_for_run  # noqa: E402
from lm_eval_passk.code.sandbox import Limits  # noqa: E402
from lm_eval_passk.code.suites import lcb_suite  # noqa: E402

FOLDER = REPO.parent / "shared" / "data" / "lcb_generations"
_SAMPLE = re.compile(r"Sample Input \d+\s*\n\n(.*?)\n\nSample Output \d+\s*\n\n(.*?)(?:\n\n|$)", re.S)


def recorded_test(record: dict, functional: bool) -> dict | None:
    meta = json.loads(record["metadata"][0])
    if meta.get("error_code") not in (-2, -3) or "inputs" not in meta or "...(truncated)" in meta["inputs"] + meta["expected"]:
        return None
    if functional:  # LiveCodeBench stored str(list of arguments)
        try:  # both were stored as Python reprs
            args, expected = ast.literal_eval(meta["inputs"]), ast.literal_eval(meta["expected"])
            return {"input": "\n".join(json.dumps(a) for a in args), "output": json.dumps(expected),
                    "testtype": "functional"}
        except (ValueError, SyntaxError, TypeError):
            return None
    return {"input": meta["inputs"], "output": meta["expected"], "testtype": "stdin"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=6.0)
    args = parser.parse_args()
    suites, programs, expectations, same_extraction, total = {}, [], [], 0, 0
    for path in sorted(FOLDER.glob("*_eval_all.json")):
        for i, record in enumerate(json.loads(path.read_text())):
            total += 1
            code = extract_lcb_code(record["output_list"][0])
            same_extraction += (code or "") == record["code_list"][0]
            functional = bool(record["starter_code"])
            func_name = None
            if functional:
                match = re.search(r"def (\w+)\(self", record["starter_code"])
                func_name = match.group(1) if match else "solve"
            recorded = recorded_test(record, functional)
            if record["graded_list"][0] and not functional:
                tests, expect = [{"input": a + "\n", "output": b} for a, b in _SAMPLE.findall(record["question_content"])], "pass"
            elif recorded:
                tests, expect = [recorded], "fail"
            else:
                tests, expect = [], "runs"
            key = f"{path.name}:{i}"
            suites[key] = lcb_suite(tests, func_name, timeout_s=args.timeout)
            programs.append((key, code or ""))
            expectations.append((expect, record["graded_list"][0]))
    start = time.perf_counter()
    verdicts = grade_programs(suites, programs, limits=Limits(), isolation=isolation_for_run(), desc="LCB programs")
    seconds = time.perf_counter() - start
    print(f"{total} programs; extraction equal to LiveCodeBench's code_list: {same_extraction}/{total}")
    print(f"executor: {seconds:.1f} s, verdicts: {dict(Counter(v.verdict for v in verdicts))}")
    for expect in ("pass", "fail", "runs"):
        rows = [(v, p) for v, (e, _), p in zip(verdicts, expectations, programs) if e == expect]
        if expect == "pass":
            ok = [v.verdict == "pass" for v, _ in rows]
            print(f"LCB-passed stdin programs passing the statement samples: {sum(ok)}/{len(rows)}")
        elif expect == "fail":
            ok = [v.verdict != "pass" for v, _ in rows]
            print(f"programs failing the test LCB recorded as failed: {sum(ok)}/{len(rows)}")
        else:
            ok = [True] * len(rows)
            print(f"programs with no test here (loaded and ran): {len(rows)}, verdicts "
                  f"{dict(Counter(v.verdict for v, _ in rows))}")
        for (v, (key, _)), good in zip(rows, ok):
            if not good:
                print(f"  differs: {key} expected {expect}, got {v.verdict} {v.error or ''}"[:200])


if __name__ == "__main__":
    main()
