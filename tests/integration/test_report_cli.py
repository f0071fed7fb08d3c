"""``lm-eval-passk report / compare / rescore`` on run folders written by the real
``lm_eval`` CLI.

Two runs of the ``passk_math`` group (module-scoped, made once): the scripted base
model and its scripted RL child (``tests/scripted_curve_model.py``). Every fixture
problem states both models' solve rates, so every expected number below follows
from the rates with the exact formula 1 - C(n-c, k) / C(n, k), computed here.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest
from PIL import Image

from conftest import run_lm_eval  # noqa: I001
from lm_eval_passk.math.grading import GRADING_MODES

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "report" / "data"
N = 16
TOOL = Path(sys.executable).with_name("lm-eval-passk")
TASKS = {  # task -> (mirror folder, id field)
    "passk_gsm8k": ("gsm8k", None),
    "passk_math500": ("math500", "unique_id"),
    "passk_minerva": ("minerva_math", "idx"),
    "passk_aime24": ("aime24", "id"),
    "passk_amc23": ("amc23", "id"),
}
RATES = re.compile(r"\[solve rate (\d)/8\] \[rl rate (\d)/8\]")
PNG_SIZE = (960, 600)
GRADING_TIMEOUT = 60  # generous: a loaded CI machine must not turn a right answer wrong


def fixture_problems(task: str) -> list[tuple[str, int, int]]:
    """(problem id, base model's correct samples, RL model's correct samples) at n = N."""
    folder, id_field = TASKS[task]
    rows = [json.loads(line) for line in (DATA / folder / "test.jsonl").read_text().splitlines()]
    out = []
    for i, row in enumerate(rows):
        base, rl = (int(g) for g in RATES.search(row.get("question") or row.get("problem")).groups())
        out.append((str(row[id_field]) if id_field else str(i), N * base // 8, N * rl // 8))
    return out


def group_problems() -> list[tuple[str, int, int]]:
    return [(f"{task}/{pid}", b, r) for task in TASKS for pid, b, r in fixture_problems(task)]


def problems_of(benchmark: str) -> list[tuple[str, int, int]]:
    return group_problems() if benchmark == "passk_math" else fixture_problems(benchmark)


def exact_curve(counts: list[int]) -> list[float]:
    return [float(sum(1 - Fraction(comb(N - c, k), comb(N, k)) for c in counts) / len(counts)) for k in range(1, N + 1)]


def tool(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(TOOL), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def svg_ids(path: Path) -> list[str]:
    return [el.get("id") for el in ET.parse(path).iter() if el.get("id")]


def samples_file(run: Path, task: str) -> Path:
    (path,) = run.glob(f"*/samples_{task}_*.jsonl")
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """The two lm_eval runs, side by side (two CLI start-ups in parallel)."""
    root = tmp_path_factory.mktemp("report_runs")

    def run(profile: str) -> Path:
        out = root / profile
        run_lm_eval(["--model", "passk-curve", "--model_args", f"pretrained=scripted-{profile},profile={profile}",
                     "--tasks", "passk_math", "--metadata", json.dumps({"n": N, "grading_timeout": GRADING_TIMEOUT}),
                     "--output_path", str(out), "--log_samples"],
                    env={"LM_EVAL_PASSK_DATA_DIR": str(DATA)}, cwd=root)
        return out

    with ThreadPoolExecutor(2) as pool:
        base, rl = pool.map(run, ["base", "rl"])
    return {"base": base, "rl": rl}


@pytest.fixture(scope="module")
def base_report(runs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("base_report")
    ok(tool("report", runs["base"], "--out", out))
    return out


@pytest.mark.parametrize("benchmark", [*TASKS, "passk_math"])
def test_report_curve_is_the_closed_form(base_report, benchmark):
    expected = exact_curve([b for _, b, _ in problems_of(benchmark)])
    with (base_report / f"{benchmark}_curve.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [int(r["k"]) for r in rows] == list(range(1, N + 1))
    assert [float(r["pass_at_k"]) for r in rows] == pytest.approx(expected, abs=1e-12)
    assert all(float(r["ci_low"]) <= float(r["pass_at_k"]) <= float(r["ci_high"]) for r in rows)
    report = json.loads((base_report / f"{benchmark}_curve.json").read_text())
    assert [p["pass_at_k"] for p in report["curve"]] == pytest.approx(expected, abs=1e-12)
    assert report["model"] == "scripted-base" and report["n"] == N
    assert report["problems"] == len(problems_of(benchmark)) and report["missing_problems"] == 0


def test_report_table_never_solved_and_majority(base_report):
    problems = fixture_problems("passk_gsm8k")
    report = json.loads((base_report / "passk_gsm8k_curve.json").read_text())
    assert [row["k"] for row in report["table"]] == [1, 2, 4, 8, 16]
    assert report["never_solved"] == pytest.approx(sum(b == 0 for _, b, _ in problems) / len(problems))
    majority = {row["k"]: row["maj_at_k"] for row in report["table"]}
    # A vote over one sample is right exactly as often as one sample is.
    assert majority[1] == pytest.approx(exact_curve([b for _, b, _ in problems])[0], abs=0.02)
    # Over all 16: the correct answers (one vote) against the scripted wrong answers x+1
    # (copies j = 0 mod 3) and x+3 (j = 2 mod 3); a tie of s answers is won 1/s of the time.
    expected = 0.0
    for _, c, _ in problems:
        wrong = [j for j in range(N) if j % 8 >= c // 2]
        counts = [c, sum(j % 3 == 0 for j in wrong), sum(j % 3 == 2 for j in wrong)]
        top = max(counts)
        expected += (counts[0] == top and c > 0) / counts.count(top)
    assert majority[16] == pytest.approx(expected / len(problems), abs=0.02)
    summary = (base_report / "summary.md").read_text()
    assert "| 16 | 77.8 |" in summary and "Never solved (no correct sample in 16): 2 of 9 problems (22.2%)" in summary


def test_report_plot_files(base_report):
    with Image.open(base_report / "passk_gsm8k_curve.png") as png:
        assert png.format == "PNG" and png.size == PNG_SIZE
    ids = svg_ids(base_report / "passk_gsm8k_curve.svg")
    assert ids.count("curve-0") == 1 and ids.count("band-0") == 1 and "curve-1" not in ids
    assert "![passk_gsm8k pass@k](passk_gsm8k_curve.png)" in (base_report / "summary.md").read_text()


def expected_crossover(base: list[float], other: list[float]) -> int | None:
    """First k from which the base curve is ahead and never behind again (by scanning)."""
    for k in range(1, N + 1):
        if base[k - 1] > other[k - 1] and all(base[j] >= other[j] for j in range(k - 1, N)):
            return k
    return None


def paper_histogram(counts: list[int]) -> list[float]:
    """Fig. 5's bins: exactly 0, (0, .1], ..., (.8, .9], (.9, 1), exactly 1, by rational edges."""
    bins = [0] * 12
    for c in counts:
        share = Fraction(c, N)
        if share in (0, 1):
            bins[0 if share == 0 else 11] += 1
        else:
            (i,) = [i for i in range(1, 11) if Fraction(i - 1, 10) < share <= Fraction(i, 10)]
            bins[i] += 1
    return [b / len(counts) for b in bins]


