"""The MathVista tasks through lm-eval's real ``hf-multimodal`` backend (HFMultimodalLM):
a tiny randomly initialised LLaVA built offline (tests/tiny_vlm.py) reads the fixture's
bar-chart images through its processor and samples n = 2 answers per problem.

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
from lm_eval_passk.vision.problem import VisionProblem
from scripted_vision_model import make_mirror

pytest.importorskip("torch", reason='pip install ".[test]" for the hf-multimodal backend')
pytest.importorskip("transformers", reason='pip install ".[test]" for the hf-multimodal backend')
from tiny_vlm import IMAGE_TOKEN, build_tiny_llava  # noqa: E402

N, KS = 2, [1, 2]
TASKS = ("passk_mathvista", "passk_mathvista_all")


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
    return results, samples, mirror / "mathvista"


def regraded(line: dict) -> list:
    """The grader's reading of the raw responses logged for one problem."""
    problem = VisionProblem.from_doc(line["doc"])
    return [grade_response(response, problem) for response in line["resps"][0]]


def png_sha256(path: Path) -> str:
    """How lm-eval logs an image: the SHA-256 of its PNG encoding."""
    buffer = io.BytesIO()
    Image.open(path).save(buffer, format="PNG")
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def test_each_problem_gets_its_own_image_as_the_model_image_token(vlm_run):
    _, samples, folder = vlm_run
    problems = json.loads((folder / "testmini.json").read_text())
    free_form = [pid for pid, p in problems.items() if p["question_type"] == "free_form"]
    assert [line["doc"]["id"] for line in samples["passk_mathvista"]] == free_form
    assert [line["doc"]["id"] for line in samples["passk_mathvista_all"]] == list(problems)
    for lines in samples.values():
        for line in lines:
            pid, request = line["doc"]["id"], line["arguments"]["gen_args_0"]
            prompt, media = request["arg_0"], request["arg_2"]
            # the chat template turned the task's <image> into the model's own image token
            assert prompt.count(IMAGE_TOKEN) == 1 and "<image>" not in prompt
            assert problems[pid]["question"] in prompt
            assert media["visual"] == [png_sha256(folder / problems[pid]["image"])]


def test_n_responses_per_problem_graded_as_the_grader_reads_them(vlm_run):
    _, samples, _ = vlm_run
    for lines in samples.values():
        for line in lines:
            record, responses = line["passk"], line["resps"][0]
            assert record["n"] == N == len(responses)
            assert all(isinstance(r, str) for r in responses)
            grades = regraded(line)
            assert record["answers"] == [g.answer for g in grades]
            assert record["verdicts"] == [g.correct for g in grades]
            assert record["c"] == sum(g.correct for g in grades)


@pytest.mark.parametrize("task", TASKS)
def test_metrics_follow_from_the_regraded_responses(vlm_run, task):
    results, samples, _ = vlm_run
    reported = results["results"][task]
    grades = [regraded(line) for line in samples[task]]
    for k in KS:
        exact = [1 - Fraction(comb(N - sum(g.correct for g in gs), k), comb(N, k)) for gs in grades]
        assert reported[f"pass@{k},passk"] == pytest.approx(float(sum(exact) / len(exact)), rel=1e-12)
        assert 0 <= reported[f"pass@{k},passk"] <= 1
    assert reported["pass@2,passk"] >= reported["pass@1,passk"]
    missing = [sum(g.answer is None for g in gs) / N for gs in grades]
    assert reported["no_answer,passk"] == pytest.approx(sum(missing) / len(missing))
    if task == "passk_mathvista":
        assert results["groups"]["passk_vision"]["pass@1,passk"] == pytest.approx(reported["pass@1,passk"])
