"""Run one untrusted Python program on a list of inputs, in its own sandboxed
process, and report what it did. Knows nothing of benchmarks: the caller says how
to run the program (``call`` an entry point / run it on ``stdio``) and judges
each output through ``accept``, which can stop the program at the first failure.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .isolation import Isolation, command, native_fallbacks, preferred
from .wire import FrameReader, ProtocolError, loads_data

_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "TMPDIR": "/tmp",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 4096
    """Address space of the program (RLIMIT_AS)."""
    processes: int = 64
    """Processes and threads the program may have at once (RLIMIT_NPROC)."""
    open_files: int = 128
    file_size_mb: int = 32
    """Largest file, and largest stdout of a stdio program (RLIMIT_FSIZE)."""
    scratch_mb: int = 64
    """Size of the private /tmp (bubblewrap only)."""


_ERROR_STATUS = {"MemoryError": "memory", "OutputLimitExceeded": "violation"}

UNREPRESENTABLE = object()
"""Stands for an output that is not plain data (it equals nothing)."""


@dataclass
class Outcome:
    status: str
    """completed | stopped (``accept`` refused an output) | timeout | memory
    (MemoryError, or killed by the out-of-memory killer) | runtime_error | load_error |
    violation (output limit, corrupt protocol)."""
    outputs: list[Any] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    error: str | None = None


_PROBE = """
import socket
def probe():
    return sorted(name for _, name in socket.if_nameindex())