@pytest.fixture(scope="module")
def comparison(runs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("compare")
    ok(tool("compare", runs["base"], runs["rl"], "--out", out))
    return out


@pytest.mark.parametrize("benchmark", [*TASKS, "passk_math"])
def test_compare_numbers(comparison, benchmark):
    problems = problems_of(benchmark)
    base = exact_curve([b for _, b, _ in problems])
    rl = exact_curve([r for _, _, r in problems])
    result = json.loads((comparison / "compare.json").read_text())["benchmarks"][benchmark]
    assert result["models"]["scripted-base"]["curve"] == pytest.approx(base, abs=1e-12)
    assert result["models"]["scripted-rl"]["curve"] == pytest.approx(rl, abs=1e-12)
    versus = result["versus_base"]["scripted-rl"]
    assert versus["crossover_k"] == expected_crossover(base, rl)
    assert versus["delta_se"] == pytest.approx(base[-1] - rl[0], abs=1e-12)
    assert versus["solvable"] == {
        "only_base": [i for i, b, r in problems if b and not r],
        "only_other": [i for i, b, r in problems if r and not b],
        "both": [i for i, b, r in problems if b and r],
        "neither": [i for i, b, r in problems if not b and not r],
    }
    for label, column in (("scripted-base", 1), ("scripted-rl", 2)):
        assert result["models"][label]["accuracy_histogram"] == pytest.approx(
            paper_histogram([problem[column] for problem in problems]))


def test_compare_gsm8k_has_a_crossover_and_both_one_sided_sets(comparison):
    # The fixture is built so that the interesting cases happen, not just equal curves.
    versus = json.loads((comparison / "compare.json").read_text())["benchmarks"]["passk_gsm8k"]["versus_base"]
    assert versus["scripted-rl"]["crossover_k"] not in (None, 1)
    assert versus["scripted-rl"]["solvable"]["only_base"] and versus["scripted-rl"]["solvable"]["only_other"]
    summary = (comparison / "summary.md").read_text()
    assert "# pass@k comparison: scripted-base vs scripted-rl" in summary
    assert f"| scripted-rl | {versus['scripted-rl']['crossover_k']} | " in summary
    assert "solved by scripted-rl, never by scripted-base: 0" in summary  # gsm8k problem 0: rates 0 and 2


def test_compare_plot_files(comparison):
    with Image.open(comparison / "passk_gsm8k_curves.png") as png:
        assert png.size == PNG_SIZE
    with Image.open(comparison / "passk_gsm8k_accuracy_hist.png") as png:
        assert png.size == PNG_SIZE
    ids = svg_ids(comparison / "passk_gsm8k_curves.svg")
    assert sorted(i for i in ids if i.startswith(("curve-", "band-"))) == ["band-0", "band-1", "curve-0", "curve-1"]
    bars = [i for i in svg_ids(comparison / "passk_gsm8k_accuracy_hist.svg") if i.startswith("hist-")]
    assert sorted({b.rsplit("-", 1)[0] for b in bars}) == ["hist-0", "hist-1"] and len(bars) == 24
    ids = svg_ids(comparison / "passk_gsm8k_difference.svg")
    assert sorted(i for i in ids if i.startswith(("diff-", "band-"))) == ["band-0", "diff-0"]
    ids = svg_ids(comparison / "passk_gsm8k_models.svg")
    assert sorted(i for i in ids if i.startswith("bar-")) == ["bar-0-0", "bar-0-1", "bar-1-0", "bar-1-1"]
    assert "base-line" in ids
    for name in ("curves", "accuracy_hist", "difference", "models"):
        assert f"(passk_gsm8k_{name}.png)" in (comparison / "summary.md").read_text()


def mcnemar_p(only_base: int, only_other: int) -> float:
    """Exact two-sided: outcomes of Binomial(m, 1/2) no likelier than the one observed."""
    m = only_base + only_other
    return float(Fraction(sum(comb(m, i) for i in range(m + 1) if comb(m, i) <= comb(m, only_base)), 2**m))


@pytest.mark.parametrize("benchmark", [*TASKS, "passk_math"])
def test_compare_paired_statistics(comparison, benchmark):
    problems = problems_of(benchmark)
    base = exact_curve([b for _, b, _ in problems])
    rl = exact_curve([r for _, _, r in problems])
    result = json.loads((comparison / "compare.json").read_text())["benchmarks"][benchmark]
    versus = result["versus_base"]["scripted-rl"]
    assert versus["delta_se_k"] == N and versus["delta_se_name"] == f"ΔSE@{N}"  # n < 256: never the bare name
    paired = versus["paired"]
    assert paired["ks"] == list(range(1, N + 1)) and paired["confidence"] == 0.95
    assert paired["difference"] == pytest.approx([b - r for b, r in zip(base, rl)], abs=1e-12)
    assert all(lo - 1e-12 <= d <= hi + 1e-12 for lo, d, hi in zip(paired["low"], paired["difference"], paired["high"]))
    assert all(paired["difference"][k - 1] > 0 for k in paired["base_ahead"])
    assert all(paired["difference"][k - 1] < 0 for k in paired["other_ahead"])
    assert paired["crossover_k"] == versus["crossover_k"] == expected_crossover(base, rl)
    only_base = sum(1 for _, b, r in problems if b and not r)
    only_other = sum(1 for _, b, r in problems if r and not b)
    assert versus["mcnemar"] == {"only_base": only_base, "only_other": only_other,
                                 "p_value": pytest.approx(mcnemar_p(only_base, only_other), rel=1e-12)}


def test_compare_summary_has_the_paired_columns(comparison):
    summary = (comparison / "summary.md").read_text()
    section = summary.split("## passk_gsm8k")[1].split("## ")[0]
    assert "| ΔSE@16 = pass@16(base) − pass@1 (pts) |" in section and "McNemar p" in section
    assert "| k | scripted-base − scripted-rl (pts) [95% CI] | ahead |" in section
    rows = [line for line in section.splitlines() if re.match(r"\| (1|2|4|8|16) \| [+-]\d", line)]
    assert [int(row.split("|")[1]) for row in rows] == [1, 2, 4, 8, 16]
    assert "scripted-rl vs scripted-base, paired: scripted-base ahead with 95% confidence at k = " in section


def test_compare_writes_the_model_table(comparison):
    with (comparison / "table.csv").open() as f:
        rows = {(r["model"], r["group"], r["column"]): r["value"] for r in csv.DictReader(f)}
    for benchmark in [*TASKS, "passk_math"]:
        group = f"{benchmark} (n = {N})"
        problems = problems_of(benchmark)
        base = exact_curve([b for _, b, _ in problems])
        rl = exact_curve([r for _, _, r in problems])
        for label, curve in (("scripted-base", base), ("scripted-rl", rl)):
            assert float(rows[(label, group, "pass@1")]) == pytest.approx(curve[0], abs=1e-12)
            assert float(rows[(label, group, f"pass@{N}")]) == pytest.approx(curve[-1], abs=1e-12)
        assert rows[("scripted-base", group, f"ΔSE@{N}")] == ""
        assert float(rows[("scripted-rl", group, f"ΔSE@{N}")]) == pytest.approx(base[-1] - rl[0], abs=1e-12)
    tex = (comparison / "table.tex").read_text()
    assert r"\begin{tabular}{l rrr rrr rrr rrr rrr rrr}" in tex
    assert r"\multicolumn{3}{c}{passk\_gsm8k (n = 16)}" in tex
    assert [line.split(" & ")[0] for line in tex.splitlines()[10:12]] == ["scripted-base", "scripted-rl"]
    assert "| scripted-rl |" in (comparison / "table.md").read_text()


@pytest.fixture(scope="module")
def with_subjects(runs, tmp_path_factory) -> dict[str, Path]:
    """Both runs with their MATH500 documents carrying the mirror's ``subject`` and ``level``
    (added here where the math adapter left them out of the documents)."""
    mirror = (DATA / "math500" / "test.jsonl").read_text().splitlines()
    rows = {row["unique_id"]: row for row in map(json.loads, mirror)}
    out = {}
    for profile, run in runs.items():
        out[profile] = tmp_path_factory.mktemp(f"subjects_{profile}")
        shutil.copytree(run, out[profile], dirs_exist_ok=True)
        path = samples_file(out[profile], "passk_math500")
        lines = [json.loads(x) for x in path.read_text().splitlines()]
        for line in lines:
            row = rows[line["doc"]["id"]]
            line["doc"].setdefault("subject", row["subject"])
            line["doc"].setdefault("level", row["level"])
        path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return out


def subsets_expected(field: str, prefix: str = "") -> dict[str, list[tuple[str, int, int]]]:
    """value -> [(id, base c, rl c)] from the fixture's rates and fields."""
    rows = [json.loads(x) for x in (DATA / "math500" / "test.jsonl").read_text().splitlines()]
    out: dict[str, list[tuple[str, int, int]]] = {}
    for row, (pid, b, r) in zip(rows, fixture_problems("passk_math500")):
        out.setdefault(str(row[field]), []).append((prefix + pid, b, r))
    return out


def mean_pass(counts: list[int], k: int) -> float:
    return float(sum(1 - Fraction(comb(N - c, k), comb(N, k)) for c in counts) / len(counts))


@pytest.mark.parametrize("benchmark, prefix", [("passk_math500", ""), ("passk_math", "passk_math500/")])
def test_report_and_compare_break_math500_down_by_subject_and_level(with_subjects, tmp_path, benchmark, prefix):
    ok(tool("compare", with_subjects["base"], with_subjects["rl"], "--out", tmp_path / "cmp", "--no-plots",
            "--bootstrap", "20"))
    ok(tool("report", with_subjects["base"], "--out", tmp_path / "report", "--no-plots", "--bootstrap", "20"))
    compared = json.loads((tmp_path / "cmp" / "compare.json").read_text())["benchmarks"][benchmark]["subsets"]
    reported = json.loads((tmp_path / "report" / f"{benchmark}_curve.json").read_text())["subsets"]
    assert list(compared) == list(reported) == ["subject", "level"]
    for field, values in (("subject", ["Algebra", "Geometry", "Precalculus"]), ("level", ["1", "2", "5"])):
        expected = subsets_expected(field, prefix)
        assert [row["value"] for row in compared[field]] == values and sorted(expected) == sorted(values)
        for row, report_row in zip(compared[field], reported[field]):
            group = expected[row["value"]]
            base, rl = [b for _, b, _ in group], [r for _, _, r in group]
            assert row["problems"] == report_row["problems"] == len(group)
            for label, counts in (("scripted-base", base), ("scripted-rl", rl)):
                assert row["models"][label] == pytest.approx({"pass@1": mean_pass(counts, 1),
                                                              f"pass@{N}": mean_pass(counts, N)})
            assert row["versus_base"]["scripted-rl"] == {"only_base": [i for i, b, r in group if b and not r],
                                                         "only_other": [i for i, b, r in group if r and not b]}
            assert report_row["pass@1"] == pytest.approx(mean_pass(base, 1))
            assert report_row["never_solved"] == pytest.approx(sum(b == 0 for b in base) / len(base))
    assert "By subject:" in (tmp_path / "cmp" / "summary.md").read_text()
    assert "By level:" in (tmp_path / "report" / "summary.md").read_text()


@pytest.fixture(scope="module")
def rescored(runs, tmp_path_factory) -> dict[str, Path]:
    """The base run graded again in every grading mode."""
    out = {}
    for mode in GRADING_MODES:
        out[mode] = tmp_path_factory.mktemp(f"rescored_{mode}")
        ok(tool("rescore", runs["base"], "--grader", mode, "--out", out[mode]))
    return out


def test_rescore_with_the_runs_grader_reproduces_its_results(runs, rescored):
    (original,) = runs["base"].glob("*/results_*.json")
    (again,) = rescored["math_verify"].glob("scripted-base/results_*.json")
    before, after = json.loads(original.read_text()), json.loads(again.read_text())
    for section in ("results", "groups"):
        assert before[section].keys() == after[section].keys()
        for name, metrics in before[section].items():
            numbers = {k: v for k, v in metrics.items() if isinstance(v, float)}
            assert numbers, name
            assert {k: after[section][name][k] for k in numbers} == pytest.approx(numbers, abs=1e-12)
    for task in TASKS:
        lines = [json.loads(x) for x in samples_file(rescored["math_verify"], task).read_text().splitlines()]
        old = [json.loads(x) for x in samples_file(runs["base"], task).read_text().splitlines()]
        assert [x["passk"] for x in lines] == [x["passk"] for x in old]
    assert after["passk_rescored"]["grader"] == "math_verify"


@pytest.mark.parametrize("mode", GRADING_MODES)
def test_every_grading_mode_gives_a_run_report_reads(rescored, mode, tmp_path):
    ok(tool("report", rescored[mode], "--out", tmp_path, "--no-plots", "--bootstrap", "10"))
    report = json.loads((tmp_path / "passk_math_curve.json").read_text())
    assert report["model"] == f"scripted-base [{mode}]"
    # The scripted answers (\boxed{x}, "The answer is x", \dfrac{2x}{2}) are right in any mode.
    assert [p["pass_at_k"] for p in report["curve"]] == pytest.approx(exact_curve([b for _, b, _ in group_problems()]))
    (results,) = rescored[mode].glob("*/results_*.json")
    assert json.loads(results.read_text())["configs"]["passk_gsm8k"]["metadata"]["grader"] == mode


def test_rescore_grades_the_saved_responses_again(runs, tmp_path):
    run = tmp_path / "tampered"
    shutil.copytree(runs["base"], run)
    path = samples_file(run, "passk_gsm8k")
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    reasons = ["length"] + ["stop"] * (N - 1)  # as --model vllm_n records them
    for line in lines:
        line["passk"].update(c=0, verdicts=[False] * N, grading_failed=True, finish_reasons=reasons, truncated=1)
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    ok(tool("rescore", run, "--grader", "math_verify", "--out", tmp_path / "fixed"))
    ok(tool("report", tmp_path / "fixed", "--out", tmp_path / "report", "--no-plots", "--bootstrap", "10"))
    report = json.loads((tmp_path / "report" / "passk_gsm8k_curve.json").read_text())
    expected = exact_curve([b for _, b, _ in fixture_problems("passk_gsm8k")])
    assert [p["pass_at_k"] for p in report["curve"]] == pytest.approx(expected, abs=1e-12)
    for line in map(json.loads, samples_file(tmp_path / "fixed", "passk_gsm8k").read_text().splitlines()):
        assert line["passk"]["finish_reasons"] == reasons and line["passk"]["truncated"] == 1
        assert "grading_failed" not in line["passk"]


def test_rescore_refuses_to_overwrite_a_run(runs):
    proc = tool("rescore", runs["base"], "--grader", "math_verify", "--out", runs["base"])
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "already holds a run" in proc.stderr


def test_compare_three_runs_labels_and_series(runs, rescored, tmp_path):
    ok(tool("compare", runs["base"], runs["rl"], rescored["paper"], "--out", tmp_path))
    result = json.loads((tmp_path / "compare.json").read_text())
    assert list(result["benchmarks"]["passk_math"]["versus_base"]) == ["scripted-rl", "scripted-base [paper]"]
    ids = svg_ids(tmp_path / "passk_math_curves.svg")
    assert sorted(i for i in ids if i.startswith("curve-")) == ["curve-0", "curve-1", "curve-2"]


def test_interrupted_run_reports_what_is_complete(runs, tmp_path):
    run = tmp_path / "interrupted"
    shutil.copytree(runs["base"], run)
    gsm8k = samples_file(run, "passk_gsm8k")
    text = gsm8k.read_text()
    cut = [m.end() for m in re.finditer("\n", text)][4] + 200  # 5 whole lines, then part of the 6th
    gsm8k.write_text(text[:cut])
    samples_file(run, "passk_amc23").unlink()
    proc = ok(tool("report", run, "--out", tmp_path / "report", "--no-plots", "--bootstrap", "10"))
    assert "passk_gsm8k: incomplete samples file, 5 of 9 problems" in proc.stderr
    assert "passk_amc23: no samples file" in proc.stderr
    assert "passk_math: no pooled curve, passk_amc23 could not be read" in proc.stderr
    report = json.loads((tmp_path / "report" / "passk_gsm8k_curve.json").read_text())
    assert report["problems"] == 5 and report["missing_problems"] == 4
    expected = exact_curve([b for _, b, _ in fixture_problems("passk_gsm8k")[:5]])
    assert [p["pass_at_k"] for p in report["curve"]] == pytest.approx(expected, abs=1e-12)
    assert not (tmp_path / "report" / "passk_amc23_curve.json").exists()
    assert (tmp_path / "report" / "passk_math500_curve.json").exists()
    assert "(4 missing: the run is incomplete)" in (tmp_path / "report" / "summary.md").read_text()
    # compare will not set a partial run against a complete one
    proc = tool("compare", runs["base"], run, "--out", tmp_path / "cmp", "--no-plots", "--bootstrap", "10")
    assert proc.returncode == 2
    assert "passk_gsm8k: scripted-base #2 has 5 of the 9 problems (its run is incomplete)" in proc.stderr


def test_corrupt_line_is_one_error_and_the_rest_is_written(runs, tmp_path):
    run = tmp_path / "corrupt"
    shutil.copytree(runs["base"], run)
    path = samples_file(run, "passk_math500")
    lines = path.read_text().splitlines()
    lines[2] = lines[2][:50]
    path.write_text("\n".join(lines) + "\n")
    proc = tool("report", run, "--out", tmp_path / "report", "--no-plots", "--bootstrap", "10")
    assert proc.returncode == 2
    (error,) = [line for line in proc.stderr.splitlines() if "error" in line]
    assert error.startswith("lm-eval-passk: error: ") and f"{path.name}:3 is not valid JSON" in error
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "report" / "passk_gsm8k_curve.json").exists()  # what could be computed was kept


