"""Run a pure function over many inputs in worker subprocesses, each call under a
hard time limit: a call that overruns has its worker killed and replaced and scores
the fallback value. Workers are plain ``python -m`` subprocesses speaking JSON lines,
so this works from any thread, under any start method, and from unguarded scripts.

Run as ``python -m lm_eval_passk.grading.pool module:function`` it is the worker.
"""

from __future__ import annotations

import importlib
import json
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class _Worker:
    def __init__(self, target: str):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")])))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", __name__, target],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1,
        )
        self.job: int | None = None
        self.deadline = 0.0

    def send(self, index: int, arg: Any, timeout_s: float) -> None:
        self.job = index
        self.deadline = time.monotonic() + timeout_s
        self.proc.stdin.write(json.dumps([index, arg]) + "\n")
        self.proc.stdin.flush()

    def close(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


def map_with_timeout(
    target: str,
    args: Sequence[Any],
    *,
    timeout_s: float,
    fallback: Any,
    workers: int | None = None,
    desc: str | None = None,
) -> tuple[list[Any], int]:
    """``[f(a) for a in args]`` for ``f`` named by ``target`` ("module:function"), in
    parallel. ``args`` and results must be JSON values.

    Returns the results and how many calls timed out, raised or killed their worker
    (those get ``fallback``).
    """
    if not args:
        return [], 0
    workers = max(1, min(workers or os.cpu_count() or 1, len(args)))
    results: list[Any] = [fallback] * len(args)
    failures = 0
    todo = iter(range(len(args)))
    selector = selectors.DefaultSelector()
    bar = tqdm(total=len(args), desc=desc, disable=desc is None)

    def start_worker() -> None:
        w = _Worker(target)
        selector.register(w.proc.stdout, selectors.EVENT_READ, w)
        feed(w)

    def feed(w: _Worker) -> None:
        index = next(todo, None)
        if index is None:
            selector.unregister(w.proc.stdout)
            w.close()
        else:
            w.send(index, args[index], timeout_s)

    def retire(w: _Worker) -> None:
        selector.unregister(w.proc.stdout)
        w.close(kill=True)
        start_worker()

    try:
        for _ in range(workers):
            start_worker()
        while selector.get_map():
            busy = [key.data for key in selector.get_map().values()]
            wait_s = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            for key, _ in selector.select(timeout=wait_s):
                w = key.data
                line = w.proc.stdout.readline()
                bar.update()
                if not line:  # the worker died (out of memory, killed)
                    failures += 1
                    retire(w)
                    continue
                index, ok, value = json.loads(line)
                if ok:
                    results[index] = value
                else:
                    failures += 1
                feed(w)
            now = time.monotonic()
            for key in list(selector.get_map().values()):
                if key.data.deadline <= now:
                    failures += 1
                    bar.update()
                    retire(key.data)
    finally:
        for key in list(selector.get_map().values()):
            selector.unregister(key.fileobj)
            key.data.close(kill=True)
        bar.close()
    return results, failures


def _serve(target: str) -> None:
    module, _, name = target.partition(":")
    fn = getattr(importlib.import_module(module), name)
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the protocol
    for line in sys.stdin:
        index, arg = json.loads(line)
        try:
            reply = [index, True, fn(arg)]
        except Exception as err:  # noqa: BLE001 - one bad input must not end the worker
            reply = [index, False, repr(err)]
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


if __name__ == "__main__":
    _serve(sys.argv[1])
