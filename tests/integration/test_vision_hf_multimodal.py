"""The vision tasks (MathVista, and MathVision through the ``passk_vision`` group) through
lm-eval's real ``hf-multimodal`` backend (HFMultimodalLM): a tiny randomly initialised
LLaVA built offline (tests/tiny_vlm.py) reads the fixtures' bar-chart images through its
processor and samples n = 2 answers per problem.

Random weights answer at random, so what is checked is the plumbing: each problem's own
image and one image token reach the model, every problem gets n responses, the recorded
answers are what the grader makes of those responses, and the metrics follow from them
by the exact formula 1 - C(n-c, k) / C(n, k).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest
from PIL import Image

from conftest import read_run  # noqa: I001
from lm_eval_passk.vision.grading import grade_response
from lm_eval_passk.vision.mathvision_grading import grade_all
from lm_eval_passk.vision.problem import VisionProblem
from scripted_vision_model import make_mirror, mathvision_problems

pytest.importorskip("torch", reason='pip install ".[test]" for the hf-multimodal backend')
pytest.importorskip("transformers", reason='pip install ".[test]" for the hf-multimodal backend')
from tiny_vlm import IMAGE_TOKEN, build_tiny_llava  # noqa: E402

N, KS = 2, [1, 2]
TASKS = ("passk_mathvista", "passk_mathvista_all", "passk_mathvision")


@pytest.fixture(scope="module")
def vlm_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hf_multimodal")
    build_tiny_llava(tmp / "model")
    mirror, out = make_mirror(tmp / "mirror"), tmp / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "lm_eval", "--model", "hf-multimodal", "--model_args", f"pretrained={tmp / 'model'}",
         "--device", "cpu", "--tasks", "passk_vision,passk_mathvista_all", "--apply_chat_template",
         "--metadata", json.dumps({"n": N, "k": KS}), "--gen_kwargs", "max_gen_toks=8", "--batch_size", "2",
         "--output_path", str(out), "--log_samples"],
        env={**os.environ, "LM_EVAL_PASSK_DATA_DIR": str(mirror), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"},
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    results, samples = read_run(out)
    return results, samples, mirror


def regraded(task: str, line: dict) -> list[tuple]:
    """The grader's (answer, correct) for each raw response logged for one problem."""
    if task.startswith("passk_mathvision"):
        (records,) = grade_all([line["resps"][0]], [line["doc"]], workers=1).records
        return [(r["answer"], r["correct"]) for r in records]
    problem = VisionProblem.from_doc(line["doc"])
    return [(g.answer, g.correct) for g in (grade_response(response, problem) for response in line["resps"][0])]


def png_sha256(path: Path) -> str:
    """How lm-eval logs an image: the SHA-256 of its PNG encoding."""
    buffer = io.BytesIO()
    Image.open(path).save(buffer, format="PNG")
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def test_each_problem_gets_its_own_image_as_the_model_image_token(vlm_run):
    _, samples, mirror = vlm_run
    problems = json.loads((mirror / "mathvista" / "testmini.json").read_text())
    free_form = [pid for pid, p in problems.items() if p["question_type"] == "free_form"]
    assert [line["doc"]["id"] for line in samples["passk_mathvista"]] == free_form
    assert [line["doc"]["id"] for line in samples["passk_mathvista_all"]] == list(problems)
    mathvision = {p["id"]: p for p in mathvision_problems() if not p["options"]}
    assert [line["doc"]["id"] for line in samples["passk_mathvision"]] == list(mathvision)
    for task, lines in samples.items():
        for line in lines:
            pid, request = line["doc"]["id"], line["arguments"]["gen_args_0"]
            prompt, media = request["arg_0"], request["arg_2"]
            # the chat template turned the task's <image> into the model's own image token
            assert prompt.count(IMAGE_TOKEN) == 1 and "<image>" not in prompt
            if task == "passk_mathvision":  # where the question shows its figure
                question = mathvision[pid]["question"]
                assert (question.replace("<image1>", IMAGE_TOKEN) if "<image1>" in question else question) in prompt
                assert media["visual"] == [png_sha256(mirror / "mathvision" / mathvision[pid]["image"])]
            else:
                assert problems[pid]["question"] in prompt
                assert media["visual"] == [png_sha256(mirror / "mathvista" / problems[pid]["image"])]


def test_n_responses_per_problem_graded_as_the_grader_reads_them(vlm_run):
    _, samples, _ = vlm_run
    for task, lines in samples.items():
        for line in lines:
            record, responses = line["passk"], line["resps"][0]
            assert record["n"] == N == len(responses)
            assert all(isinstance(r, str) for r in responses)
            grades = regraded(task, line)
            assert record["answers"] == [answer for answer, _ in grades]
            assert record["verdicts"] == [correct for _, correct in grades]
            assert record["c"] == sum(correct for _, correct in grades)


@pytest.mark.parametrize("task", TASKS)
def test_metrics_follow_from_the_regraded_responses(vlm_run, task):
    results, samples, _ = vlm_run
    reported = results["results"][task]
    grades = [regraded(task, line) for line in samples[task]]
    for k in KS:
        exact = [1 - Fraction(comb(N - sum(c for _, c in gs), k), comb(N, k)) for gs in grades]
        assert reported[f"pass@{k},passk"] == pytest.approx(float(sum(exact) / len(exact)), rel=1e-12)
        assert 0 <= reported[f"pass@{k},passk"] <= 1
    assert reported["pass@2,passk"] >= reported["pass@1,passk"]
    missing = [sum(a is None for a, _ in gs) / N for gs in grades]
    assert reported["no_answer,passk"] == pytest.approx(sum(missing) / len(missing))


def test_the_group_pools_its_members(vlm_run):
    results, samples, _ = vlm_run
    members = [line["passk"]["c"] for task in ("passk_mathvista", "passk_mathvision") for line in samples[task]]
    assert results["groups"]["passk_vision"]["pass@1,passk"] == pytest.approx(sum(members) / (N * len(members)))
