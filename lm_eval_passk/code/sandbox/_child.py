"""The first code to run inside a sandbox, before the untrusted program (standard
library only: it starts as ``python -I -S`` with nothing of ours importable).

It reads one job from stdin (JSON: config, source, inputs), closes every way back
except the result pipe, applies the resource limits, then runs the program:

* ``call``: exec the source once, then call the entry point (``name`` or
  ``Class.method``) on each input's arguments;
* ``stdio``: for each input, run the source as ``__main__`` with that input on fd 0
  and fd 1 captured.

Each test sends one frame ``kind(1 byte) | length(4 bytes) | pickle`` on the result pipe:
``S`` program loaded, ``R`` (seconds, output), ``E`` (seconds, exception type,
message) and it stops; ``L`` (exception type, message) the program did not load.
The parent decides verdicts; nothing here is trusted after the program starts.
"""

import builtins
import ctypes
import io
import json
import os
import pickle
import resource
import struct
import sys
import time

_CLONE_NEWNET, _CLONE_NEWUSER, _CLONE_NEWIPC = 0x40000000, 0x10000000, 0x08000000
_PR_SET_PDEATHSIG, _SIGKILL = 1, 9
_MESSAGE_CHARS = 500
_EFBIG = 27
_results_fd = -1  # the pipe to the parent, named in the job
_ATOMS = (bool, int, float, complex, str, bytes)
_DEVNULL = os.open(os.devnull, os.O_RDWR)
# held here so that a program rebinding builtins or modules cannot break the channel
_write, _dumps, _perf, _pack, _len, _memoryview = os.write, pickle.dumps, time.perf_counter, struct.pack, len, memoryview


def send(kind, payload):
    data = _dumps(payload, protocol=5)
    frame = _memoryview(kind + _pack("<I", _len(data)) + data)
    while frame:
        frame = frame[_write(_results_fd, frame):]


def describe(err):
    if getattr(err, "errno", None) == _EFBIG:  # Python ignores SIGXFSZ: the write fails instead
        return "OutputLimitExceeded", "output or file over the size limit"
    return type(err).__name__, str(err)[:_MESSAGE_CHARS]


def isolate_network():
    """Native mode (no bubblewrap): a fresh user + network namespace, if the kernel allows."""
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET | _CLONE_NEWIPC) == 0


def die_with_parent(pid):
    """Native mode: be killed when the process that started us dies (bubblewrap's
    --die-with-parent does this otherwise). Set after the last change of credentials,
    which clears it."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, _SIGKILL)
    if os.getppid() != pid:  # it died before we asked
        os._exit(1)


def apply_limits(config):
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for name, key in (("RLIMIT_AS", "memory_bytes"), ("RLIMIT_NOFILE", "open_files"),
                      ("RLIMIT_FSIZE", "file_size_bytes"), ("RLIMIT_NPROC", "processes")):
        value = config[key]
        resource.setrlimit(getattr(resource, name), (value, value))
    cpu = config["cpu_seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def plain(value, depth=0):
    """Numbers and containers as built-in types, so the parent can unpickle them
    without importing anything (numpy scalars and arrays become Python values)."""
    if depth > 100:
        raise RecursionError("output nested too deeply")
    if value is None or type(value) in _ATOMS:
        return value
    for base in _ATOMS:  # subclasses (IntEnum, numpy.float64, ...) compare as their base
        if isinstance(value, base):
            return base(value)
    for base in (list, tuple, set, frozenset):  # namedtuple, ...
        if isinstance(value, base):
            return base(plain(v, depth + 1) for v in value)
    if isinstance(value, dict):  # Counter, defaultdict, ...
        return {plain(k, depth + 1): plain(v, depth + 1) for k, v in value.items()}
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        return plain(value.tolist(), depth + 1)
    return value  # anything else goes as pickled, and the parent refuses what is not data


def run_calls(namespace, entry, inputs):
    owner, _, method = entry.rpartition(".")  # "Class.method": called on one instance
    fn = getattr(namespace[owner](), method) if owner in namespace else namespace[method]
    send(b"S", None)
    for args in inputs:
        start = _perf()
        try:
            out = fn(*args)
        except BaseException as err:  # noqa: BLE001 - the program's failure is the verdict
            send(b"E", (_perf() - start, *describe(err)))
            return
        seconds = _perf() - start
        try:
            send(b"R", (seconds, plain(out)))
        except BaseException as err:  # noqa: BLE001
            send(b"E", (seconds, "UnrepresentableOutput", describe(err)[1]))
            return


def run_scripts(code, inputs):
    builtins.exit = builtins.quit = sys.exit  # as a judge's python has them (-S leaves them out)
    send(b"S", None)
    for text in inputs:
        stdin_fd = os.memfd_create("stdin")
        os.write(stdin_fd, text.encode())
        os.lseek(stdin_fd, 0, os.SEEK_SET)
        os.dup2(stdin_fd, 0)
        stdout_fd = os.memfd_create("stdout")
        os.dup2(stdout_fd, 1)
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), "utf-8")
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), "utf-8")
        start = _perf()
        error = None
        try:
            exec(code, {"__name__": "__main__", "__builtins__": builtins})
        except SystemExit:
            pass  # a judge accepts exit() once the answer is printed
        except BaseException as err:  # noqa: BLE001
            error = describe(err)
        try:
            sys.stdout.flush()
        except BaseException as err:  # noqa: BLE001
            error = error or describe(err)
        seconds = _perf() - start
        if error:
            send(b"E", (seconds, *error))
            return
        os.lseek(stdout_fd, 0, os.SEEK_SET)
        chunks = []
        while chunk := os.read(stdout_fd, 1 << 20):
            chunks.append(chunk)
        os.close(stdin_fd)
        os.close(stdout_fd)
        send(b"R", (seconds, b"".join(chunks).decode("utf-8", "replace")))


def drop_root(uid):
    """bubblewrap as root: leave root for good before the program runs."""
    os.chown(".", uid, uid)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def main():
    global _results_fd
    job = json.loads(sys.stdin.buffer.read())
    config = job["config"]
    _results_fd = config["results_fd"]
    for fd in (0, 1, 2):
        os.dup2(_DEVNULL, fd)
    if config["isolate_network"]:
        isolate_network()  # best effort: the parent probed it once and warned if it fails
    if config["uid"] is not None:
        drop_root(config["uid"])
    if config["parent_pid"] is not None:
        die_with_parent(config["parent_pid"])
    sys.path.extend(config["sys_path"])
    apply_limits(config)
    source, inputs = job["source"], job["inputs"]
    del job
    try:
        code = compile(source, "<program>", "exec")
        if config["mode"] == "stdio":
            run_scripts(code, inputs)
        else:
            namespace = {"__name__": "__program__", "__builtins__": builtins}
            exec(code, namespace)
            run_calls(namespace, config["entry"], inputs)
    except BaseException as err:  # noqa: BLE001 - the program failed to load
        send(b"L", describe(err))
    os._exit(0)


if __name__ == "__main__":
    main()
