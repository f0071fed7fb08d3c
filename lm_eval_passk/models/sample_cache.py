"""Finished samples on disk, so an interrupted run resumes where it stopped.

One SQLite file in a directory of the user's choice. A sample is stored the moment it
finishes, keyed by the fingerprint of its request (model, revision, prompt tokens,
sampling parameters, run seed: see :func:`request_fingerprint`) and its sample index;
n is not part of the key, so raising n from 128 to 256 reuses the first 128 samples.
WAL journaling with ``synchronous=NORMAL`` makes each commit survive a killed process
without an fsync per sample.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..settings import PassKConfigError
from .samples import Sample

FILE_NAME = "samples.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS samples (
    request TEXT NOT NULL,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    finish_reason TEXT,
    num_tokens INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    PRIMARY KEY (request, idx)
)
"""


def request_fingerprint(parts: Mapping[str, Any]) -> str:
    """A stable hash of everything that decides what a request's samples are."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class SampleCache:
    """Samples by (request fingerprint, index), in ``directory/samples.sqlite``."""

    def __init__(self, directory: str | Path) -> None:
        self.path = Path(directory) / FILE_NAME
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=60)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as err:
            raise PassKConfigError(
                f"cannot use {directory} as the sample cache ({err}); pass sample_cache=<a writable folder>"
            ) from None

    def load(self, fingerprint: str, n: int) -> dict[int, Sample]:
        """The stored samples 0..n-1 of a request, by index."""
        rows = self._db.execute(
            "SELECT idx, text, finish_reason, num_tokens, seed FROM samples WHERE request = ? AND idx < ?",
            (fingerprint, n),
        )
        return {idx: Sample(text, reason, tokens, seed) for idx, text, reason, tokens, seed in rows}

    def store(self, samples: Iterable[tuple[str, int, Sample]]) -> None:
        """Store (fingerprint, index, sample) triples in one commit."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?, ?, ?)",
                [(fp, idx, s.text, s.finish_reason, s.num_tokens, s.seed) for fp, idx, s in samples],
            )

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM samples").fetchone()[0]

    def close(self) -> None:
        self._db.close()
