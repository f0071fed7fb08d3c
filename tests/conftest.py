"""Shared test helpers: where the real benchmark copies are, and how to run lm_eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
RUN_LM_EVAL = Path(__file__).parent / "run_lm_eval.py"


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` beside the checkout; tests that need it skip without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return SHARED_DATA


def run_lm_eval(args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
                check: bool = True) -> subprocess.CompletedProcess:
    """Run the real lm_eval CLI (with the scripted model registered) in a subprocess."""
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", **(env or {})}
    proc = subprocess.run([sys.executable, str(RUN_LM_EVAL), *args], env=full_env, cwd=cwd,
                          capture_output=True, text=True, timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"lm_eval failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return proc


def read_run(output_path: Path) -> tuple[dict, dict[str, list[dict]]]:
    """The results JSON and the samples (per task) that ``--output_path --log_samples`` wrote."""
    results_files = sorted(output_path.glob("**/results_*.json"))
    assert results_files, f"no results file under {output_path}"
    results = json.loads(results_files[-1].read_text())
    samples: dict[str, list[dict]] = {}
    for path in sorted(output_path.glob("**/samples_*.jsonl")):
        task = path.name[len("samples_"):].rsplit("_", 1)[0]
        samples[task] = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return results, samples


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path
