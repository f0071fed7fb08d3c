"""``write_comparison`` on runs built in memory: ΔSE under the paper's name only at
k = 256, the Fig. 8 reading, the model table, the paper's histogram bins, McNemar, all
against values worked out here with the exact formula."""

from __future__ import annotations

import csv
import json
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest

from lm_eval_passk.report import BootstrapSettings, write_comparison
from lm_eval_passk.report.runs import Benchmark, Problem, Run

FAST = BootstrapSettings(iterations=200)


def exact(n: int, counts: list[int], k: int) -> float:
    return float(sum(1 - Fraction(comb(n - c, k), comb(n, k)) for c in counts) / len(counts))


def run(label: str, counts: list[int], n: int, task: str = "passk_math500") -> Run:
    problems = tuple(Problem(f"q{i}", n, c, tuple(j < c for j in range(n)), ("1",) * n, f"h{i}")
                     for i, c in enumerate(counts))
    return Run(Path(f"/runs/{label}/results.json"), {}, label, {task: Benchmark(task, problems, len(problems))})


def compare(tmp_path: Path, *runs: Run) -> tuple[dict, str]:
    written, notes, errors = write_comparison(list(runs), tmp_path, FAST, formats=())
    assert not errors and not notes and written
    return json.loads((tmp_path / "compare.json").read_text()), (tmp_path / "summary.md").read_text()


BASE_300 = [0, 1, 3, 40, 150, 299, 300, 2]
RL_300 = [0, 0, 290, 300, 300, 300, 300, 0]


def test_delta_se_with_more_than_256_samples_is_the_papers(tmp_path):
    result, summary = compare(tmp_path, run("base", BASE_300, 300), run("rl", RL_300, 300))
    versus = result["benchmarks"]["passk_math500"]["versus_base"]["rl"]
    assert versus["delta_se_k"] == 256 and versus["delta_se_name"] == "ΔSE"
    assert versus["delta_se"] == pytest.approx(exact(300, BASE_300, 256) - exact(300, RL_300, 1), abs=1e-12)
    section = summary.split("## passk_math500")[1]
    assert "| ΔSE = pass@256(base) − pass@1 (pts) |" in section and "ΔSE@" not in section


def test_delta_se_below_256_carries_its_k_everywhere(tmp_path):
    base, rl = [0, 1, 4, 8, 16, 2], [0, 0, 12, 16, 16, 0]
    result, summary = compare(tmp_path, run("base", base, 16), run("rl", rl, 16))
    versus = result["benchmarks"]["passk_math500"]["versus_base"]["rl"]
    assert versus["delta_se_k"] == 16 and versus["delta_se_name"] == "ΔSE@16"
    assert versus["delta_se"] == pytest.approx(exact(16, base, 16) - exact(16, rl, 1), abs=1e-12)
    assert "| ΔSE@16 = pass@16(base) − pass@1 (pts) |" in summary
    table = (tmp_path / "table.md").read_text() + (tmp_path / "table.tex").read_text()
    assert "ΔSE@16" in table and r"$\Delta_{\mathrm{SE}}$@16" in table
    # never the paper's bare name for this number
    assert "ΔSE |" not in summary and "ΔSE |" not in table and r"$\Delta_{\mathrm{SE}}$ " not in table


def test_fig8_reading_and_the_model_table(tmp_path):
    base, ppo, grpo = [0, 2, 5, 8, 1, 3], [0, 0, 8, 8, 0, 6], [0, 1, 7, 8, 0, 8]
    result, summary = compare(tmp_path, run("base", base, 8), run("ppo", ppo, 8), run("grpo", grpo, 8))
    best = result["benchmarks"]["passk_math500"]["delta_se_best"]
    assert exact(8, grpo, 1) > exact(8, ppo, 1)
    assert best == {"k": 8, "name": "ΔSE@8", "model": "grpo",
                    "value": pytest.approx(exact(8, base, 8) - exact(8, grpo, 1), abs=1e-12)}
    assert "Fig. 8 reading: ΔSE@8 against the best pass@1 of the other models (grpo)" in summary
    with (tmp_path / "table.csv").open() as f:
        rows = {(r["model"], r["column"]): r["value"] for r in csv.DictReader(f)}
    for label, counts in (("base", base), ("ppo", ppo), ("grpo", grpo)):
        assert float(rows[(label, "pass@1")]) == pytest.approx(exact(8, counts, 1), abs=1e-12)
        assert float(rows[(label, "pass@8")]) == pytest.approx(exact(8, counts, 8), abs=1e-12)
    assert rows[("base", "ΔSE@8")] == ""
    assert float(rows[("ppo", "ΔSE@8")]) == pytest.approx(exact(8, base, 8) - exact(8, ppo, 1), abs=1e-12)
    tex = (tmp_path / "table.tex").read_text()
    assert tex.count(r"\toprule") == tex.count(r"\midrule") == tex.count(r"\bottomrule") == 1
    assert all(line.count("&") == 3 for line in tex.splitlines() if line.endswith(r"\\") and "multicolumn" not in line)


def test_no_fig8_reading_with_one_other_model(tmp_path):
    result, summary = compare(tmp_path, run("base", [1, 2], 4), run("rl", [2, 2], 4))
    assert "delta_se_best" not in result["benchmarks"]["passk_math500"] and "Fig. 8" not in summary


def test_histogram_in_compare_json_has_the_papers_bins(tmp_path):
    base, rl = [0, 1, 2, 10, 19, 20, 20], [0, 0, 20, 20, 20, 5, 11]
    result, _ = compare(tmp_path, run("base", base, 20), run("rl", rl, 20))
    bench = result["benchmarks"]["passk_math500"]
    assert bench["accuracy_bins"][0] == "0" and bench["accuracy_bins"][-1] == "1" and len(bench["accuracy_bins"]) == 12
    # base: 0 | 0.05 in (0, .1] | 0.1 in (0, .1] | 0.5 in (.4, .5] | 0.95 in (.9, 1) | 1, 1
    assert bench["models"]["base"]["accuracy_histogram"] == pytest.approx(
        [x / 7 for x in (1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2)])
    # rl: 0, 0 | 0.25 in (.2, .3] | 0.55 in (.5, .6] | 1, 1, 1
    assert bench["models"]["rl"]["accuracy_histogram"] == pytest.approx(
        [x / 7 for x in (2, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 3)])


def test_mcnemar_and_paired_columns(tmp_path):
    # solvable at k = n: base only q0..q5 (6), rl only q6 (1), both q7
    base = [1] * 6 + [0, 4]
    rl = [0] * 6 + [3, 4]
    result, summary = compare(tmp_path, run("base", base, 4), run("rl", rl, 4))
    versus = result["benchmarks"]["passk_math500"]["versus_base"]["rl"]
    assert versus["mcnemar"] == {"only_base": 6, "only_other": 1, "p_value": pytest.approx(2 * (1 + 7) / 2**7)}
    paired = versus["paired"]
    assert paired["difference"] == pytest.approx([exact(4, base, k) - exact(4, rl, k) for k in range(1, 5)])
    assert "| k | base − rl (pts) [95% CI] | ahead |" in summary
    assert f"| 4 | {100 * paired['difference'][3]:+.1f} [" in summary
