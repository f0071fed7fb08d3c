"""A hostile corpus through the real executor (worker pool, sandboxed children),
interleaved with honest programs. The problem: ``f()`` must return 42. Each
hostile program attacks, then returns 42 (or the stolen value), so it passes only
if the attack went through. Every one must fail, nothing outside may change, the
harness lives on, and the honest programs keep their verdicts."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from sandbox_fixtures import answer_key, host_sockets, isolation  # noqa: F401 - fixtures

from lm_eval_passk.code.grading import grade_programs
from lm_eval_passk.code.sandbox import Limits
from lm_eval_passk.code.sandbox.isolation import CHILD
from lm_eval_passk.code.suites import Suite

SECRET = "passk-secret-7f3a"


@pytest.fixture
def canary():
    """A folder outside /tmp that a program can see but must not change."""
    folder = Path.home() / ".cache" / f"passk-canary-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "keep.txt").write_text("keep")
    yield folder
    for path in sorted(folder.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    folder.rmdir()


@pytest.fixture
def listener():
    """A TCP server on the harness's loopback that counts connections."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


HONEST = "def f():\n    return 42\n"


def hostile_corpus(canary: Path, port: int, unix_socket: str, answer_thief: str) -> dict[str, str]:
    return {
        "fork bomb": "import os\ndef f():\n    while True:\n        os.fork()\n",
        "fork bomb that swallows errors": (
            "import os\ndef f():\n    while True:\n        try:\n            os.fork()\n"
            "        except OSError:\n            pass\n"),
        "rm -rf of the home folder": f"import shutil\ndef f():\n    shutil.rmtree({str(canary)!r})\n    return 42\n",
        "rm -rf ~": "import os, shutil\ndef f():\n    shutil.rmtree(os.path.expanduser('~'))\n    return 42\n",
        "socket to the harness": (
            f"import socket\ndef f():\n    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n    return 42\n"),
        "socket to a host unix socket": (
            f"import socket\ndef f():\n    socket.socket(socket.AF_UNIX).connect({unix_socket!r})\n    return 42\n"),
        "answer key of the data mirror": answer_thief,
        "socket to the internet": "import socket\ndef f():\n    socket.create_connection(('1.1.1.1', 53), timeout=2)\n    return 42\n",
        "allocate 10 GB": "def f():\n    x = bytearray(10 * 2**30)\n    return 42\n",
        "print forever": "def f():\n    while True:\n        print('spam' * 100)\n",
        "sleep forever": "import time\ndef f():\n    time.sleep(10**6)\n    return 42\n",
        "detached sleeper": (
            "import os, time\ndef f():\n    if os.fork() == 0:\n        os.setsid()\n        time.sleep(10**6)\n"
            "    time.sleep(10**6)\n"),
        "os._exit": "import os\ndef f():\n    os._exit(0)\n",
        "SIGKILL to itself": "import os, signal\ndef f():\n    os.kill(os.getpid(), signal.SIGKILL)\n",
        "sys.exit(0) before the tests": "import sys\nsys.exit(0)\ndef f():\n    return 42\n",
        "monkey-patched builtins": (
            "import builtins, math, operator\nbuiltins.isinstance = lambda *a: True\nbuiltins.len = lambda x: 0\n"
            "builtins.type = lambda *a: int\nmath.isclose = lambda *a, **k: True\noperator.eq = lambda a, b: True\n"
            "def f():\n    return 41\n"),
        "object equal to everything": (
            "class Anything:\n    def __eq__(self, other):\n        return True\ndef f():\n    return Anything()\n"),
        "int subclass equal to everything": (
            "class Liar(int):\n    def __eq__(self, other):\n        return True\ndef f():\n    return Liar(41)\n"),
        "reading environment variables": "import os\ndef f():\n    return os.environ.get('PASSK_TEST_SECRET')\n",
        "writing outside its folder": (
            f"def f():\n    open({str(canary / 'escaped.txt')!r}, 'w').write('x')\n    return 42\n"),
        "writing to the harness /tmp": (
            "import tempfile, os\ndef f():\n    open(os.path.join(tempfile.gettempdir(), '..', 'tmp', 'passk-escape'), 'w')\n"
            "    open('/var/tmp/passk-escape', 'w').write('x')\n    return 42\n"),
    }


