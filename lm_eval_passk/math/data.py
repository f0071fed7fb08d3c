"""Math benchmarks, each normalised to docs ``{"id", "problem", "answer"}`` with the gold
answer as a plain string; read from the Hub ids users expect or the local mirror
(:mod:`lm_eval_passk.sources`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..boxed import last_boxed
from ..sources import Source, load_rows, read_jsonl


def number_text(value: Any) -> str:
    """Gold numbers as their plain text: ``27.0`` -> ``"27"``, ``"025"`` -> ``"25"``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return str(int(text)) if text.isdigit() else text


def _gsm8k(row: dict, i: int) -> dict:
    return {"id": str(i), "problem": row["question"], "answer": row["answer"].split("####")[-1].strip().replace(",", "")}


def _math500(row: dict, i: int) -> dict:
    return {"id": row.get("unique_id", str(i)), "problem": row["problem"], "answer": row["answer"]}


def _minerva(row: dict, i: int) -> dict:
    # Qwen2.5-Math's copy keeps the answer boxed inside the solution; math-ai's has a field.
    answer = row["answer"] if row.get("answer") else last_boxed(row["solution"])
    return {"id": str(row.get("idx", i)), "problem": row.get("problem") or row["question"], "answer": answer}


def _competition(row: dict, i: int) -> dict:
    return {"id": str(row.get("id", i)), "problem": row.get("problem") or row["question"], "answer": number_text(row["answer"])}


@dataclass(frozen=True)
class MathBenchmark:
    source: Source
    to_doc: Callable[[dict, int], dict]
    """A row (and its index) -> the normalised doc."""


BENCHMARKS: dict[str, MathBenchmark] = {
    "gsm8k": MathBenchmark(Source("gsm8k", "openai/gsm8k", "main", "test"), _gsm8k),
    "math500": MathBenchmark(Source("math500", "HuggingFaceH4/MATH-500", None, "test"), _math500),
    "minerva": MathBenchmark(Source("minerva_math", "math-ai/minervamath", None, "test"), _minerva),
    "aime24": MathBenchmark(Source("aime24", "HuggingFaceH4/aime_2024", None, "train"), _competition),
    "amc23": MathBenchmark(Source("amc23", "math-ai/amc23", None, "test"), _competition),
}


def load_math_benchmark(benchmark: str, **metadata: Any):
    """``custom_dataset`` of the math tasks: a DatasetDict with one ``test`` split."""
    import datasets

    spec = BENCHMARKS[benchmark]
    docs = [spec.to_doc(row, i) for i, row in enumerate(load_rows(spec.source, metadata))]
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(docs)})


def load_demo(**_: Any):
    """``custom_dataset`` of ``passk_demo``: the problems shipped with the package."""
    import datasets

    from .. import tasks_path

    docs = read_jsonl(tasks_path() / "passk_demo" / "problems.jsonl")
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(docs)})
