import json
from pathlib import Path

import pytest

from lm_eval_passk.math.data import load_math_benchmark, number_text
from lm_eval_passk.settings import PassKConfigError

MIRROR = Path(__file__).resolve().parents[2] / "fixtures" / "mirror"


@pytest.mark.parametrize(("raw", "text"), [(27.0, "27"), ("025", "25"), ("000", "0"), (2.5, "2.5"), ("\\frac{1}{2}", "\\frac{1}{2}"), (7, "7")])
def test_number_text(raw, text):
    assert number_text(raw) == text


@pytest.mark.parametrize(
    ("benchmark", "first_answer"),
    [("gsm8k", "21"), ("math500", "11"), ("minerva", "6"), ("aime24", "21"), ("amc23", "27")],
)
def test_mirror_docs_have_one_schema_and_normalised_gold(benchmark, first_answer):
    docs = load_math_benchmark(benchmark, data_dir=str(MIRROR))["test"]
    assert docs.column_names == ["id", "problem", "answer"]
    assert docs[0]["answer"] == first_answer
    assert docs[0]["problem"].startswith("What is ")


def test_environment_variable_names_the_mirror(monkeypatch):
    monkeypatch.setenv("LM_EVAL_PASSK_DATA_DIR", str(MIRROR))
    assert len(load_math_benchmark("gsm8k")["test"]) == 5


def test_missing_mirror_and_missing_file_are_usage_errors(tmp_path):
    with pytest.raises(PassKConfigError, match="is not a folder"):
        load_math_benchmark("gsm8k", data_dir=str(tmp_path / "nope"))
    with pytest.raises(PassKConfigError, match="has no gsm8k/test.jsonl"):
        load_math_benchmark("gsm8k", data_dir=str(tmp_path))


def test_corrupt_line_names_file_and_line(tmp_path):
    (tmp_path / "gsm8k").mkdir()
    (tmp_path / "gsm8k" / "test.jsonl").write_text(json.dumps({"question": "q", "answer": "#### 1"}) + "\n{oops\n")
    with pytest.raises(PassKConfigError, match=r"test.jsonl:2 is not valid JSON"):
        load_math_benchmark("gsm8k", data_dir=str(tmp_path))


@pytest.mark.parametrize(
    ("benchmark", "count"), [("gsm8k", 1319), ("math500", 500), ("minerva", 272), ("aime24", 30), ("amc23", 40)]
)
def test_real_benchmark_copies(shared_data, benchmark, count):
    docs = load_math_benchmark(benchmark, data_dir=str(shared_data))["test"]
    assert len(docs) == count
    assert all(doc["answer"] for doc in docs)
    if benchmark == "aime24":
        assert not any(doc["answer"].startswith("0") for doc in docs)
    if benchmark == "amc23":
        assert not any(doc["answer"].endswith(".0") for doc in docs)
