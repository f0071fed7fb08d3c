"""What a sandboxed program sees of the host: the interpreter, its packages and the
system's shared libraries, read-only; an empty private /tmp; nothing else. Each
program reports what it found, through the real runner (bubblewrap)."""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

from sandbox_fixtures import answer_key, host_sockets, isolation  # noqa: F401 - fixtures

from lm_eval_passk.code.sandbox import Limits, run_program
from lm_eval_passk.code.sandbox import isolation as isolation_module

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def run(source: str, isolation, entry: str = "f"):
    outcome = run_program(source, [[]], mode="call", entry=entry, time_limits=[20], load_s=30, limits=Limits(),
                          isolation=isolation)
    assert outcome.status == "completed", outcome.error
    return outcome.outputs[0]


LOOK_AROUND = """
import os
def listing(path):
    try:
        return sorted(os.listdir(path))
    except OSError as err:
        return type(err).__name__
def f():
    return {"/": listing("/"), "/usr": listing("/usr"), "/sandbox": listing("/sandbox"),
            "cwd": os.getcwd(), "working folder": listing("."), "home": os.path.expanduser("~"),
            **{path: listing(path) for path in ("/etc", "/root", "/home", "/var", "/run", "/work")}}
"""


def test_the_root_shows_only_what_was_bound(isolation):
    seen = run(LOOK_AROUND, isolation)
    # the dynamic loader's folders, as the host has them (folders or links to usr/)
    libraries = [name for name in ("lib", "lib32", "lib64") if os.path.lexists(f"/{name}")]
    assert seen["/"] == sorted(["dev", "proc", "tmp", "usr", "sandbox", *libraries])
    assert seen["/usr"] == sorted(n for n in ("lib", "lib32", "lib64") if os.path.lexists(f"/usr/{n}"))
    packages = [f"site{i}" for i in range(len(isolation_module.site_paths()))]
    assert seen["/sandbox"] == sorted(["python", "_child.py", *packages])
    assert seen["cwd"] == seen["home"] == "/tmp" and seen["working folder"] == []
    for path in ("/etc", "/root", "/home", "/var", "/run", "/work"):
        assert seen[path] == "FileNotFoundError", path


def test_host_unix_sockets_are_out_of_reach(isolation, host_sockets):
    path, abstract, accepted = host_sockets
    program = (
        "import socket\n"
        "def f():\n"
        "    tried = []\n"
        f"    for address in ({path!r}, {abstract!r}):\n"
        "        try:\n"
        "            socket.socket(socket.AF_UNIX).connect(address)\n"
        "            tried.append('connected')\n"
        "        except OSError as err:\n"
        "            tried.append(type(err).__name__)\n"
        "    return tried\n"
    )
    assert run(program, isolation) == ["FileNotFoundError", "ConnectionRefusedError"]
    assert accepted == []


def test_the_answer_key_is_out_of_reach(isolation, answer_key):
    # the mirror named by LM_EVAL_PASSK_DATA_DIR, the real one beside this checkout, the download cache
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "lm_eval_passk"
    program = (
        "import glob\n"
        "def f():\n"
        f"    return [glob.glob(folder + '/**/*.jsonl*', recursive=True) for folder in "
        f"{[str(answer_key.folder), str(SHARED_DATA), str(cache)]!r}]\n"
    )
    assert run(program, isolation) == [[], [], []]
    assert run(answer_key.thief, isolation) is None
    real_key = SHARED_DATA / "humaneval_plus" / "HumanEvalPlus-v0.1.9.jsonl.gz"
    if real_key.is_file():  # readable by every user on the host: the sandbox must still hide it
        assert os.stat(real_key).st_mode & 0o004
        count = f"import gzip\ndef f():\n    return len(gzip.open({str(real_key)!r}, 'rt').readlines())\n"
        outcome = run_program(count, [[]], mode="call", entry="f", time_limits=[20], load_s=30, limits=Limits(),
                              isolation=isolation)
        assert outcome.status == "runtime_error" and "FileNotFoundError" in outcome.error


def test_installed_packages_import_and_the_standard_library_works(isolation):
    program = (
        "import numpy, sqlite3, ssl, decimal, zlib, lzma, bz2, hashlib, multiprocessing, json, tempfile\n"
        "def f():\n"
        "    with tempfile.TemporaryDirectory() as folder:\n"
        "        path = folder + '/x.db'\n"
        "        db = sqlite3.connect(path)\n"
        "        db.execute('create table t (x)')\n"
        "        db.execute('insert into t values (41)')\n"
        "        (stored,) = db.execute('select x + 1 from t').fetchone()\n"
        "    return [round(numpy.linalg.det(numpy.eye(3) * 2)), stored, hashlib.sha256(b'').hexdigest()[:8]]\n"
    )
    assert run(program, isolation) == [8, 42, "e3b0c442"]


def test_a_private_folder_inside_a_bound_package_folder_is_hidden(isolation, monkeypatch, tmp_path):
    """A package folder that holds the data mirror (an odd layout, but a possible one)
    is shown with the mirror emptied; its modules still import."""
    packages = tmp_path / "site-packages"
    (packages / "mirror" / "humaneval_plus").mkdir(parents=True)
    (packages / "helper_module.py").write_text("VALUE = 42\n")
    with gzip.open(packages / "mirror" / "humaneval_plus" / "HumanEvalPlus-v0.1.9.jsonl.gz", "wt") as f:
        f.write(json.dumps({"task_id": "HumanEval/0"}) + "\n")
    for path in [packages, *packages.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    monkeypatch.setattr(isolation_module, "site_paths", lambda: [str(packages)])
    monkeypatch.setenv("LM_EVAL_PASSK_DATA_DIR", str(packages / "mirror"))
    program = (
        "import os, helper_module\n"
        "def f():\n"
        "    return [helper_module.VALUE, sorted(os.listdir('/sandbox/site0')), os.listdir('/sandbox/site0/mirror')]\n"
    )
    assert run(program, isolation) == [42, ["helper_module.py", "mirror"], []]
    assert sys.modules.get("helper_module") is None  # it ran in the sandbox only
