"""Sandbox fixtures (imported by the sandbox tests): the isolation this machine
gives, and things of the host a program must not reach (a unix socket, an answer
key), placed where a program that saw the whole file system would find them
(/var/tmp, readable by every user)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from lm_eval_passk.code.sandbox import detect

ANSWER_KEY_ROW = {"task_id": "HumanEval/0", "prompt": "def f():\n", "canonical_solution": "    return 42\n",
                  "entry_point": "f"}


@pytest.fixture(scope="session")
def isolation():
    found = detect()
    if found.bwrap is None:
        pytest.skip("bubblewrap is not installed: these tests need the full sandbox")
    return found


def _shared_folder(prefix: str) -> Path:
    """A fresh folder every user may enter, outside /tmp (which no sandbox shares)."""
    base = "/var/tmp" if os.access("/var/tmp", os.W_OK) else str(Path.home())
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    folder.chmod(0o755)
    return folder


def _serve(server: socket.socket, accepted: list, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            accepted.append(server.accept()[0])
        except OSError:
            continue


@pytest.fixture
def host_sockets():
    """A unix socket file any user may connect to (mode 0666, like the D-Bus system
    bus) and an abstract-namespace one; yields (path, abstract name, connections)."""
    folder = _shared_folder("passk-socket-")
    path = str(folder / "bus")
    abstract = f"\0passk-test-{os.getpid()}"
    servers, accepted, stop = [], [], threading.Event()
    for address in (path, abstract):
        server = socket.socket(socket.AF_UNIX)
        server.bind(address)
        server.listen()
        server.settimeout(0.2)
        servers.append(server)
    os.chmod(path, 0o666)
    threads = [threading.Thread(target=_serve, args=(s, accepted, stop), daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    yield path, abstract, accepted
    stop.set()
    for thread in threads:
        thread.join()
    for server in servers:
        server.close()
    shutil.rmtree(folder)


@pytest.fixture
def answer_key(monkeypatch):
    """A data mirror readable by every user, named by LM_EVAL_PASSK_DATA_DIR as a real
    run would, holding a HumanEval+ release file whose canonical solution of ``f``
    returns 42; yields the folder and a program ``f`` that steals from it."""
    mirror = _shared_folder("passk-mirror-")
    (mirror / "humaneval_plus").mkdir(mode=0o755)
    key = mirror / "humaneval_plus" / "HumanEvalPlus-v0.1.9.jsonl.gz"
    with gzip.open(key, "wt") as f:
        f.write(json.dumps(ANSWER_KEY_ROW) + "\n")
    key.chmod(0o644)
    monkeypatch.setenv("LM_EVAL_PASSK_DATA_DIR", str(mirror))
    yield SimpleNamespace(folder=mirror, thief=_steal_answer(mirror))
    shutil.rmtree(mirror)


def _steal_answer(*folders: Path) -> str:
    """A program that globs ``folders`` for HumanEval+ release files and returns what
    the canonical solution of ``f`` returns (None when it finds no key)."""
    return (
        "import glob, gzip, json\n"
        "def f():\n"
        f"    for folder in {[str(f) for f in folders]!r}:\n"
        "        for path in glob.glob(folder + '/**/HumanEvalPlus-*.jsonl.gz', recursive=True):\n"
        "            for line in gzip.open(path, 'rt'):\n"
        "                row = json.loads(line)\n"
        "                if row['entry_point'] == 'f':\n"
        "                    namespace = {}\n"
        "                    exec(row['prompt'] + row['canonical_solution'], namespace)\n"
        "                    return namespace['f']()\n"
    )
