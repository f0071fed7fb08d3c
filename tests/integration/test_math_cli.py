"""The math tasks through the real ``lm_eval`` CLI, with the scripted model.

Expected values come from the fixture's solve rates and the exact formula
1 - C(n-c, k) / C(n, k), computed here with Python integers.
"""

from __future__ import annotations

import json
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest

from conftest import read_run, run_lm_eval  # noqa: I001
from scripted_model import PROBLEM, correct_count

MIRROR = Path(__file__).resolve().parents[1] / "fixtures" / "mirror"
FOLDERS = {"passk_gsm8k": "gsm8k", "passk_math500": "math500", "passk_minerva": "minerva_math",
           "passk_aime24": "aime24", "passk_amc23": "amc23"}
DEFAULT_N = {"passk_gsm8k": 128, "passk_math500": 128, "passk_minerva": 128, "passk_aime24": 1024, "passk_amc23": 1024}


def fixture_rates(task: str) -> list[int]:
    rows = [json.loads(line) for line in (MIRROR / FOLDERS[task] / "test.jsonl").read_text().splitlines()]
    return [int(PROBLEM.search(row.get("question") or row["problem"]).group(3)) for row in rows]


def reported_ks(metrics: dict) -> list[int]:
    return sorted(int(key[len("pass@"):].split(",")[0]) for key in metrics
                  if key.startswith("pass@") and "_stderr" not in key)


def exact_pass_at_k(n: int, c: int, k: int) -> Fraction:
    return 1 - Fraction(comb(n - c, k), comb(n, k))


def expected_pass_at_k(task: str, n: int, k: int) -> Fraction:
    rates = fixture_rates(task)
    return sum(exact_pass_at_k(n, correct_count(r, n), k) for r in rates) / len(rates)