def test_compare_refuses_different_n_and_keeps_the_rest(runs, tmp_path):
    run = tmp_path / "n8"
    shutil.copytree(runs["rl"], run)
    path = samples_file(run, "passk_math500")
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    for line in lines:
        record = line["passk"]
        record.update(n=8, verdicts=record["verdicts"][:8], answers=record["answers"][:8])
        record["c"] = sum(record["verdicts"])
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    proc = tool("compare", runs["base"], run, "--out", tmp_path / "cmp", "--no-plots", "--bootstrap", "10")
    assert proc.returncode == 2
    assert "passk_math500: scripted-base has n=16 samples per problem but scripted-rl has n=8" in proc.stderr
    assert proc.stderr.count("lm-eval-passk: error:") == 1 and "Traceback" not in proc.stderr
    benchmarks = json.loads((tmp_path / "cmp" / "compare.json").read_text())["benchmarks"]
    assert "passk_gsm8k" in benchmarks and "passk_math500" not in benchmarks


def test_compare_refuses_different_problem_sets(runs, tmp_path):
    run = tmp_path / "other_problems"
    shutil.copytree(runs["rl"], run)
    path = samples_file(run, "passk_aime24")
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    lines[0]["doc"]["id"] = "999"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    proc = tool("compare", runs["base"], run, "--out", tmp_path / "cmp", "--no-plots", "--bootstrap", "10")
    assert proc.returncode == 2
    assert ("passk_aime24: different problem sets (1 problems only in scripted-base, 1 only in scripted-rl)"
            in proc.stderr)


