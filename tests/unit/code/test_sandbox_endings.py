"""How a sandboxed program ends: a SIGKILL is labelled 'memory' only when the kernel's
out-of-memory killer sent it, and a program dies with the process that runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sandbox_fixtures import isolation  # noqa: F401 - fixture

from lm_eval_passk.code.sandbox import Limits, run_program
from lm_eval_passk.code.sandbox.isolation import native_fallbacks

# Runs one program (stdin: {"source", "isolation"}) and prints [status, error]; waits
# for its input first, so that the test can move it into a cgroup beforehand.
RUN_ONE = """
import json, sys
from lm_eval_passk.code.sandbox import Isolation, Limits, run_program
job = json.loads(sys.stdin.read())
outcome = run_program(job["source"], [[]], mode="call", entry="f", time_limits=[60], load_s=30,
                      limits=Limits(), isolation=Isolation(*job["isolation"]))
print(json.dumps([outcome.status, outcome.error]))
"""


def start_runner() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", RUN_ONE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)


def job(isolation, source: str) -> str:
    return json.dumps({"isolation": [isolation.bwrap, isolation.drop_root], "source": source})


def test_a_program_that_kills_itself_is_a_runtime_error_not_memory(isolation):
    source = "import os, signal\ndef f():\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    outcome = run_program(source, [[]], mode="call", entry="f", time_limits=[20], load_s=30, limits=Limits(),
                          isolation=isolation)
    assert (outcome.status, outcome.error.split(",")[0]) == ("runtime_error", "killed by SIGKILL")


@contextmanager
def memory_capped_cgroup(limit_bytes: int):
    """A new child of this process's memory cgroup (v1 or v2), capped at
    ``limit_bytes``; yields its process list file. Skips where that is not allowed."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        hierarchy, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            parent, limits = Path("/sys/fs/cgroup/memory") / path.lstrip("/"), ["memory.limit_in_bytes",
                                                                                 "memory.memsw.limit_in_bytes"]
            break
        if hierarchy == "0":
            parent, limits = Path("/sys/fs/cgroup") / path.lstrip("/"), ["memory.max", "memory.swap.max"]
    else:
        pytest.skip("no memory cgroup")
    group = parent / f"passk-oom-test-{os.getpid()}"
    try:
        group.mkdir()
    except OSError as err:
        pytest.skip(f"cannot make a memory cgroup here: {err}")
    try:
        for name in limits:
            if (group / name).exists():
                (group / name).write_text(str(limit_bytes))
        if not (group / limits[0]).exists():
            pytest.skip("the memory controller is not enabled for a child cgroup")
        yield group / "cgroup.procs"
    finally:
        group.rmdir()


def test_a_program_the_out_of_memory_killer_ends_is_labelled_memory(isolation):
    # 1 GiB touched, under the 4 GiB address-space limit but over the cgroup's 256 MiB:
    # no MemoryError, the kernel kills it.
    source = "def f():\n    block = b'x' * (1 << 30)\n    return len(block)\n"
    with memory_capped_cgroup(256 << 20) as procs:
        proc = start_runner()
        try:
            procs.write_text(str(proc.pid))
        except OSError as err:
            proc.kill()
            proc.wait()
            pytest.skip(f"cannot move a process into the cgroup: {err}")
        out, _ = proc.communicate(job(isolation, source), timeout=120)
    status, error = json.loads(out)
    assert (status, error) == ("memory", "killed by the kernel's out-of-memory killer")


def descendants(pid: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        try:
            parents[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (ValueError, OSError):
            continue
    found, frontier = [], [pid]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def runs(isolation) -> bool:
    return run_program("def f():\n    return 1\n", [[]], mode="call", entry="f", time_limits=[20], load_s=30,
                       limits=Limits(), isolation=isolation).outputs == [1]


@pytest.mark.parametrize("kind", ["bubblewrap", "native"])
def test_a_program_dies_at_once_with_the_process_that_runs_it(kind, isolation):
    chosen = isolation if kind == "bubblewrap" else next(i for i in native_fallbacks("test") if runs(i))
    proc = start_runner()
    proc.stdin.write(job(chosen, "import time\ndef f():\n    time.sleep(60)\n"))
    proc.stdin.close()
    deadline = time.monotonic() + 30
    while not any("_child.py" in cmdline(p) for p in descendants(proc.pid) if alive(p)):
        assert time.monotonic() < deadline, "the sandbox did not start"
        time.sleep(0.1)
    time.sleep(2)  # into its sleep
    family = descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(3)
    assert [p for p in family if alive(p)] == []