"""


def detect() -> Isolation:
    """The strongest isolation that runs a program here (probed, about 0.1 s each)."""
    bwrap = preferred()
    missing = "bubblewrap is not installed"
    if bwrap:
        found = _probe(bwrap)
        if isinstance(found, Isolation):
            return found
        missing = f"{bwrap.bwrap} cannot start Python here ({found})"
    for isolation in native_fallbacks(missing):
        found = _probe(isolation)
        if isinstance(found, Isolation):
            return found
    raise RuntimeError(f"cannot start a sandboxed Python here: {found}")


def _probe(isolation: Isolation) -> Isolation | str:
    """``isolation`` if it runs a program (with a warning added if the program can
    reach the network), else why not."""
    outcome = run_program(_PROBE, [[]], mode="call", entry="probe", time_limits=[10], load_s=30,
                          limits=Limits(), isolation=isolation)
    if outcome.status != "completed":
        return outcome.error or outcome.status
    if outcome.outputs[0] != ["lo"]:  # a private network namespace has loopback only
        return Isolation(isolation.bwrap, isolation.drop_root, (
            *isolation.warnings, "the kernel refused a private network namespace: programs can reach the network"))
    return isolation


def run_program(
    source: str,
    inputs: Sequence[Any],
    *,
    mode: str,
    entry: str | None = None,
    time_limits: Sequence[float],
    load_s: float,
    limits: Limits,
    isolation: Isolation,
    total_s: float | None = None,
    accept: Callable[[int, Any], bool] = lambda i, out: True,
) -> Outcome:
    """Run ``source`` on each input in order (``inputs[i]`` is an argument list in
    ``call`` mode, stdin text in ``stdio`` mode) with ``time_limits[i]`` wall seconds
    per test after ``load_s`` seconds to start and load, and ``total_s`` for all."""
    argv, packages = command(isolation, limits.scratch_mb)
    uid = isolation.sandbox_uid()
    read_fd, write_fd = os.pipe()
    config = {
        "mode": mode, "entry": entry, "results_fd": write_fd, "sys_path": packages,
        "isolate_network": isolation.bwrap is None, "uid": uid if isolation.bwrap else None,
        "parent_pid": None if isolation.bwrap else os.getpid(),
        "memory_bytes": limits.memory_mb << 20, "open_files": limits.open_files,
        "file_size_bytes": limits.file_size_mb << 20, "processes": limits.processes,
        "cpu_seconds": int(total_s if total_s is not None else load_s + sum(time_limits)) + 1,
    }
    job = json.dumps({"config": config, "source": source, "inputs": list(inputs)}).encode()
    popen_uid = None if isolation.bwrap else uid  # under bubblewrap the child drops root itself
    with tempfile.TemporaryDirectory(prefix="passk-sandbox-") as workdir:
        if isolation.bwrap:
            env = _ENV
        else:  # the throwaway directory is the program's home
            env = {**_ENV, "HOME": workdir, "TMPDIR": workdir}
            if uid is not None:
                os.chown(workdir, uid, uid)
        oom_kills = _oom_kills()
        try:
            proc = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                pass_fds=(write_fd,), cwd=workdir, env=env, start_new_session=True,
                user=popen_uid, group=popen_uid, extra_groups=[] if popen_uid is not None else None,
            )
        except OSError as err:
            os.close(read_fd)
            return Outcome(status="runtime_error", error=f"cannot start the sandbox: {err}")
        finally:
            os.close(write_fd)
        try:
            total_s = total_s if total_s is not None else load_s + sum(time_limits)
            return _supervise(proc, read_fd, job, time_limits, load_s, total_s, accept, oom_kills)
        finally:
            _kill(proc, uid if isolation.bwrap is None else None)
            os.close(read_fd)


def _supervise(proc, read_fd, job, time_limits, load_s, total_s, accept, oom_kills) -> Outcome:
    outcome = Outcome(status="runtime_error")
    try:
        proc.stdin.write(job)
        proc.stdin.close()
    except BrokenPipeError:
        pass  # it died at start: the exit status below says why
    frames = FrameReader()
    selector = selectors.DefaultSelector()
    selector.register(read_fd, selectors.EVENT_READ)
    stderr_fd = proc.stderr.fileno()
    selector.register(stderr_fd, selectors.EVENT_READ)
    stderr_tail = b""
    started = time.monotonic()
    deadline = started + load_s
    loaded, tests = False, 0
    while True:
        wait_s = min(deadline, started + total_s) - time.monotonic()
        if wait_s <= 0:
            outcome.status, outcome.error = "timeout", f"no result within the limit (test {tests})"
            return outcome
        for key, _ in selector.select(timeout=wait_s):
            chunk = os.read(key.fd, 1 << 20)
            if key.fd == stderr_fd:
                stderr_tail = (stderr_tail + chunk)[-2000:]
                if not chunk:
                    selector.unregister(stderr_fd)
                continue
            if not chunk:
                return _ended_early(proc, outcome, loaded, tests, stderr_tail, oom_kills)
            try:
                arrived = list(frames.feed(chunk))
            except ProtocolError as err:
                outcome.status, outcome.error = "violation", f"corrupt result channel: {err}"
                return outcome
            for kind, payload in arrived:
                if kind == b"R" and loaded and tests < len(time_limits):
                    seconds, value = _decode_result(payload)
                    outcome.outputs.append(value)
                    outcome.seconds.append(seconds)
                    if not accept(tests, value):
                        outcome.status = "stopped"
                        return outcome
                    tests += 1
                elif kind == b"S" and not loaded:
                    loaded = True
                elif kind in (b"L", b"E") and loaded == (kind == b"E"):
                    seconds, error, message = _decode_error(payload, timed=kind == b"E")
                    if kind == b"E":
                        outcome.seconds.append(seconds)
                    outcome.status = _ERROR_STATUS.get(error, "runtime_error" if kind == b"E" else "load_error")
                    outcome.error = f"{error}: {message}"
                    return outcome
                else:
                    outcome.status, outcome.error = "violation", f"unexpected frame {kind!r} from the program"
                    return outcome
                if tests == len(time_limits):
                    outcome.status = "completed"
                    return outcome
                deadline = time.monotonic() + time_limits[tests]


def _decode_error(payload: bytes, timed: bool) -> tuple[float, str, str]:
    """(seconds, exception type, message) of an E frame, or (0, type, message) of an L frame."""
    try:
        body = loads_data(payload)
        seconds, error, message = body if timed else (0.0, *body)
        return float(seconds), str(error), str(message)
    except Exception:  # noqa: BLE001 - forged by the program
        return 0.0, "CorruptError", "unreadable error report"


def _decode_result(payload: bytes) -> tuple[float, Any]:
    """(seconds, output) of an R frame; an output that is not plain data is
    ``UNREPRESENTABLE`` (a wrong answer, not a broken channel)."""
    try:
        seconds, value = loads_data(payload)
    except Exception:  # noqa: BLE001
        return 0.0, UNREPRESENTABLE
    return float(seconds), value


def _ended_early(proc, outcome: Outcome, loaded: bool, tests: int, stderr_tail: bytes,
                 oom_kills: int | None) -> Outcome:
    """The result channel closed before the last test: say why from the exit status
    (and, for SIGKILL, from whether the kernel's out-of-memory killer acted meanwhile:
    a program may kill itself too)."""
    try:
        code = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        code = None
    signum = -code if code is not None and code < 0 else (code - 128 if code and code > 128 else None)
    if signum == signal.SIGXFSZ:
        outcome.status, outcome.error = "violation", "output or file over the size limit"
    elif signum == signal.SIGXCPU:
        outcome.status, outcome.error = "timeout", "CPU time limit"
    elif signum == signal.SIGKILL and oom_kills is not None and (_oom_kills() or 0) > oom_kills:
        outcome.status, outcome.error = "memory", "killed by the kernel's out-of-memory killer"
    elif signum == signal.SIGKILL:
        outcome.status = "runtime_error"
        outcome.error = ("killed by SIGKILL, not by the out-of-memory killer (by the program itself, or at the "
                         "CPU-time limit if it ignored SIGXCPU)" if oom_kills is not None else
                         "killed by SIGKILL (this system does not say whether it ran out of memory)")
    else:
        where = f"during test {tests}" if loaded else "before its tests ran"
        detail = stderr_tail.decode(errors="replace").strip()[-300:]
        outcome.status = "runtime_error"
        outcome.error = f"the program exited {where} (exit status {code})" + (f": {detail}" if detail else "")
    return outcome


def _oom_kills() -> int | None:
    """How many processes the kernel's out-of-memory killer has ended on this machine
    (/proc/vmstat, Linux 4.13+), or None where it does not say."""
    try:
        with open("/proc/vmstat") as f:
            for line in f:
                if line.startswith("oom_kill "):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _kill(proc: subprocess.Popen, stray_uid: int | None) -> None:
    """SIGKILL the sandbox's process group (with bubblewrap: its whole PID
    namespace), and in the native root mode every process left with its uid."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    proc.stderr.close()
    if stray_uid is not None:
        for _ in range(3):  # a fork loop may still be spawning while we look
            strays = [int(p) for p in os.listdir("/proc") if p.isdigit() and _owner(p) == stray_uid]
            for pid in strays:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if not strays:
                break


def _owner(pid: str) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None
