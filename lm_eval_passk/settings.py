"""Run settings read from a task's metadata (task YAML defaults, overridden by
``--metadata``), validated once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .estimators import default_ks


METADATA_KEYS = frozenset({"version", "n", "k", "grader", "grading_timeout", "data_dir"})
"""Metadata keys every pass@k task reads; a task class adds its own (``PassKTask.metadata_keys``)."""


class PassKConfigError(ValueError):
    """A usage error: the message says what to change."""


@dataclass(frozen=True)
class PassKSettings:
    n: int
    """Samples drawn per problem (the task's ``repeats``)."""
    ks: tuple[int, ...]
    """The k of every reported pass@k, ascending, all <= n."""
    grader: str
    """Math grading mode (see ``lm_eval_passk.math.grading.GRADING_MODES``)."""
    grading_timeout: float
    """Seconds one (answer, gold) comparison may take before it counts as wrong."""

    @classmethod
    def from_metadata(cls, task: str, metadata: Mapping[str, Any]) -> PassKSettings:
        n = metadata.get("n")
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise PassKConfigError(
                f"{task}: n must be a positive integer (samples per problem), got {n!r}; "
                "e.g. --metadata '{\"n\": 16}'"
            )
        ks = metadata.get("k")
        if ks is None:
            ks = default_ks(n)
        if isinstance(ks, int) and not isinstance(ks, bool):
            ks = [ks]
        if not isinstance(ks, (list, tuple)) or not ks or not all(
            isinstance(k, int) and not isinstance(k, bool) and k >= 1 for k in ks
        ):
            raise PassKConfigError(
                f"{task}: k must be a list of positive integers, got {ks!r}; "
                "e.g. --metadata '{\"n\": 16, \"k\": [1, 4, 16]}'"
            )
        if max(ks) > n:
            raise PassKConfigError(
                f"{task}: pass@{max(ks)} needs at least {max(ks)} samples per problem but n={n}; "
                f"raise n or drop k > {n}"
            )
        grader = metadata.get("grader", "math_verify")
        timeout = metadata.get("grading_timeout", 10)
        if not isinstance(timeout, (int, float)) or timeout <= 0:
            raise PassKConfigError(f"{task}: grading_timeout must be a positive number of seconds, got {timeout!r}")
        return cls(n=n, ks=tuple(sorted(set(ks))), grader=str(grader), grading_timeout=float(timeout))
