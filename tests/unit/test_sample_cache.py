"""The vllm_n backend's pure parts: sample seeds, resume bookkeeping, the response
type that carries finish reasons through lm-eval, and the on-disk sample cache
(including a writer killed with SIGKILL). None of this needs vLLM."""

from __future__ import annotations

import copy
import json
import os
import pickle
import signal
import sqlite3
import subprocess
import sys

import pytest
from lm_eval.api.filter import Filter, FilterEnsemble
from lm_eval.api.instance import Instance

from lm_eval_passk.models.sample_cache import FILE_NAME, SampleCache, request_fingerprint
from lm_eval_passk.models.samples import GeneratedText, Sample, base_seed, group_by_identity, missing_runs
from lm_eval_passk.settings import PassKConfigError


def test_base_seed_depends_on_run_seed_and_prompt_only():
    assert base_seed(1234, [5, 6, 7]) == base_seed(1234, [5, 6, 7])
    assert base_seed(1234, [5, 6, 7]) != base_seed(1235, [5, 6, 7])
    assert base_seed(1234, [5, 6, 7]) != base_seed(1234, [5, 6, 8])
    # sample i gets base + i, and vLLM's sampler takes seeds below 2**63
    assert all(0 <= base_seed(s, [s]) < 2**62 for s in range(200))


def test_seed_ranges_of_different_problems_do_not_overlap():
    n = 1024
    bases = sorted(base_seed(1234, [p, 1, 2]) for p in range(2000))
    assert all(b - a >= n for a, b in zip(bases, bases[1:]))


@pytest.mark.parametrize(
    "present, n, runs",
    [
        (set(), 4, [(0, 4)]),  # nothing cached: one request with n=4
        ({0, 1, 2, 3}, 4, []),  # all cached: nothing to generate
        ({0, 1}, 5, [(2, 3)]),  # killed after the first two finished
        ({1, 3}, 6, [(0, 1), (2, 1), (4, 2)]),  # finished out of order
        ({0, 1, 2, 3}, 8, [(4, 4)]),  # n raised from 4 to 8 reuses the first 4
        ({5}, 3, [(0, 3)]),  # a stored index beyond n is ignored
    ],
)
def test_missing_runs(present, n, runs):
    assert missing_runs(present, n) == runs


def test_group_by_identity_keeps_clones_together_and_equal_prompts_apart():
    a, b, c = ["same prompt"], ["same prompt"], ["other"]
    # lm-eval's evaluator sends [req] * repeats for each request
    assert group_by_identity([a, a, a, b, b, b, c]) == [[0, 1, 2], [3, 4, 5], [6]]
    assert group_by_identity([a, c, a]) == [[0, 2], [1]]


def _text() -> GeneratedText:
    return GeneratedText("The answer is 4.", finish_reason="length", num_tokens=96, seed=17)


def test_generated_text_is_a_string_with_attributes():
    text = _text()
    assert text == "The answer is 4." and isinstance(text, str)
    assert (text.finish_reason, text.num_tokens, text.seed, text.truncated) == ("length", 96, 17, True)
    assert json.dumps({"resps": [[text]]}) == '{"resps": [["The answer is 4."]]}'
    for clone in (pickle.loads(pickle.dumps(text)), copy.deepcopy(text), copy.copy(text)):
        assert clone == text and (clone.finish_reason, clone.num_tokens, clone.seed) == ("length", 96, 17)


class _KeepAll(Filter):
    def apply(self, resps, docs):
        return [list(r) for r in resps]


def test_lm_eval_filters_pass_generated_text_through():
    instance = Instance("generate_until", doc={"q": 1}, arguments=("prompt", {}), idx=0, metadata=("t", 0, 2))
    instance.resps.extend([_text(), GeneratedText("x", finish_reason="stop", num_tokens=1, seed=18)])
    FilterEnsemble(name="keep", filters=[_KeepAll]).apply([instance])
    kept = instance.filtered_resps["keep"]
    assert [(r.finish_reason, r.num_tokens) for r in kept] == [("length", 96), ("stop", 1)]


def test_fingerprint_is_order_free_and_sees_every_part():
    parts = {"model": {"model": "m", "revision": None}, "prompt": [1, 2], "sampling": {"temperature": 0.6}, "run_seed": 1}
    assert request_fingerprint(parts) == request_fingerprint(dict(reversed(list(parts.items()))))
    changed = [
        {**parts, "model": {"model": "m", "revision": "v2"}},
        {**parts, "prompt": [1, 3]},
        {**parts, "sampling": {"temperature": 0.7}},
        {**parts, "run_seed": 2},
    ]
    assert len({request_fingerprint(p) for p in [parts, *changed]}) == 5


def test_cache_round_trip_and_reopen(tmp_path):
    cache = SampleCache(tmp_path / "cache")
    samples = {i: Sample(f"text {i}", "stop" if i % 2 else "length", 10 + i, 100 + i) for i in range(5)}
    cache.store([("req-a", i, s) for i, s in samples.items()])
    cache.store([("req-b", 0, Sample("other", "stop", 1, 7))])
    cache.close()

    reopened = SampleCache(tmp_path / "cache")
    assert reopened.load("req-a", 5) == samples
    assert reopened.load("req-a", 3) == {i: samples[i] for i in range(3)}
    assert reopened.load("req-b", 5) == {0: Sample("other", "stop", 1, 7)}
    assert reopened.load("req-c", 5) == {}
    assert len(reopened) == 6


def test_unusable_cache_folder_is_a_one_line_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(PassKConfigError, match="sample_cache=<a writable folder>"):
        SampleCache(tmp_path / "file")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / FILE_NAME).write_text("this is not an SQLite database" * 100)
    with pytest.raises(PassKConfigError, match="cannot use"):
        SampleCache(tmp_path / "bad")


_WRITER = """
import sys, time
from lm_eval_passk.models.sample_cache import SampleCache
from lm_eval_passk.models.samples import Sample
cache = SampleCache(sys.argv[1])
for i in range(10**6):
    cache.store([("req", i, Sample("x" * 2000, "length", 512, i))])
    print(i, flush=True)
"""


def test_samples_stored_before_a_sigkill_survive_it(tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        for line in writer.stdout:  # each line: that sample's commit returned
            if int(line) >= 200:
                break
        reported = int(line)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    # the database opens cleanly (no repair) and holds every sample reported committed
    assert sqlite3.connect(tmp_path / FILE_NAME).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = SampleCache(tmp_path).load("req", 10**6)
    assert set(range(reported + 1)) <= set(stored)
    assert sorted(stored) == list(range(len(stored)))
    assert all(s == Sample("x" * 2000, "length", 512, i) for i, s in stored.items())
