"""Code benchmarks: HumanEval+ (evalplus release) and LiveCodeBench
(``livecodebench/code_generation_lite``, read from its raw JSONL files: its loading
script no longer runs under datasets >= 4).

A local mirror (``LM_EVAL_PASSK_DATA_DIR`` or metadata ``data_dir``) is laid out as
``<dir>/humaneval_plus/HumanEvalPlus-v0.1.10.jsonl.gz`` (as evalplus releases it) and
``<dir>/livecodebench/test.jsonl, test2.jsonl, ...`` (the Hub repo's files).

The docs lm-eval keeps (and logs) are lean; the tests are read again at grading
time by ``humaneval_plus_rows`` / ``livecodebench_rows``.
"""

from __future__ import annotations

import base64
import io
import json
import os
import pickle
import re
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

from ..sources import DATA_DIR_ENV, data_dir, read_jsonl
from ..settings import PassKConfigError

HUMANEVAL_PLUS_VERSION = "v0.1.10"
# The Hub copy (evalplus/humanevalplus) keeps only a generated `test` with base and plus
# inputs merged, so, like evalplus itself, we read the release file.
HUMANEVAL_PLUS_RELEASE = "https://github.com/evalplus/humanevalplus_release/releases/download/{version}/HumanEvalPlus.jsonl.gz"
LCB_HUB = "livecodebench/code_generation_lite"
LCB_FILES = 6  # test.jsonl, test2.jsonl, ..., test6.jsonl (release_v6)
_LCB_VERSION = re.compile(r"^(?:release_v(\d+)|release_latest|v(\d+)(?:_v(\d+))?)$")


def _hub_file(repo: str, filename: str) -> Path:
    from huggingface_hub import hf_hub_download

    return Path(hf_hub_download(repo_id=repo, filename=filename, repo_type="dataset"))


def _release_file(version: str) -> Path:
    """The evalplus release file of ``version``, downloaded once into the user cache."""
    import urllib.request

    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "lm_eval_passk"
    path = cache / f"HumanEvalPlus-{version}.jsonl.gz"
    if not path.is_file():
        url = HUMANEVAL_PLUS_RELEASE.format(version=version)
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        try:
            urllib.request.urlretrieve(url, partial)
        except OSError as err:
            raise PassKConfigError(
                f"cannot download {url} ({err}); put that file at <data_dir>/humaneval_plus/{path.name} "
                f"and set {DATA_DIR_ENV}"
            ) from None
        partial.replace(path)
    return path


# ---------------------------------------------------------------- HumanEval+

def humaneval_plus_rows(metadata: dict[str, Any]) -> dict[str, dict]:
    """task_id -> evalplus row (prompt, entry_point, canonical_solution, base_input, plus_input, atol)."""
    version = str(metadata.get("evalplus_version", HUMANEVAL_PLUS_VERSION))
    mirror = data_dir(metadata)
    if mirror is None:
        path = _release_file(version)
    else:
        path = mirror / "humaneval_plus" / f"HumanEvalPlus-{version}.jsonl.gz"
        if not path.is_file():
            raise PassKConfigError(
                f"the mirror {mirror} has no humaneval_plus/{path.name} (the evalplus release file "
                f"HumanEvalPlus.jsonl.gz of {version}, renamed); add it or unset {DATA_DIR_ENV}"
            )
    rows = read_jsonl(path)
    if rows and not {"base_input", "plus_input"} <= rows[0].keys():
        raise PassKConfigError(
            f"{path} has no base_input/plus_input fields; put the evalplus release file "
            f"HumanEvalPlus-{version}.jsonl.gz under <data_dir>/humaneval_plus/ and set {DATA_DIR_ENV}"
        )
    return {row["task_id"]: row for row in rows}


def load_humaneval_plus(**metadata: Any):
    """``custom_dataset`` of passk_humanevalplus."""
    import datasets

    docs = [{"task_id": r["task_id"], "prompt": r["prompt"], "entry_point": r["entry_point"]}
            for r in humaneval_plus_rows(metadata).values()]
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(docs)})


# ---------------------------------------------------------------- LiveCodeBench

def lcb_files(release_version: str) -> list[str]:
    """The Hub files of a release: release_v5 -> test.jsonl ... test5.jsonl, v2_v4 -> test2..test4."""
    match = _LCB_VERSION.match(release_version)
    if not match:
        raise PassKConfigError(
            f"unknown LiveCodeBench release_version {release_version!r}; use release_v1 ... release_v{LCB_FILES}, "
            "release_latest, vN or vA_vB"
        )
    upto, first, last = match.groups()
    numbers = (range(1, int(upto) + 1) if upto else range(1, LCB_FILES + 1) if not first
               else range(int(first), int(last or first) + 1))
    return ["test.jsonl" if n == 1 else f"test{n}.jsonl" for n in numbers]


def _parse_day(value: Any, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.strptime(str(value), "%Y-%m-%d")
    except ValueError:
        raise PassKConfigError(f"{name} must be a date like 2024-08-01, got {value!r}") from None


class _StringsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"refused to build {module}.{name}: private tests are a pickled string")


def decode_private_tests(field: str) -> list[dict]:
    """LCB private tests: JSON, or base64(zlib(pickle(JSON string))). The pickle is
    read by an unpickler that builds no object at all (only str / bytes come out)."""
    try:
        return json.loads(field)
    except json.JSONDecodeError:
        pass
    text = _StringsOnly(io.BytesIO(zlib.decompress(base64.b64decode(field.encode("utf-8"))))).load()
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if not isinstance(text, str):
        raise ValueError("private tests did not decode to a JSON string")
    return json.loads(text)


def livecodebench_rows(metadata: dict[str, Any]) -> dict[str, dict]:
    """question_id -> Hub row of the release and date window (tests still encoded)."""
    release = str(metadata.get("release_version", "release_v5"))
    start = _parse_day(metadata.get("start_date"), "start_date")
    end = _parse_day(metadata.get("end_date"), "end_date")
    mirror = data_dir(metadata)
    rows: dict[str, dict] = {}
    for name in lcb_files(release):
        if mirror is None:
            path = _hub_file(LCB_HUB, name)
        else:
            path = mirror / "livecodebench" / name
            if not path.is_file():
                raise PassKConfigError(f"the mirror {mirror} has no livecodebench/{name} (needed by {release}); "
                                       f"add it or unset {DATA_DIR_ENV}")
        for row in read_jsonl(path):
            date = datetime.fromisoformat(row["contest_date"])
            if (start is None or start <= date) and (end is None or date <= end):  # LiveCodeBench's own window
                rows[row["question_id"]] = row
    return rows


def lcb_tests(row: dict) -> tuple[list[dict], str | None]:
    """(public + private tests as {input, output, testtype}, func_name or None for stdin)."""
    tests = json.loads(row["public_test_cases"]) + decode_private_tests(row["private_test_cases"])
    meta = row.get("metadata") or "{}"
    func_name = (json.loads(meta) if isinstance(meta, str) else meta).get("func_name")
    return tests, func_name


def load_livecodebench(**metadata: Any):
    """``custom_dataset`` of passk_livecodebench."""
    import datasets

    keep = ("question_id", "question_title", "question_content", "platform", "contest_date", "starter_code",
            "difficulty")
    docs = [{k: row.get(k) or "" for k in keep} for row in livecodebench_rows(metadata).values()]
    if not docs:
        raise PassKConfigError("no LiveCodeBench problem in that release_version and start_date/end_date window")
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(docs)})
