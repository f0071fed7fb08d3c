"""Which operating-system isolation this machine gives a sandboxed program, and
the command line that starts one.

Preferred: bubblewrap (``apt-get install bubblewrap``): every namespace (no
network, own process tree and /proc), the whole file system read-only except a
small private /tmp, and the sandbox dies with its parent. Without it the child
makes its own user + network namespace when the kernel allows, and relies on
rlimits. As root, programs run as an unprivileged uid either way (root is exempt
from RLIMIT_NPROC and may write anywhere). What is missing is said in
``warnings``, for the caller to print once.
"""

from __future__ import annotations

import os
import shutil
import site
import sys
from dataclasses import dataclass
from pathlib import Path

CHILD = Path(__file__).with_name("_child.py")
INSTALL_HINT = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap)"
_UID_BASE, _UID_SPAN = 200_000, 50_000  # sandbox uids: one per worker process
_MOUNTS = "/tmp/.passk"  # read-only views of the interpreter and packages, under the private /tmp


@dataclass(frozen=True)
class Isolation:
    bwrap: str | None
    """Path of ``bwrap``, or None for the native fallback."""
    drop_root: bool
    """Run programs as an unprivileged uid (we are root)."""
    warnings: tuple[str, ...] = ()
    """What this machine's sandbox cannot do, in words for the user."""

    def sandbox_uid(self) -> int | None:
        return _UID_BASE + os.getpid() % _UID_SPAN if self.drop_root else None


def site_paths() -> list[str]:
    """Where programs may import installed packages from (numpy, sortedcontainers...)."""
    paths = [*site.getsitepackages(), site.getusersitepackages()]
    return [p for p in dict.fromkeys(paths) if os.path.isdir(p)]


def command(isolation: Isolation, scratch_mb: int) -> tuple[list[str], list[str]]:
    """The argv that starts the child, and the package folders as the child sees them.

    Under bubblewrap the interpreter, the child script and the package folders are
    bound read-only under the private /tmp, so an unprivileged uid can run an
    interpreter that lives in a folder it could not enter (e.g. /root/.pyenv).
    """
    interpreter = Path(sys.executable).resolve()
    prefix = Path(sys.base_prefix).resolve()
    packages = site_paths()
    if not isolation.bwrap:
        return [str(interpreter), "-I", "-S", str(CHILD)], packages
    size = str(scratch_mb << 20)
    # As root: no user namespace (it would map the sandbox to uid 0, which RLIMIT_NPROC
    # exempts); the child drops to an unprivileged uid itself once the mounts are made.
    unshare = (["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
               if isolation.drop_root else ["--unshare-all", "--cap-drop", "ALL"])
    argv = [
        isolation.bwrap, *unshare, "--die-with-parent", "--new-session",
        "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
        "--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", "/dev/shm",
        "--perms", "0755", "--dir", _MOUNTS,
        "--ro-bind", str(prefix), f"{_MOUNTS}/python",
        "--ro-bind", str(CHILD.parent), f"{_MOUNTS}/sandbox",
    ]
    seen = []
    for i, path in enumerate(packages):
        argv += ["--ro-bind", path, f"{_MOUNTS}/site{i}"]
        seen.append(f"{_MOUNTS}/site{i}")
    try:
        program = f"{_MOUNTS}/python/{interpreter.relative_to(prefix)}"
    except ValueError:  # an interpreter outside its prefix: use it where it is
        program = str(interpreter)
    argv += ["--chdir", "/tmp", program, "-I", "-S", f"{_MOUNTS}/sandbox/{CHILD.name}"]
    return argv, seen


def candidates() -> list[Isolation]:
    """Isolations to try, strongest first (``detect`` in the runner probes them)."""
    as_root = os.geteuid() == 0
    bwrap = shutil.which("bwrap")
    found = [Isolation(bwrap=bwrap, drop_root=as_root)] if bwrap else []
    missing = ("bubblewrap is not installed" if not bwrap else f"{bwrap} does not work here (user namespaces disabled?)")
    native = (
        f"{missing}: generated programs run without a read-only file system or a private /tmp"
        + ("" if as_root else ", and can change any file your user can")
        + ("" if as_root else "; processes a program detaches from its group may outlive it")
        + f"; {INSTALL_HINT}"
    )
    if as_root:
        found.append(Isolation(bwrap=None, drop_root=True, warnings=(native,)))
        found.append(Isolation(bwrap=None, drop_root=False, warnings=(
            native, "the Python interpreter is not readable by an unprivileged user, so programs run as root "
            "with no limit on processes")))
    else:
        found.append(Isolation(bwrap=None, drop_root=False, warnings=(native,)))
    return found
