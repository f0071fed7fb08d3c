"""The MathVista tasks through the real ``lm_eval`` CLI with a scripted multimodal model
(tests/scripted_vision_model.py) that reads the bar count from the image it is handed.

Expected values come from the fixture (tests/fixtures/vision/testmini.json): its solve
rates, its bar counts, and the exact formula 1 - C(n-c, k) / C(n, k).
"""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest

from conftest import read_run, run_lm_eval  # noqa: I001
from scripted_vision_model import FIXTURE, SOLVE_RATE, make_mirror

PROBLEMS = json.loads(FIXTURE.read_text())
N, KS = 8, [1, 2, 8]
FREE_FORM = [pid for pid, p in PROBLEMS.items() if p["question_type"] == "free_form"]


def rate(pid: str) -> int:
    return int(SOLVE_RATE.search(PROBLEMS[pid]["question"]).group(1))


def run_scripted_vision(args: list[str], mirror: Path, check: bool = True) -> subprocess.CompletedProcess:
    return run_lm_eval(args, env={"LM_EVAL_PASSK_DATA_DIR": str(mirror)}, check=check)


@pytest.fixture(scope="module")
def vision_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("vision_run")
    out = tmp / "out"
    run_scripted_vision(
        ["--model", "passk-scripted-vision", "--tasks", "passk_vision,passk_mathvista_all",
         "--metadata", json.dumps({"n": N, "k": KS}), "--apply_chat_template",
         "--output_path", str(out), "--log_samples"],
        make_mirror(tmp / "mirror"),
    )
    return read_run(out)


def expected_pass_at_k(pids: list[str], k: int) -> float:
    exact = [1 - Fraction(comb(N - rate(p), k), comb(N, k)) for p in pids]
    return float(sum(exact) / len(exact))


@pytest.mark.parametrize(("task", "pids"), [("passk_mathvista", FREE_FORM), ("passk_mathvista_all", list(PROBLEMS))])
def test_pass_at_k_of_each_task(vision_run, task, pids):
    results, _ = vision_run
    reported = results["results"][task]
    for k in KS:
        assert reported[f"pass@{k},passk"] == pytest.approx(expected_pass_at_k(pids, k), rel=1e-12)
    assert reported["passk,passk"] == pytest.approx(sum(rate(p) for p in pids) / (N * len(pids)))
    assert results["groups"]["passk_vision"]["pass@1,passk"] == pytest.approx(expected_pass_at_k(FREE_FORM, 1))


# What a correct copy's answer is recorded as: the normalised value or choice text.
GOLD_AS_RECORDED = {"1": "3", "2": "5", "3": "0.75", "4": "[4, 8]", "5": "6", "6": "2"}
# Wrong copies j answer a wrong value when j % 3 is 0 or 2, nothing when j % 3 == 1;
# a list problem's wrong values are bare numbers, no list, so no answer either.
WRONG_AS_RECORDED = {"1": ("4", "5"), "2": ("6", "7"), "3": ("4", "5"), "4": (None, None), "5": ("7", "9"), "6": ("3", "1")}


def test_samples_carry_the_extracted_answers(vision_run):
    _, samples = vision_run
    for task, lines in samples.items():
        assert [line["doc"]["id"] for line in lines] == (FREE_FORM if task == "passk_mathvista" else list(PROBLEMS))
        for line in lines:
            pid, record = line["doc"]["id"], line["passk"]
            assert record["verdicts"] == [j % 8 < rate(pid) for j in range(N)]
            wrong = WRONG_AS_RECORDED[pid]
            expected = [GOLD_AS_RECORDED[pid] if j % 8 < rate(pid) else (None if j % 3 == 1 else wrong[j % 3 // 2])
                        for j in range(N)]
            assert record["answers"] == expected
            prompt = line["arguments"]["gen_args_0"]["arg_0"]
            assert prompt.count("<image>") == 1 and PROBLEMS[pid]["question"] in prompt
            assert len(line["arguments"]["gen_args_0"]["arg_2"]["visual"]) == 1  # the image, logged as its hash


def test_majority_vote_and_missing_answers(vision_run):
    results, samples = vision_run
    for task, lines in samples.items():
        majority, missing = [], []
        for line in lines:
            answers = line["passk"]["answers"]
            right = rate(line["doc"]["id"])
            wrong_votes = [answers.count(a) for a in set(answers) if a is not None and a != GOLD_AS_RECORDED[line["doc"]["id"]]]
            assert right != max(wrong_votes, default=-1)  # no ties in this fixture
            majority.append(right > max(wrong_votes, default=0))
            missing.append(answers.count(None) / N)
        assert results["results"][task][f"maj@{N},passk"] == pytest.approx(sum(majority) / len(majority))
        assert results["results"][task]["no_answer,passk"] == pytest.approx(sum(missing) / len(missing))


def test_mirror_without_images_is_one_clear_line(tmp_path):
    proc = run_scripted_vision(["--model", "passk-scripted-vision", "--tasks", "passk_mathvista"],
                               make_mirror(tmp_path, images=False), check=False)
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and "6 of 6 MathVista images are missing" in errors[0], proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
