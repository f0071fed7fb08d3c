"""The code tasks through the real ``lm_eval`` CLI: scripted model, the fixture
mirror, n = 4. Expected values: the schedule's passing counts and the exact
formula 1 - C(n-c, k) / C(n, k)."""

from __future__ import annotations

import ast
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest

from conftest import read_run, run_lm_eval  # noqa: I001
from scripted_code_model import BASE_PASSING, passing_count

MIRROR = Path(__file__).resolve().parents[1] / "fixtures" / "code" / "mirror"
N, KS = 4, (1, 2, 4)


def exact(n: int, c: int, k: int) -> float:
    return float(1 - Fraction(comb(n - c, k), comb(n, k)))


def mean_pass_at_k(markers: list[str], k: int, table=None) -> float:
    counts = [passing_count(m, N, table) if table else passing_count(m, N) for m in markers]
    return sum(exact(N, c, k) for c in counts) / len(counts)


@pytest.mark.parametrize(
    ("task", "markers"),
    [("passk_humanevalplus", ["PASSK-FIXTURE-ADD", "PASSK-FIXTURE-HALVES"]),
     ("passk_livecodebench", ["PASSK-FIXTURE-SUM", "PASSK-FIXTURE-MAX"])],
)
def test_code_task_end_to_end(tmp_path, task, markers):
    run_lm_eval(
        ["--model", "passk-scripted-code", "--tasks", task, "--output_path", str(tmp_path), "--log_samples",
         "--metadata", '{"n": 4, "k": [1, 2, 4]}'],
        env={"LM_EVAL_PASSK_DATA_DIR": str(MIRROR)},
    )
    results, samples = read_run(tmp_path)
    metrics = results["results"][task]
    for k in KS:
        assert metrics[f"pass@{k},passk"] == pytest.approx(mean_pass_at_k(markers, k))
    rows = samples[task]
    assert len(rows) == 2  # LiveCodeBench: the 2023 problem is outside the date window
    # lm-eval logs each per-sample record as its repr
    statuses = sorted(ast.literal_eval(r)["status"] for row in rows for r in row["filtered_resps"][0])
    if task == "passk_humanevalplus":
        for k in KS:
            assert metrics[f"base_pass@{k},passk"] == pytest.approx(mean_pass_at_k(markers, k, BASE_PASSING))
        assert statuses == sorted(["pass", "wrong_answer", "wrong_answer", "no_code",
                                   "pass", "wrong_answer", "timeout", "pass"])
    else:
        assert statuses == sorted(["pass", "wrong_answer", "no_code", "pass",
                                   "pass", "wrong_answer", "timeout", "pass"])
