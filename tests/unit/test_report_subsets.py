"""Per-subset breakdown: fields read from the samples lines' documents, pass@k and
solvable sets per subject / level / difficulty / platform / subfield, worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import write_jsonl  # noqa: I001
from lm_eval_passk.report import load_run
from lm_eval_passk.report.runs import Problem
from lm_eval_passk.report.subsets import compare_subsets, run_subsets, split_by_field

DATE = "2026-01-02T03-04-05.000006"


def line(doc_id: int, c: int, n: int, **fields) -> dict:
    verdicts = [i < c for i in range(n)]
    return {"doc_id": doc_id, "doc": {"id": f"q{doc_id}", "problem": "?", "answer": "1", **fields},
            "doc_hash": f"h{doc_id}", "resps": [["x"] * n],
            "passk": {"n": n, "c": c, "verdicts": verdicts, "answers": ["1"] * n}}


def write_run(folder: Path, lines: list[dict], task: str = "passk_math500") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    results = {"results": {task: {"alias": task}}, "n-samples": {task: {"effective": len(lines)}},
               "model_name": "org/model", "config": {"model": "hf", "model_args": "pretrained=org/model"}}
    (folder / f"results_{DATE}.json").write_text(json.dumps(results))
    write_jsonl(folder / f"samples_{task}_{DATE}.jsonl", lines)
    return folder


def problem(pid: str, c: int, n: int = 4, **fields) -> Problem:
    verdicts = tuple(i < c for i in range(n))
    return Problem(pid, n, c, verdicts, ("1",) * n, None, tuple((k, str(v)) for k, v in fields.items()))


def test_fields_are_read_from_each_documents_keys(tmp_path):
    run = load_run(write_run(tmp_path, [
        line(0, 1, 4, subject="Algebra", level=3, solution="..."),
        line(1, 0, 4, difficulty="hard", platform="leetcode"),
        line(2, 2, 4, subfield="Geometry", level=None),
        line(3, 4, 4),
    ]))
    got = [p.subsets for p in run.benchmarks["passk_math500"].problems]
    assert got == [(("subject", "Algebra"), ("level", "3")), (("difficulty", "hard"), ("platform", "leetcode")),
                   (("subfield", "Geometry"),), ()]


def test_run_subsets_by_hand():
    problems = [problem("a", 2, subject="Algebra", level=2), problem("b", 4, subject="Algebra", level=10),
                problem("c", 0, subject="Geometry", level=2), problem("d", 1)]
    subsets = run_subsets(problems, 4)
    assert list(subsets) == ["subject", "level"]
    # pass@1 = c/n; pass@4 at n = 4 is 1 if solved at all
    assert subsets["subject"] == [
        {"value": "Algebra", "problems": 2, "pass@1": pytest.approx(0.75), "pass@4": 1.0, "never_solved": 0.0},
        {"value": "Geometry", "problems": 1, "pass@1": 0.0, "pass@4": 0.0, "never_solved": 1.0},
    ]
    # levels sort as numbers: 2 before 10
    assert [(r["value"], r["problems"], r["pass@1"]) for r in subsets["level"]] == [("2", 2, 0.25), ("10", 1, 1.0)]


def test_pass_at_k_inside_a_subset_is_the_exact_mean():
    problems = [problem("a", 1, n=8, difficulty="easy"), problem("b", 3, n=8, difficulty="easy")]
    (row,) = run_subsets(problems, 8)["difficulty"]
    assert row["pass@8"] == 1.0 and row["pass@1"] == pytest.approx((1 / 8 + 3 / 8) / 2)
    subsets = run_subsets(problems, 2)["difficulty"]
    # pass@2 = 1 - C(n-c, 2) / C(n, 2): 1 - 21/28 and 1 - 10/28
    assert subsets[0]["pass@2"] == pytest.approx(((1 - 21 / 28) + (1 - 10 / 28)) / 2)


def test_compare_subsets_says_where_the_other_model_loses_problems():
    base = [problem("a", 1, subject="Algebra"), problem("b", 0, subject="Algebra"),
            problem("c", 2, subject="Geometry"), problem("d", 3, subject="Geometry")]
    other = [problem("d", 4, subject="Geometry"), problem("c", 0, subject="Geometry"),
             problem("b", 2, subject="Algebra"), problem("a", 0, subject="Algebra")]
    subsets = compare_subsets(["base", "rl"], [base, other], 4)
    algebra, geometry = subsets["subject"]
    assert algebra["versus_base"]["rl"] == {"only_base": ["a"], "only_other": ["b"]}
    assert geometry["versus_base"]["rl"] == {"only_base": ["c"], "only_other": []}
    assert geometry["models"]["rl"]["pass@1"] == pytest.approx(0.5)  # d: 4/4, c: 0/4
    assert geometry["models"]["base"]["pass@1"] == pytest.approx((2 / 4 + 3 / 4) / 2)


def test_problems_without_the_field_are_in_no_subset():
    split = split_by_field([problem("a", 1, platform="atcoder"), problem("b", 1)])
    assert {field: {v: [p.id for p in ps] for v, ps in groups.items()} for field, groups in split.items()} == {
        "platform": {"atcoder": ["a"]}}
    assert split_by_field([problem("a", 1)]) == {}
