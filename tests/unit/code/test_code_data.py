"""Without a mirror, HumanEval+ comes from the evalplus release file, downloaded once."""

import shutil
from pathlib import Path

import pytest

from lm_eval_passk.code import data as code_data
from lm_eval_passk.settings import PassKConfigError

RELEASE = Path(__file__).resolve().parents[2] / "fixtures" / "code" / "mirror" / "humaneval_plus" / "HumanEvalPlus-v0.1.10.jsonl.gz"


@pytest.fixture
def release_server(tmp_path, monkeypatch):
    """A stand-in for the GitHub release URL (file://), and a private user cache."""
    served = tmp_path / "releases" / "v0.1.10" / "HumanEvalPlus.jsonl.gz"
    served.parent.mkdir(parents=True)
    shutil.copy(RELEASE, served)
    monkeypatch.setattr(code_data, "HUMANEVAL_PLUS_RELEASE", f"file://{tmp_path}/releases/{{version}}/HumanEvalPlus.jsonl.gz")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("LM_EVAL_PASSK_DATA_DIR", raising=False)
    return served


def test_release_file_is_downloaded_once_and_read(release_server, tmp_path):
    rows = code_data.humaneval_plus_rows({})
    assert rows and all({"base_input", "plus_input"} <= row.keys() for row in rows.values())
    assert (tmp_path / "cache" / "lm_eval_passk" / "HumanEvalPlus-v0.1.10.jsonl.gz").is_file()
    release_server.unlink()  # a second run needs no network
    assert code_data.humaneval_plus_rows({}).keys() == rows.keys()


def test_failed_download_is_one_clear_error(release_server):
    with pytest.raises(PassKConfigError, match=r"cannot download .*v0\.1\.9.*set LM_EVAL_PASSK_DATA_DIR"):
        code_data.humaneval_plus_rows({"evalplus_version": "v0.1.9"})
