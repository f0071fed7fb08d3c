"""What the start-up hook (lm_eval_passk.pth) costs a Python process that never
imports lm-eval: the time to import it, against the whole start-up of the same
interpreter (which processes the hook), medians over many runs.

    python benchmarks/startup_cost.py [--runs 30]
"""

from __future__ import annotations

import argparse
import site
import statistics
import subprocess
import sys
import time

# -S: no site processing, so the hook is not imported yet when the timer starts.
HOOK_IMPORT = (
    "import sys, time; sys.path[:0] = {paths!r}; start = time.perf_counter(); "
    "import lm_eval_passk._startup; print(time.perf_counter() - start)"
)


def hook_import_s() -> float:
    code = HOOK_IMPORT.format(paths=site.getsitepackages() + sys.path[1:])
    return float(subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True).stdout)


def startup_s() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; assert 'lm_eval' not in sys.modules"], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    if not any(type(f).__name__ == "_AfterImport" for f in sys.meta_path):
        sys.exit("lm_eval_passk.pth is not active in this interpreter: pip install the package first")
    hook = statistics.median(hook_import_s() for _ in range(runs))
    total = statistics.median(startup_s() for _ in range(runs))
    print(f"interpreter start-up, hook included (median of {runs}): {total * 1e3:.1f} ms")
    print(f"importing the hook                  (median of {runs}): {hook * 1e3:.2f} ms")
    print(f"ratio hook / start-up: {hook / total:.3f}")


if __name__ == "__main__":
    main()