def sandbox_processes() -> list[int]:
    """Processes under a sandbox uid started by this checkout: its child script is on
    their command line or an ancestor's (other checkouts' sandboxes share the uids)."""
    return [int(p) for p in os.listdir("/proc")
            if p.isdigit() and _uid(p) in range(200_000, 250_000) and _started_here(p)]


def _started_here(pid: str) -> bool:
    script = str(CHILD).encode()
    for _ in range(64):
        try:
            if script in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
            pid = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
        except OSError:
            return False
        if pid in ("0", "1"):
            return False
    return False


def outliving(pids: list[int], wait_s: float = 15.0) -> list[int]:
    """The pids still alive after ``wait_s``."""
    deadline = time.monotonic() + wait_s
    while pids and time.monotonic() < deadline:
        time.sleep(0.5)
        pids = [p for p in pids if _uid(str(p)) is not None]
    return pids


def _uid(pid: str) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


def test_hostile_programs_fail_and_change_nothing(isolation, canary, listener, host_sockets, answer_key,
                                                  monkeypatch):
    port, accepted = listener
    unix_socket, _, unix_accepted = host_sockets
    monkeypatch.setenv("PASSK_TEST_SECRET", SECRET)
    corpus = hostile_corpus(canary, port, unix_socket, answer_key.thief)
    suite = Suite(rules="lcb", mode="call", entry="f", prefix="", inputs=[[]], expected=[42], time_limits=[2.0])
    env_suite = Suite(rules="lcb", mode="call", entry="f", prefix="", inputs=[[]], expected=[SECRET], time_limits=[2.0])
    programs = []
    for name, code in corpus.items():
        key = "env" if name == "reading environment variables" else "p"
        programs += [(key, code), ("p", HONEST + f"# before {name}\n")]
    start = time.monotonic()
    verdicts = grade_programs({"p": suite, "env": env_suite}, programs, limits=Limits(memory_mb=1024),
                              isolation=isolation, workers=2)
    elapsed = time.monotonic() - start

    names = [n for name in corpus for n in (name, "honest")]
    by_name = {name: v for name, v in zip(names, verdicts) if name != "honest"}
    assert {name: v.verdict for name, v in by_name.items() if v.verdict == "pass"} == {}
    assert [v.verdict for name, v in zip(names, verdicts) if name == "honest"] == ["pass"] * len(corpus)
    assert by_name["allocate 10 GB"].verdict == "memory"
    assert by_name["sleep forever"].verdict == "timeout"
    assert by_name["print forever"].verdict == "timeout"
    assert by_name["monkey-patched builtins"].verdict == "wrong_answer"
    assert by_name["reading environment variables"].verdict == "wrong_answer"
    assert by_name["sys.exit(0) before the tests"].verdict == "runtime_error"
    assert by_name["os._exit"].verdict == "runtime_error"
    assert by_name["SIGKILL to itself"].verdict == "runtime_error"  # not "memory": no memory ran out
    assert elapsed < 120
    # nothing outside changed, nothing reached the harness, nothing lives on
    assert sorted(p.name for p in canary.iterdir()) == ["keep.txt"]
    assert (canary / "keep.txt").read_text() == "keep"
    assert not Path("/var/tmp/passk-escape").exists() and not Path("/tmp/passk-escape").exists()
    assert accepted == [] and unix_accepted == []
    assert outliving(sandbox_processes()) == []


def test_printing_forever_on_stdout_hits_the_output_limit(isolation):
    suite = Suite(rules="lcb", mode="stdio", entry=None, prefix="", inputs=["\n"], expected=["1\n"],
                  time_limits=[20.0])
    (verdict,) = grade_programs({"p": suite}, [("p", "while True:\n    print('x' * 4096)\n")],
                                limits=Limits(file_size_mb=1), isolation=isolation)
    assert verdict.verdict == "violation"
    assert "size limit" in verdict.error
