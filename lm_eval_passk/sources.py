"""Where benchmark rows come from: the Hugging Face Hub under the ids users expect, or a
local mirror folder (``LM_EVAL_PASSK_DATA_DIR``, or ``--metadata '{"data_dir": ...}'``)
laid out like ``<dir>/<benchmark>/test.jsonl``, so runs and tests work offline.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .settings import PassKConfigError

DATA_DIR_ENV = "LM_EVAL_PASSK_DATA_DIR"


@dataclass(frozen=True)
class Source:
    """One benchmark's rows: a Hub dataset, or a JSON-lines file in the mirror."""

    folder: str
    """Mirror folder under the data dir."""
    hub_path: str
    hub_name: str | None
    hub_split: str
    file: str = "test.jsonl"
    """The mirror file in ``folder``."""


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
    """The rows of ``source``: from the mirror when one is configured, else from the Hub."""
    mirror = data_dir(metadata)
    if mirror is None:
        import datasets

        return list(datasets.load_dataset(source.hub_path, source.hub_name, split=source.hub_split))
    path = mirror / source.folder / source.file
    if not path.is_file():
        raise PassKConfigError(
            f"the mirror {mirror} has no {source.folder}/{source.file}; add it or unset {DATA_DIR_ENV}"
        )
    return read_jsonl(path)