@pytest.mark.parametrize("command", [["report", "/nonexistent/run"], ["compare", "/nonexistent/a", "/nonexistent/b"],
                                     ["rescore", "/nonexistent/run", "--grader", "math_verify", "--out", "x"],
                                     ["rescore", ".", "--grader", "no_such_mode", "--out", "x"]])
def test_usage_errors_are_one_line(command, tmp_path):
    proc = tool(*command, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("lm-eval-passk: error: ") and proc.stderr.count("\n") == 1


def test_tasks_path_still_works():
    proc = ok(tool("tasks-path"))
    assert (Path(proc.stdout.strip()) / "passk_gsm8k" / "passk_gsm8k.yaml").is_file()


def test_trajectory_reads_steps_from_folder_names(runs, rescored, tmp_path):
    steps = {"step_0": runs["base"], "ckpt-100": runs["rl"], "global_step_200": rescored["paper"]}
    for name, run in steps.items():
        shutil.copytree(run, tmp_path / name)
    out = tmp_path / "trajectory"
    ok(tool("trajectory", *(tmp_path / name for name in ("global_step_200", "step_0", "ckpt-100")), "--k", "4",
            "--out", out, "--bootstrap", "200"))
    result = json.loads((out / "trajectory.json").read_text())
    for benchmark in [*TASKS, "passk_math"]:
        problems = problems_of(benchmark)
        curves = {0: exact_curve([b for _, b, _ in problems]), 100: exact_curve([r for _, _, r in problems])}
        curves[200] = curves[0]  # the base run graded again in paper mode: the same verdicts
        points = result["benchmarks"][benchmark]["points"]
        assert [p["step"] for p in points] == [0, 100, 200] and result["benchmarks"][benchmark]["k"] == [1, 4, N]
        for point in points:
            for k in (1, 4, N):
                value = point["pass_at_k"][str(k)]
                assert value["value"] == pytest.approx(curves[point["step"]][k - 1], abs=1e-12)
                assert value["low"] - 1e-12 <= value["value"] <= value["high"] + 1e-12
    ids = svg_ids(out / "passk_gsm8k_trajectory.svg")
    assert sorted(i for i in ids if i.startswith(("step-", "band-"))) == [
        "band-0", "band-1", "band-2", "step-0", "step-1", "step-2"]
    with Image.open(out / "passk_gsm8k_trajectory.png") as png:
        assert png.size == PNG_SIZE
    table = (out / "table.md").read_text()
    assert "| 100 (scripted-rl) |" in table and "| 200 (scripted-base [paper]) |" in table
    assert r"\toprule" in (out / "table.tex").read_text() and (out / "table.csv").is_file()


@pytest.mark.parametrize("args, message", [
    ([], "no training step in the names of"),
    (["--steps", "5,5"], "two runs have the same step"),
    (["--steps", "1"], "--steps has 1 values for 2 runs"),
    (["--steps", "0,x"], "--steps takes comma-separated numbers"),
])
def test_trajectory_usage_errors_are_one_line(runs, tmp_path, args, message):
    proc = tool("trajectory", runs["base"], runs["rl"], *args, "--out", tmp_path / "t", "--no-plots")
    assert proc.returncode == 2
    assert proc.stderr.startswith("lm-eval-passk: error: ") and proc.stderr.count("\n") == 1 and message in proc.stderr


def test_trajectory_leaves_an_incomplete_step_out_and_writes_the_rest(runs, tmp_path):
    run = tmp_path / "interrupted"
    shutil.copytree(runs["rl"], run)
    gsm8k = samples_file(run, "passk_gsm8k")
    gsm8k.write_text("".join(gsm8k.read_text().splitlines(keepends=True)[:4]))
    proc = tool("trajectory", runs["base"], run, "--steps", "0,50", "--out", tmp_path / "t", "--no-plots",
                "--bootstrap", "20")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "passk_gsm8k: incomplete samples file, 4 of 9 problems" in proc.stderr
    assert proc.stderr.count("lm-eval-passk: error:") == 1
    assert "scripted-rl has 4 of the 9 problems (its run is incomplete)" in proc.stderr
    result = json.loads((tmp_path / "t" / "trajectory.json").read_text())["benchmarks"]
    assert [p["step"] for p in result["passk_gsm8k"]["points"]] == [0]
    assert [p["step"] for p in result["passk_math500"]["points"]] == [0, 50]
