"""What the start-up hook (lm_eval_passk.pth) costs a Python process that never
imports lm-eval: its own import time (``-X importtime``) against the whole start-up
of the same interpreter, over many runs.

    python benchmarks/startup_cost.py [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def hook_import_us() -> int:
    """Cumulative microseconds of importing the hook at start-up."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "pass"], capture_output=True, text=True).stderr
    rows = [line.split("|") for line in err.splitlines() if line.startswith("import time:")]
    ours = [int(r[1]) for r in rows if r[2].strip() == "lm_eval_passk._startup"]
    if not ours:
        sys.exit("lm_eval_passk.pth is not active in this interpreter: pip install the package first")
    return ours[0]


def startup_s() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; assert 'lm_eval' not in sys.modules"], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    hook = statistics.median(hook_import_us() for _ in range(runs)) / 1e6
    total = statistics.median(startup_s() for _ in range(runs))
    print(f"interpreter start-up (median of {runs}): {total * 1e3:.1f} ms")
    print(f"start-up hook import  (median of {runs}): {hook * 1e3:.2f} ms")
    print(f"ratio hook / start-up: {hook / total:.3f}")


if __name__ == "__main__":
    main()
