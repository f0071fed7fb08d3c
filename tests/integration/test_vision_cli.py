"""The MathVista and MathVision tasks through the real ``lm_eval`` CLI with a scripted
multimodal model (tests/scripted_vision_model.py) that reads the bar count from the image
it is handed: from a mirror, alone and in the ``passk_vision`` group, and MathVision from a
folder laid out as its Hub repository (offline).

Expected values come from the fixtures (tests/fixtures/vision/testmini.json,
mathvision_testmini.jsonl): their solve rates, their bar counts, and the exact formula
1 - C(n-c, k) / C(n, k).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest

from conftest import RUN_LM_EVAL, read_run, run_lm_eval  # noqa: I001
from scripted_vision_model import (FIXTURE, SOLVE_RATE, draw_bars, make_mathvision_hub_copy, make_mirror,
                                   mathvision_problems)

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
        ["--model", "passk-scripted-vision", "--tasks", "passk_vision,passk_mathvista_all,passk_mathvision_all",
         "--metadata", json.dumps({"n": N, "k": KS}), "--apply_chat_template",
         "--output_path", str(out), "--log_samples"],
        make_mirror(tmp / "mirror"),
    )
    return read_run(out)


def mathvista_samples(samples: dict) -> dict:
    return {task: lines for task, lines in samples.items() if task.startswith("passk_mathvista")}


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


# What a correct copy's answer is recorded as: the normalised value or choice text.
GOLD_AS_RECORDED = {"1": "3", "2": "5", "3": "0.75", "4": "[4, 8]", "5": "6", "6": "2"}
# Wrong copies j answer a wrong value when j % 3 is 0 or 2, nothing when j % 3 == 1;
# a list problem's wrong values are bare numbers, no list, so no answer either.
WRONG_AS_RECORDED = {"1": ("4", "5"), "2": ("6", "7"), "3": ("4", "5"), "4": (None, None), "5": ("7", "9"), "6": ("3", "1")}


def test_samples_carry_the_extracted_answers(vision_run):
    _, samples = vision_run
    for task, lines in mathvista_samples(samples).items():
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
    for task, lines in mathvista_samples(samples).items():
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


# MathVision (tests/fixtures/vision/mathvision_testmini.jsonl)
MV_PROBLEMS = {p["id"]: p for p in mathvision_problems()}
MV_FREE_FORM = [pid for pid, p in MV_PROBLEMS.items() if not p["options"]]
# What copy j of a prompt answers, as the samples file records it: a correct copy in the
# style j % 3 (for id 7: the exact value, the same value unsimplified, a decimal of it), a
# wrong one a wrong value (j % 3 == 0 or 2) or nothing (j % 3 == 1). Multiple choice is
# recorded as the option's letter.
MV_CORRECT_AS_RECORDED = {"4": ("3",) * 3, "7": ("2\\sqrt{3}", "\\sqrt{12}", "3.46"), "10": ("0.75",) * 3,
                          "12": ("B",) * 3, "15": ("D",) * 3, "20": ("5",) * 3}
MV_WRONG_AS_RECORDED = {"4": ("4", "5"), "7": ("13", "14"), "10": ("4", "5"), "12": ("C", "D"), "15": ("E", "A"),
                        "20": ("6", "7")}


def mv_rate(pid: str) -> int:
    return int(SOLVE_RATE.search(MV_PROBLEMS[pid]["question"]).group(1))


def pass_at_k(rates: list[int], n: int, k: int) -> float:
    """Mean of 1 - C(n-c, k) / C(n, k), copy j of a problem being right when j % 8 < its rate."""
    exact = [1 - Fraction(comb(n - c, k), comb(n, k)) for c in (sum(j % 8 < r for j in range(n)) for r in rates)]
    return float(sum(exact) / len(exact))


def mv_answers(pid: str, n: int) -> list:
    right, wrong = MV_CORRECT_AS_RECORDED[pid], MV_WRONG_AS_RECORDED[pid]
    return [right[j % 3] if j % 8 < mv_rate(pid) else (None if j % 3 == 1 else wrong[j % 3 // 2]) for j in range(n)]


@pytest.mark.parametrize(("task", "pids"), [("passk_mathvision", MV_FREE_FORM), ("passk_mathvision_all", list(MV_PROBLEMS))])
def test_mathvision_pass_at_k(vision_run, task, pids):
    results, samples = vision_run
    reported = results["results"][task]
    for k in KS:
        assert reported[f"pass@{k},passk"] == pytest.approx(pass_at_k([mv_rate(p) for p in pids], N, k), rel=1e-12)
    assert reported["passk,passk"] == pytest.approx(sum(mv_rate(p) for p in pids) / (N * len(pids)))
    assert [line["doc"]["id"] for line in samples[task]] == pids
    for line in samples[task]:
        pid = line["doc"]["id"]
        assert line["passk"]["answers"] == mv_answers(pid, N)
        assert line["passk"]["verdicts"] == [j % 8 < mv_rate(pid) for j in range(N)]


def test_the_vision_group_pools_mathvista_and_mathvision(vision_run):
    results, _ = vision_run
    assert results["group_subtasks"]["passk_vision"] == ["passk_mathvista", "passk_mathvision"]
    rates = [rate(p) for p in FREE_FORM] + [mv_rate(p) for p in MV_FREE_FORM]
    for k in KS:
        assert results["groups"]["passk_vision"][f"pass@{k},passk"] == pytest.approx(pass_at_k(rates, N, k), rel=1e-12)


def test_mathvision_image_sits_where_the_question_shows_it(vision_run):
    _, samples = vision_run
    for line in samples["passk_mathvision_all"]:
        question = MV_PROBLEMS[line["doc"]["id"]]["question"]
        prompt = line["arguments"]["gen_args_0"]["arg_0"]
        expected = question.replace("<image1>", "<image>", 1) if "<image1>" in question else "<image>\n" + question
        assert prompt.count("<image>") == 1 and expected in prompt
        assert len(line["arguments"]["gen_args_0"]["arg_2"]["visual"]) == 1


def test_mathvision_majority_vote_and_missing_answers(vision_run):
    """Correct answers vote as one (id 7's three forms of 2√3 too), wrong ones by their text."""
    results, _ = vision_run
    majority, missing = [], []
    for pid in MV_PROBLEMS:
        answers, right = mv_answers(pid, N), mv_rate(pid)  # copies 0 .. right-1 are the correct ones
        wrong_votes = [answers[right:].count(a) for a in set(answers[right:]) - {None}]
        assert right != max(wrong_votes, default=-1)  # no ties in this fixture
        majority.append(right > max(wrong_votes, default=0))
        missing.append(answers.count(None) / N)
    reported = results["results"]["passk_mathvision_all"]
    assert reported[f"maj@{N},passk"] == pytest.approx(sum(majority) / len(majority))
    assert reported["no_answer,passk"] == pytest.approx(sum(missing) / len(missing))


HUB_RUNNER = """
import runpy, sys
from lm_eval_passk.vision import mathvision_data
mathvision_data.HUB_PATH = sys.argv.pop(1)  # the folder laid out as MathLLMs/MathVision
sys.argv[0] = {runner!r}
runpy.run_path({runner!r}, run_name="__main__")
"""


def test_mathvision_from_a_folder_laid_out_as_the_hub_repository(tmp_path):
    """No mirror: the task loads the Hub dataset's own files (``load_dataset`` on a copy of
    MathLLMs/MathVision's layout, offline), images from ``decoded_image``."""
    hub = make_mathvision_hub_copy(tmp_path / "hub", lambda pid: draw_bars(MV_PROBLEMS[pid]["bars"]))
    runner = tmp_path / "run_with_hub_copy.py"
    runner.write_text(HUB_RUNNER.format(runner=str(RUN_LM_EVAL)))
    n, ks = 4, [1, 4]
    env = {k: v for k, v in os.environ.items() if k != "LM_EVAL_PASSK_DATA_DIR"}
    proc = subprocess.run(
        [sys.executable, str(runner), str(hub), "--model", "passk-scripted-vision", "--tasks", "passk_mathvision",
         "--metadata", json.dumps({"n": n, "k": ks}), "--apply_chat_template", "--output_path", str(tmp_path / "out"),
         "--log_samples"],
        env={**env, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_DATASETS_CACHE": str(tmp_path / "cache")},
        capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    results, samples = read_run(tmp_path / "out")
    for k in ks:
        reported = results["results"]["passk_mathvision"][f"pass@{k},passk"]
        assert reported == pytest.approx(pass_at_k([mv_rate(p) for p in MV_FREE_FORM], n, k), rel=1e-12)
    assert [line["passk"]["answers"] for line in samples["passk_mathvision"]] == [mv_answers(p, n) for p in MV_FREE_FORM]
