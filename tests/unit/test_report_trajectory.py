"""Training trajectories: steps read from names, points in step order, runs lacking a
benchmark or not matching it left out with one line, values from the exact formula."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest

from lm_eval_passk.report import BootstrapSettings
from lm_eval_passk.report.runs import Benchmark, Problem, Run
from lm_eval_passk.report.trajectory import step_from_names, write_trajectory

FAST = BootstrapSettings(iterations=100)


@pytest.mark.parametrize("names, model, step", [
    (["step150"], "m", 150),
    (["out", "global_step_300"], "m", 300),
    (["ckpt-50"], "m", 50),
    (["checkpoint-1000"], "m", 1000),
    (["run_150"], "m", 150),
    (["rl 0"], "m", 0),
    ([], "Qwen2.5-7B-step200", 200),
    ([], "Qwen2.5-7B", None),  # a model name's size is no step
    (["out"], "SmolLM2-135M-Instruct.Q4_1", None),
    (["T0.6"], "m", None),
    (["temp_0.6"], "m", 0.6),
])
def test_step_from_names(names, model, step):
    assert step_from_names(names, model) == step


def exact(n: int, counts: list[int], k: int) -> float:
    return float(sum(1 - Fraction(comb(n - c, k), comb(n, k)) for c in counts) / len(counts))


def run(label: str, tasks: dict[str, tuple[list[int], int]]) -> Run:
    benchmarks = {}
    for task, (counts, n) in tasks.items():
        problems = tuple(Problem(f"q{i}", n, c, tuple(j < c for j in range(n)), ("1",) * n, f"h{i}")
                         for i, c in enumerate(counts))
        benchmarks[task] = Benchmark(task, problems, len(problems))
    return Run(Path(f"/runs/{label}/results.json"), {}, label, benchmarks)


STEPS = {  # step -> gsm8k counts at n = 8 (RL sharpens: pass@1 up, pass@8 down)
    0: [0, 1, 2, 4, 8, 1],
    100: [0, 0, 5, 7, 8, 2],
    200: [0, 0, 8, 8, 8, 0],
}


def test_points_follow_the_steps_and_the_exact_formula(tmp_path):
    runs = [run(f"ckpt{s}", {"passk_gsm8k": (STEPS[s], 8), "passk_aime24": ([1, 3], 4)}) for s in (200, 0, 100)]
    written, notes, errors = write_trajectory(runs, [200, 0, 100], tmp_path, ks=[4, 64], bootstrap=FAST, formats=())
    assert not errors
    assert notes == ["passk_gsm8k: k = 64 above n = 8; left out", "passk_aime24: k = 64 above n = 4; left out"]
    result = json.loads((tmp_path / "trajectory.json").read_text())
    gsm8k = result["benchmarks"]["passk_gsm8k"]
    assert gsm8k["k"] == [1, 4, 8]
    assert [p["step"] for p in gsm8k["points"]] == [0, 100, 200]
    for point in gsm8k["points"]:
        for k in (1, 4, 8):
            value = point["pass_at_k"][str(k)]
            assert value["value"] == pytest.approx(exact(8, STEPS[point["step"]], k), abs=1e-12)
            assert value["low"] <= value["value"] <= value["high"]
    assert result["benchmarks"]["passk_aime24"]["k"] == [1, 4]
    with (tmp_path / "table.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [r["training step"] for r in rows[:3]] == ["0 (ckpt0)"] * 3
    assert float(rows[2]["value"]) == pytest.approx(exact(8, STEPS[0], 8), abs=1e-12)
    assert {p.name for p in written} == {"table.md", "table.csv", "table.tex", "trajectory.json", "summary.md"}


def test_a_run_without_the_benchmark_leaves_its_step_out(tmp_path):
    runs = [run("a", {"passk_gsm8k": (STEPS[0], 8), "passk_math500": ([1], 8)}),
            run("b", {"passk_gsm8k": (STEPS[100], 8)})]
    _, notes, errors = write_trajectory(runs, [0, 100], tmp_path, bootstrap=FAST, formats=())
    assert not errors and notes == ["passk_math500: not in b (step 100); its trajectory leaves those steps out"]
    result = json.loads((tmp_path / "trajectory.json").read_text())
    assert [p["step"] for p in result["benchmarks"]["passk_math500"]["points"]] == [0]
    # step 100: pass@1 = (5 + 7 + 8 + 2) / 48, pass@8 = 4 of 6 problems solved
    assert "| 100 (b) | 45.8 | 66.7 | — | — |" in (tmp_path / "table.md").read_text()


def test_a_run_that_does_not_match_is_refused_with_one_line(tmp_path):
    runs = [run("a", {"passk_gsm8k": (STEPS[0], 8)}), run("b", {"passk_gsm8k": (STEPS[100], 8)}),
            run("c", {"passk_gsm8k": ([1, 2, 3, 4, 5, 6], 16)})]
    written, _, errors = write_trajectory(runs, [0, 100, 200], tmp_path, bootstrap=FAST, formats=())
    assert errors == ["passk_gsm8k: a has n=8 samples per problem but c has n=16; compare runs sampled with the "
                      "same n (step 200 left out of the trajectory)"]
    points = json.loads((tmp_path / "trajectory.json").read_text())["benchmarks"]["passk_gsm8k"]["points"]
    assert [p["step"] for p in points] == [0, 100] and written
