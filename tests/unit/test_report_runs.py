"""Finding and reading run folders: where the files are, cut-off and corrupt samples
files, labels of the stock backends' runs. The folders are written here in the layout
of ``lm_eval --output_path OUT --log_samples`` (the real thing is in
tests/integration/test_report_cli.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_jsonl  # noqa: I001
from lm_eval_passk.report.runs import find_results_file, load_run, model_label
from lm_eval_passk.settings import PassKConfigError

DATE = "2026-01-02T03-04-05.000006"


def line(doc_id: int, verdicts: list[bool]) -> dict:
    return {"doc_id": doc_id, "doc": {"id": f"q{doc_id}", "problem": "?", "answer": "1"}, "doc_hash": f"h{doc_id}",
            "resps": [["x"] * len(verdicts)],
            "passk": {"n": len(verdicts), "c": sum(verdicts), "verdicts": verdicts, "answers": ["1"] * len(verdicts)}}


def write_run(folder: Path, tasks: dict[str, list[dict]], *, date: str = DATE, groups=None, model="org/model") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    results = {
        "results": {task: {"alias": task} for task in [*tasks, *(groups or {})]},
        "group_subtasks": groups or {},
        "n-samples": {task: {"original": len(lines), "effective": len(lines)} for task, lines in tasks.items()},
        "model_name": model,
        "config": {"model": "hf", "model_args": f"pretrained={model}"},
    }
    (folder / f"results_{date}.json").write_text(json.dumps(results))
    for task, lines in tasks.items():
        write_jsonl(folder / f"samples_{task}_{date}.jsonl", lines)
    return folder


def test_finds_the_results_file_from_the_output_path_or_the_model_folder(tmp_path):
    model_dir = write_run(tmp_path / "out" / "org__model", {"t": [line(0, [True])]})
    expected = model_dir / f"results_{DATE}.json"
    assert find_results_file(tmp_path / "out") == expected
    assert find_results_file(model_dir) == expected
    assert find_results_file(expected) == expected


def test_takes_the_newest_run_in_a_folder(tmp_path):
    write_run(tmp_path, {"t": [line(0, [True])]})
    write_run(tmp_path, {"t": [line(0, [False])]}, date="2026-02-01T00-00-00.000000")
    run = load_run(tmp_path)
    assert run.results_path.name == "results_2026-02-01T00-00-00.000000.json"
    assert run.benchmarks["t"].problems[0].c == 0


@pytest.mark.parametrize("setup, message", [
    (lambda root: None, "does not exist"),
    (lambda root: root.mkdir(), r"no results_\*\.json in"),
    (lambda root: [write_run(root / m, {"t": [line(0, [True])]}) for m in ("a", "b")], "holds runs of several models"),
])
def test_folders_that_are_not_one_run(tmp_path, setup, message):
    root = tmp_path / "run"
    setup(root)
    with pytest.raises(PassKConfigError, match=message):
        load_run(root)


def test_problems_and_a_pooled_group(tmp_path):
    write_run(tmp_path, {"a": [line(0, [True, False]), line(1, [False, False])], "b": [line(0, [True, True])]},
              groups={"g": ["a", "b"]})
    run = load_run(tmp_path)
    assert list(run.benchmarks) == ["a", "b", "g"]
    assert [(p.id, p.n, p.c) for p in run.benchmarks["a"].problems] == [("q0", 2, 1), ("q1", 2, 0)]
    assert [p.id for p in run.benchmarks["g"].problems] == ["a/q0", "a/q1", "b/q0"]
    assert run.benchmarks["g"].expected == 3 and run.notes == [] and run.errors == []


def test_a_cut_off_last_line_keeps_the_complete_problems(tmp_path):
    write_run(tmp_path, {"t": [line(i, [True, False]) for i in range(4)]})
    path = tmp_path / f"samples_t_{DATE}.jsonl"
    text = path.read_text()
    path.write_text(text[: len(text) - 30])  # the writer stopped inside the 4th line
    run = load_run(tmp_path)
    assert len(run.benchmarks["t"].problems) == 3 and run.benchmarks["t"].missing == 1
    assert run.notes == ["t: incomplete samples file, 3 of 4 problems (the run was interrupted); "
                         "reporting the 3 complete ones"]


def test_a_corrupt_line_is_an_error_and_the_other_tasks_are_read(tmp_path):
    write_run(tmp_path, {"bad": [line(i, [True]) for i in range(3)], "good": [line(0, [True])]})
    path = tmp_path / f"samples_bad_{DATE}.jsonl"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], "{oops", lines[2]]) + "\n")
    run = load_run(tmp_path)
    assert list(run.benchmarks) == ["good"]
    assert len(run.errors) == 1 and f"samples_bad_{DATE}.jsonl:2 is not valid JSON" in run.errors[0]


def test_counts_that_disagree_with_the_verdicts_are_an_error(tmp_path):
    bad = line(0, [True, False])
    bad["passk"]["c"] = 2
    write_run(tmp_path, {"t": [bad]})
    assert "malformed passk record" in load_run(tmp_path).errors[0]


def test_missing_empty_and_foreign_samples_files_are_notes(tmp_path):
    write_run(tmp_path, {"empty": [], "stock": [{"doc_id": 0, "doc": {}, "resps": [["x"]], "exact_match": 1.0}]})
    (tmp_path / f"results_{DATE}.json").write_text(json.dumps({
        **json.loads((tmp_path / f"results_{DATE}.json").read_text()),
        "results": {"empty": {}, "stock": {}, "gone": {}}}))
    run = load_run(tmp_path)
    assert run.benchmarks == {} and run.errors == []
    assert [note.split(":")[0] for note in run.notes] == ["empty", "stock", "gone"]
    assert "not a pass@k task" in run.notes[1] and "no samples file" in run.notes[2]


VLLM_ARGS = "pretrained=Qwen/Qwen2.5-7B,tensor_parallel_size=1"
GGUF_ARGS = "pretrained=/data/models,gguf_file=SmolLM2-135M.Q4_1.gguf"


@pytest.mark.parametrize("results, label", [
    ({"model_name": "Qwen/Qwen2.5-7B", "config": {"model": "vllm", "model_args": VLLM_ARGS}}, "Qwen/Qwen2.5-7B"),
    ({"model_name": "/models/step-400", "config": {"model": "hf", "model_args": {"pretrained": "/models/step-400"}}},
     "step-400"),
    ({"model_name": "/data/models", "config": {"model": "hf", "model_args": GGUF_ARGS}}, "SmolLM2-135M.Q4_1"),
    ({"model_name": "Qwen/Qwen2.5-7B", "config": {"model_args": ""}, "passk_rescored": {"grader": "paper"}},
     "Qwen/Qwen2.5-7B [paper]"),
])
def test_labels_of_stock_backend_runs(results, label):
    assert model_label(results) == label


def test_reports_import_neither_grading_nor_the_sandbox_nor_lm_eval():
    code = ("import sys, lm_eval_passk.report, lm_eval_passk.cli; "
            "print(sorted(m for m in sys.modules if m.startswith(('lm_eval_passk.math', "
            "'lm_eval_passk.code', 'lm_eval_passk.vision', 'lm_eval.'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
