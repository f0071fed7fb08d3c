"""One sampled answer: its text and how it ended, and the seed of sample i of a problem.

Pure functions and plain data (no vLLM), shared by the sample cache and the vLLM backend.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

# vLLM seeds child i of an n-sample request with seed + i (< 2**63 for the sampler's
# generator): base seeds take 62 bits, leaving room for 2**62 sample indices.
_BASE_SEED_BITS = 62


@dataclass(frozen=True)
class Sample:
    text: str
    """The generated text as the model produced it (before lm-eval's post-hoc stop cuts)."""
    finish_reason: str | None
    """vLLM's: "stop" (a stop string or EOS), "length" (hit max_gen_toks), "abort"."""
    num_tokens: int
    """Generated tokens."""
    seed: int
    """The sampler seed of this sample."""


class GeneratedText(str):
    """A response string that also says how it was generated.

    ``generate_until`` must return strings; lm-eval keeps each returned object as is
    in ``Instance.resps`` and hands it to the task's filters, so a consumer reads
    ``getattr(response, "finish_reason", None)`` and works with any backend.
    """

    finish_reason: str | None
    num_tokens: int | None
    seed: int | None

    def __new__(cls, text: str, *, finish_reason: str | None, num_tokens: int | None, seed: int | None):
        obj = super().__new__(cls, text)
        obj.finish_reason = finish_reason
        obj.num_tokens = num_tokens
        obj.seed = seed
        return obj

    def __reduce__(self):  # str's default pickling would call __new__ without the keywords
        return _rebuild, (str(self), self.finish_reason, self.num_tokens, self.seed)

    @property
    def truncated(self) -> bool:
        """Whether generation stopped at the token cap rather than by itself."""
        return self.finish_reason == "length"


def _rebuild(text: str, finish_reason: str | None, num_tokens: int | None, seed: int | None) -> GeneratedText:
    return GeneratedText(text, finish_reason=finish_reason, num_tokens=num_tokens, seed=seed)


def base_seed(run_seed: int, prompt_token_ids: Sequence[int]) -> int:
    """The seed of sample 0 of a problem; sample i gets ``base_seed + i``.

    A hash of the run seed and the prompt, so the same command draws the same samples,
    samples of one problem never share a seed, and two problems' seed ranges overlap
    only by a 62-bit hash collision.
    """
    digest = hashlib.sha256(json.dumps([int(run_seed), [int(t) for t in prompt_token_ids]]).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - _BASE_SEED_BITS)


def missing_runs(present: Collection[int], n: int) -> list[tuple[int, int]]:
    """The sample indices in ``range(n)`` not in ``present``, as (start, count) runs."""
    runs: list[tuple[int, int]] = []
    for i in range(n):
        if i in present:
            continue
        if runs and runs[-1][0] + runs[-1][1] == i:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def group_by_identity(items: Sequence[object]) -> list[list[int]]:
    """Positions of each distinct object (by identity), in order of first appearance.

    lm-eval hands a model the ``repeats`` clones of a request as the same ``Instance``
    object repeated, while two documents with equal prompts are different objects.
    """
    groups: dict[int, list[int]] = {}
    for position, item in enumerate(items):
        groups.setdefault(id(item), []).append(position)
    return list(groups.values())