def build_stock_gsm8k_cache(cache_dir: Path) -> None:
    """An offline Hugging Face datasets cache of ``openai/gsm8k`` (the stock task's
    data) holding the fixture problems, so the stock task runs without the Hub."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets.packaged_modules.parquet.parquet import Parquet

    rows = [json.loads(line) for line in (MIRROR / "gsm8k" / "test.jsonl").read_text().splitlines()]
    parquet = cache_dir / "src.parquet"
    cache_dir.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), parquet)
    builder = Parquet(cache_dir=str(cache_dir), dataset_name="openai___gsm8k", config_name="main",
                      data_files={"train": str(parquet), "test": str(parquet)}, hash="0" * 16)
    builder.download_and_prepare()
    # The offline loader looks for config "main" and files named after the repo.
    built = Path(builder.cache_dir)
    for split in ("train", "test"):
        (built / f"openai___gsm8k-{split}.arrow").rename(built / f"gsm8k-{split}.arrow")
    built.parents[1].rename(built.parents[2] / "main")


@pytest.fixture(scope="module")
def group_run(tmp_path_factory) -> tuple[dict, dict, str]:
    """passk_math at its default n (128 and 1024) beside the stock gsm8k task."""
    tmp = tmp_path_factory.mktemp("group_run")
    build_stock_gsm8k_cache(tmp / "hf_datasets")
    out = tmp / "out"
    proc = run_lm_eval(
        ["--model", "passk-scripted", "--tasks", "passk_math,gsm8k", "--output_path", str(out), "--log_samples"],
        env={"LM_EVAL_PASSK_DATA_DIR": str(MIRROR), "HF_DATASETS_CACHE": str(tmp / "hf_datasets")},
    )
    results, samples = read_run(out)
    return results, samples, proc.stdout


@pytest.mark.parametrize("task", sorted(FOLDERS))
def test_every_pass_at_k_equals_the_exact_value(group_run, task):
    results, _, _ = group_run
    n = DEFAULT_N[task]
    reported = results["results"][task]
    ks = [1 << i for i in range(n.bit_length())]  # 1, 2, 4, ..., n
    assert reported_ks(reported) == ks
    for k in ks:
        assert reported[f"pass@{k},passk"] == pytest.approx(float(expected_pass_at_k(task, n, k)), rel=1e-12, abs=1e-15)


def test_samples_file_carries_the_per_problem_record(group_run):
    _, samples, _ = group_run
    for task, lines in samples.items():
        if not task.startswith("passk_"):
            continue
        n = DEFAULT_N[task]
        assert [line["doc_id"] for line in lines] == list(range(len(fixture_rates(task))))
        for line in lines:
            rate = int(PROBLEM.search(line["doc"]["problem"]).group(3))
            record = line["passk"]
            assert record["n"] == n == len(record["verdicts"]) == len(record["answers"]) == len(line["resps"][0])
            assert record["c"] == sum(record["verdicts"]) == correct_count(rate, n)
            # sample order: the scripted model answers copy j right iff j % 8 < rate
            assert record["verdicts"] == [j % 8 < rate for j in range(n)]
            assert len(set(line["resps"][0])) > 1 or rate in (0, 8)


def test_group_aggregates_only_the_k_every_benchmark_has(group_run):
    results, _, _ = group_run
    group = results["groups"]["passk_math"]
    ks = reported_ks(group)
    assert ks == [1, 2, 4, 8, 16, 32, 64, 128]  # 256..1024 exist only for AIME and AMC
    problems = {task: len(fixture_rates(task)) for task in FOLDERS}
    for k in ks:
        pooled = sum(expected_pass_at_k(t, DEFAULT_N[t], k) * m for t, m in problems.items()) / sum(problems.values())
        assert group[f"pass@{k},passk"] == pytest.approx(float(pooled), rel=1e-12)
    assert not any(key.startswith("maj@") for key in group)  # maj@128 and maj@1024 are different metrics


def test_majority_vote_and_missing_answers(group_run):
    results, _, _ = group_run
    rates = fixture_rates("passk_gsm8k")
    reported = results["results"]["passk_gsm8k"]
    # Wrong copies j answer x+1 when j % 3 == 0, nothing when j % 3 == 1, x+3 when j % 3 == 2.
    majority, missing = [], []
    for r in rates:
        wrong = [j for j in range(128) if j % 8 >= r]
        right = 128 - len(wrong)
        clusters = [sum(1 for j in wrong if j % 3 == style) for style in (0, 2)]
        assert right != max(clusters)  # no ties in this fixture
        majority.append(right > max(clusters))
        missing.append(sum(1 for j in wrong if j % 3 == 1) / 128)
    assert reported["maj@128,passk"] == pytest.approx(sum(majority) / len(majority))
    assert reported["no_answer,passk"] == pytest.approx(sum(missing) / len(missing))


def test_stock_task_in_the_same_run_is_scored_as_usual(group_run):
    results, samples, stdout = group_run
    rates = fixture_rates("passk_gsm8k")
    stock = results["results"]["gsm8k"]
    assert stock["exact_match,strict-match"] == pytest.approx(sum(r > 0 for r in rates) / len(rates))
    strict = [line for line in samples["gsm8k"] if line["filter"] == "strict-match"]
    assert len(strict) == len(rates)
    assert all(len(line["resps"][0]) == 1 for line in strict)  # one greedy answer each
    assert "passk_math" in stdout and "gsm8k" in stdout


@pytest.mark.parametrize(
    ("metadata", "ks"),
    [('{"n": 16}', [1, 2, 4, 8, 16]), ('{"n": 16, "k": [1, 4, 16]}', [1, 4, 16])],
)
def test_metadata_sets_n_and_k_and_cache_keeps_samples_distinct(tmp_path, metadata, ks):
    cache = tmp_path / "cache" / "lm"
    proc = run_lm_eval(
        ["--model", "passk-scripted", "--tasks", "passk_gsm8k", "--metadata", metadata,
         "--use_cache", str(cache), "--output_path", str(tmp_path / "out"), "--log_samples"],
        env={"LM_EVAL_PASSK_DATA_DIR": str(MIRROR)},
    )
    assert "Caching will not be performed" in proc.stderr  # sampled repeats are never cached alike
    results, samples = read_run(tmp_path / "out")
    reported = results["results"]["passk_gsm8k"]
    assert reported_ks(reported) == ks
    for k in ks:
        assert reported[f"pass@{k},passk"] == pytest.approx(float(expected_pass_at_k("passk_gsm8k", 16, k)), rel=1e-12)
    assert all(line["passk"]["n"] == 16 for line in samples["passk_gsm8k"])


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--tasks", "passk_gsm8k_cot"], {}, "unknown task passk_gsm8k_cot (did you mean passk_gsm8k?)"),
        (["--tasks", "passk_gsm8k", "--metadata", '{"n": 4, "k": [1, 8]}'], {}, "pass@8 needs at least 8 samples"),
        (["--tasks", "passk_gsm8k", "--metadata", '{"n": "many"}'], {}, "n must be a positive integer"),
        (["--tasks", "passk_gsm8k", "--metadata", '{"n": 16'], {}, "Invalid JSON"),
        (["--tasks", "passk_gsm8k"], {"LM_EVAL_PASSK_DATA_DIR": "/nonexistent/mirror"}, "/nonexistent/mirror is not a folder"),
    ],
    ids=["unknown-task", "k-above-n", "n-not-a-number", "malformed-metadata", "missing-mirror"],
)
def test_bad_input_gets_one_clear_line(tmp_path, args, env, expected):
    proc = run_lm_eval(["--model", "passk-scripted", *args], env={"LM_EVAL_PASSK_DATA_DIR": str(MIRROR), **env}, check=False)
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and expected in errors[0], proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
