"""Run a pure function over many inputs in worker subprocesses, each call under a
hard time limit: a call that overruns has its worker killed and replaced and scores
the fallback value. Workers are plain ``python -m`` subprocesses speaking JSON lines,
so this works from any thread, under any start method, and from unguarded scripts.

Inputs go to a worker in batches (one message per batch, one reply per call), so the
workers never wait on the parent; the clock of each call starts when the previous
reply of its worker arrives. Inside a worker a call also has a soft limit (a timer
signal, a little shorter than the hard one) that ends it without losing the worker.

Run as ``python -m lm_eval_passk.pool module:function soft_timeout_s parent_pid`` it
is the worker; it dies with its parent at once (Linux), even in the middle of a call.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import selectors
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])
_READY = "ready"
_SOFT_SHARE = 0.8  # of the hard limit; the rest is the kill's margin
_PR_SET_PDEATHSIG = 1


class _Worker:
    def __init__(self, target: str, soft_timeout_s: float):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")])))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", __name__, target, str(soft_timeout_s), str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1,
        )
        self.fd = self.proc.stdout.fileno()
        self.unread = b""
        self.ready = False
        self.pending: deque[int] = deque()  # sent, not yet answered, in order
        self.deadline = math.inf

    def send(self, batch: list[int], args: Sequence[Any], timeout_s: float) -> None:
        self.pending.extend(batch)
        self.deadline = time.monotonic() + timeout_s
        self.proc.stdin.write(json.dumps([[i, args[i]] for i in batch]) + "\n")
        self.proc.stdin.flush()

    def read_lines(self) -> list[str] | None:
        """The complete lines that have arrived (call when readable); None at end of output.
        Raw reads, because a buffered reader would hide lines from the selector."""
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            return None
        *lines, self.unread = (self.unread + chunk).split(b"\n")
        return [line.decode() for line in lines]

    def close(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


def map_with_timeout(
    target: str,
    args: Sequence[Sequence[Any]],
    *,
    timeout_s: float,
    fallback: Any,
    workers: int | None = None,
    desc: str | None = None,
    batch_size: int | None = None,
) -> tuple[list[Any], int]:
    """``[f(*a) for a in args]`` for ``f`` named by ``target`` ("module:function"), in
    parallel. Each ``a`` is a list of JSON values; results must be JSON values.
    Neighbouring inputs go to the same worker, so order them to share its caches.

    Returns the results and how many calls timed out, raised or killed their worker
    (those get ``fallback``).
    """
    if not args:
        return [], 0
    workers = max(1, min(workers or os.cpu_count() or 1, len(args)))
    batch_size = batch_size or max(1, min(64, len(args) // (workers * 8)))
    results: list[Any] = [fallback] * len(args)
    failures = 0
    todo: deque[int] = deque(range(len(args)))
    selector = selectors.DefaultSelector()
    bar = tqdm(total=len(args), desc=desc, disable=desc is None)

    def start_worker() -> None:
        w = _Worker(target, timeout_s * _SOFT_SHARE)
        selector.register(w.proc.stdout, selectors.EVENT_READ, w)

    def feed(w: _Worker) -> None:
        if not todo:
            selector.unregister(w.proc.stdout)
            w.close()
            return
        batch = [todo.popleft() for _ in range(min(batch_size, len(todo)))]
        w.send(batch, args, timeout_s)

    def replace(w: _Worker) -> None:
        """Kill ``w``: the call it is on (if any) failed for good; the rest of its
        batch goes back to the front of the queue."""
        nonlocal failures
        if w.pending:
            failures += 1
            bar.update()
            w.pending.popleft()
            todo.extendleft(reversed(w.pending))
        selector.unregister(w.proc.stdout)
        w.close(kill=True)
        if todo:
            start_worker()

    try:
        for _ in range(workers):
            start_worker()
        while selector.get_map():
            busy = [key.data for key in selector.get_map().values() if key.data.pending]
            wait_s = max(0.0, min((w.deadline for w in busy), default=math.inf) - time.monotonic())
            for key, _ in selector.select(timeout=None if wait_s == math.inf else wait_s):
                w = key.data
                lines = w.read_lines()
                if lines is None:
                    if not w.ready:
                        raise RuntimeError(f"a grading worker for {target} failed to start; see the error above")
                    replace(w)  # it died: out of memory, killed from outside
                    continue
                for line in lines:
                    if not w.ready:
                        w.ready = True
                        continue
                    index, ok, value = json.loads(line)
                    w.pending.popleft()
                    bar.update()
                    if ok:
                        results[index] = value
                    else:
                        failures += 1
                    w.deadline = time.monotonic() + timeout_s
                if w.ready and not w.pending:
                    feed(w)
            now = time.monotonic()
            for key in list(selector.get_map().values()):
                if key.data.pending and key.data.deadline <= now:
                    replace(key.data)
    finally:
        for key in list(selector.get_map().values()):
            selector.unregister(key.fileobj)
            key.data.close(kill=True)
        bar.close()
    return results, failures


class _SoftTimeout(BaseException):
    """Derives from BaseException so that library code's ``except Exception`` cannot swallow it."""


def _raise_soft_timeout(signum, frame):
    raise _SoftTimeout


def _die_with_parent(pid: int) -> None:
    """Be killed the moment the process that started us dies: a worker in a long call
    would otherwise outlive a killed run (and reading stdin it would see the end only
    after the call)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != pid:  # it died before we asked
        os._exit(1)


def _serve(target: str, soft_timeout_s: float) -> None:
    module, _, name = target.partition(":")
    fn = getattr(importlib.import_module(module), name)
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the protocol
    signal.signal(signal.SIGALRM, _raise_soft_timeout)
    protocol.write(_READY + "\n")
    protocol.flush()
    for line in sys.stdin:
        for index, arg in json.loads(line):
            try:
                signal.setitimer(signal.ITIMER_REAL, soft_timeout_s)
                reply = [index, True, fn(*arg)]
            except _SoftTimeout:
                reply = [index, False, "timeout"]
            except Exception as err:  # noqa: BLE001 - one bad input must not end the worker
                reply = [index, False, repr(err)]
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            protocol.write(json.dumps(reply) + "\n")
            protocol.flush()


if __name__ == "__main__":
    _die_with_parent(int(sys.argv[3]))
    _serve(sys.argv[1], float(sys.argv[2]))
