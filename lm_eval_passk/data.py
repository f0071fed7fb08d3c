"""Benchmark data: Hugging Face Hub ids users expect, or a local mirror.

Every math benchmark is normalised to docs ``{"id", "problem", "answer"}`` with the
gold answer as a plain string. With ``LM_EVAL_PASSK_DATA_DIR`` (or
``--metadata '{"data_dir": ...}'``) naming a folder laid out like
``<dir>/gsm8k/test.jsonl``, nothing is downloaded.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .extract import last_boxed
from .settings import PassKConfigError

DATA_DIR_ENV = "LM_EVAL_PASSK_DATA_DIR"


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
class Source:
    folder: str
    """Mirror folder under the data dir; the file is ``test.jsonl``."""
    hub_path: str
    hub_name: str | None
    hub_split: str
    to_doc: Callable[[dict, int], dict]


SOURCES: dict[str, Source] = {
    "gsm8k": Source("gsm8k", "openai/gsm8k", "main", "test", _gsm8k),
    "math500": Source("math500", "HuggingFaceH4/MATH-500", None, "test", _math500),
    "minerva": Source("minerva_math", "math-ai/minervamath", None, "test", _minerva),
    "aime24": Source("aime24", "HuggingFaceH4/aime_2024", None, "train", _competition),
    "amc23": Source("amc23", "math-ai/amc23", None, "test", _competition),
}


def data_dir(metadata: dict[str, Any]) -> Path | None:
    """The local mirror, if one is configured; an error if it is configured but absent."""
    configured = metadata.get("data_dir") or os.environ.get(DATA_DIR_ENV)
    if not configured:
        return None
    path = Path(configured).expanduser()
    if not path.is_dir():
        raise PassKConfigError(
            f"{DATA_DIR_ENV}={configured} is not a folder; point it at a mirror laid out like "
            "<dir>/gsm8k/test.jsonl, or unset it to download from the Hugging Face Hub"
        )
    return path


def read_jsonl(path: Path) -> list[dict]:
    """The rows of a JSON-lines file (gzip-compressed when it ends in ``.gz``)."""
    rows = []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise PassKConfigError(f"{path}:{number} is not valid JSON ({err.msg})") from None
    return rows


def load_rows(source: Source, metadata: dict[str, Any]) -> list[dict]:
    mirror = data_dir(metadata)
    if mirror is None:
        import datasets

        return list(datasets.load_dataset(source.hub_path, source.hub_name, split=source.hub_split))
    path = mirror / source.folder / "test.jsonl"
    if not path.is_file():
        raise PassKConfigError(f"the mirror {mirror} has no {source.folder}/test.jsonl; add it or unset {DATA_DIR_ENV}")
    return read_jsonl(path)


def load_math_benchmark(benchmark: str, **metadata: Any):
    """``custom_dataset`` of the math tasks: a DatasetDict with one ``test`` split."""
    import datasets

    source = SOURCES[benchmark]
    docs = [source.to_doc(row, i) for i, row in enumerate(load_rows(source, metadata))]
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(docs)})


def load_demo(**_: Any):
    """``custom_dataset`` of ``passk_demo``: the problems shipped with the package."""
    import datasets

    from . import tasks_path

    docs = read_jsonl(tasks_path() / "passk_demo" / "problems.jsonl")
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(docs)})
