"""The grading pool: real worker subprocesses running standard-library functions, so
each behaviour (results in order, soft and hard timeouts, crashes, thread safety) is
checked against a target whose result and running time are known exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lm_eval_passk.pool import map_with_timeout


def test_results_come_back_in_input_order_across_workers_and_batches():
    args = [[n, 7] for n in range(50)]
    results, failures = map_with_timeout("operator:mod", args, timeout_s=10, fallback=None, workers=2, batch_size=3)
    assert results == [n % 7 for n in range(50)]
    assert failures == 0


def test_an_exception_scores_the_fallback_and_the_worker_carries_on():
    results, failures = map_with_timeout("math:sqrt", [[4], [-1], [9]], timeout_s=10, fallback="bad", workers=1)
    assert results == [2.0, "bad", 3.0]
    assert failures == 1


def test_a_slow_call_is_stopped_by_the_soft_limit_without_stalling_its_batch():
    # time.sleep returns to Python on a signal, so the in-worker timer (0.8 x 1.5 s) ends it.
    start = time.monotonic()
    results, failures = map_with_timeout(
        "time:sleep", [[0], [60], [0]], timeout_s=1.5, fallback="late", workers=1, batch_size=3
    )
    assert results == [None, "late", None]
    assert failures == 1
    assert time.monotonic() - start < 20


def test_a_call_stuck_in_c_code_is_killed_and_the_rest_of_its_batch_is_still_graded():
    # 10 ** 10**9 is one long C computation: no signal handler runs until it ends,
    # so only the pool's hard kill can stop it.
    start = time.monotonic()
    results, failures = map_with_timeout(
        "builtins:pow", [[2, 3], [10, 10**9], [3, 2], [5, 2]], timeout_s=2, fallback=-1, workers=1, batch_size=4
    )
    assert results == [8, -1, 9, 25]
    assert failures == 1
    assert time.monotonic() - start < 30


def test_a_worker_that_dies_costs_only_its_current_call():
    # Signal 28 (SIGWINCH) is ignored by default; 9 (SIGKILL) kills the worker.
    results, failures = map_with_timeout(
        "signal:raise_signal", [[28], [9], [28], [28]], timeout_s=10, fallback="died", workers=1, batch_size=4
    )
    assert results == [None, "died", None, None]
    assert failures == 1


def test_timeouts_work_off_the_main_thread():
    outcome = {}

    def run():
        outcome["value"] = map_with_timeout("time:sleep", [[60], [0]], timeout_s=1, fallback="late", workers=2)

    thread = threading.Thread(target=run)
    start = time.monotonic()
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert outcome["value"] == (["late", None], 1)
    assert time.monotonic() - start < 30


def test_a_target_that_cannot_be_imported_is_an_error_not_silent_zeros():
    with pytest.raises(RuntimeError, match="failed to start"):
        map_with_timeout("no_such_module_here:f", [[1]], timeout_s=5, fallback=None, workers=1)


def test_no_inputs_start_no_workers():
    assert map_with_timeout("no_such_module_here:f", [], timeout_s=5, fallback=None) == ([], 0)


# A target that marks the moment its call starts, then sleeps through it.
SLOW_TARGET = """
import time
from pathlib import Path
def mark_then_sleep(marker, seconds):
    Path(marker).touch()
    time.sleep(seconds)
"""


def _state(pid: int) -> str | None:
    """The process state letter (Z: a zombie, dead but not reaped), None when gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            if int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_die_at_once_with_a_killed_run(tmp_path):
    (tmp_path / "slow_target.py").write_text(SLOW_TARGET)
    markers = [str(tmp_path / f"started-{i}") for i in range(2)]
    run = (
        "from lm_eval_passk.pool import map_with_timeout\n"
        f"map_with_timeout('slow_target:mark_then_sleep', [[m, 60] for m in {markers!r}], timeout_s=120, "
        "fallback=None, workers=2, batch_size=1)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-c", run], env=env)
    deadline = time.monotonic() + 60
    while not all(Path(m).exists() for m in markers):  # both workers are in the middle of a call
        assert proc.poll() is None and time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.1)
    workers = _children(proc.pid)
    assert len(workers) == 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while any(_state(w) not in (None, "Z") for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [w for w in workers if _state(w) not in (None, "Z")] == []
