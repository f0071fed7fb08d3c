"""``lm-eval-passk report`` on a run of lm-eval's stock ``hf`` backend (a tiny random
Llama built here; about a minute on a CPU, so marked slow)."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest

from conftest import read_run, run_lm_eval  # noqa: I001
from fixtures.tiny_model import build_tiny_model

TOOL = Path(sys.executable).with_name("lm-eval-passk")
N = 4


@pytest.mark.slow
def test_report_reads_a_stock_hf_run(tmp_path):
    model = build_tiny_model(tmp_path / "tiny-llama")
    out = tmp_path / "run"
    lm_eval_args = ["--model", "hf", "--model_args", f"pretrained={model},dtype=float32", "--tasks", "passk_demo",
                    "--metadata", json.dumps({"n": N}), "--gen_kwargs", "max_gen_toks=24", "--batch_size", "8",
                    "--output_path", str(out), "--log_samples"]
    run_lm_eval(lm_eval_args, cwd=tmp_path)
    proc = subprocess.run([str(TOOL), "report", str(out), "--out", str(tmp_path / "report")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "report" / "passk_demo_curve.json").read_text())
    _, samples = read_run(out)
    counts = [sum(line["passk"]["verdicts"]) for line in samples["passk_demo"]]
    expected = [float(sum(1 - Fraction(comb(N - c, k), comb(N, k)) for c in counts) / len(counts))
                for k in range(1, N + 1)]
    assert report["model"] == "tiny-llama"  # a local path's last part
    assert report["problems"] == 8 and report["n"] == N
    assert [p["pass_at_k"] for p in report["curve"]] == pytest.approx(expected, abs=1e-12)
    assert report["never_solved"] == pytest.approx(sum(c == 0 for c in counts) / len(counts))
    assert (tmp_path / "report" / "passk_demo_curve.png").stat().st_size > 0
