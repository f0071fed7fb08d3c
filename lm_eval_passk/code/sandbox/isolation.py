"""Which operating-system isolation this machine gives a sandboxed program, and
the command line that starts one.

Preferred: bubblewrap (``apt-get install bubblewrap``). The program sees only
what a Python program needs: the interpreter with its standard library and the
site-packages it may import from, and the system's shared libraries, all
read-only; an empty private /tmp (its working folder); private /dev and /proc.
No home folders, /etc, /var, /run, /srv, /mnt, data mirror or caches, so no host
unix socket and no answer key; no network; its own process tree; it dies with
its parent. Without bubblewrap the child makes its own user + network namespace
when the kernel allows, and relies on rlimits, but sees the whole file system.
As root, programs run as an unprivileged uid either way (root is exempt from
RLIMIT_NPROC and may read and write anywhere). What is missing is said in
``warnings``, for the caller to print once.
"""

from __future__ import annotations

import os
import shutil
import site
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from ...sources import DATA_DIR_ENV

CHILD = Path(__file__).with_name("_child.py")
INSTALL_HINT = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap)"
_UID_BASE, _UID_SPAN = 200_000, 50_000  # sandbox uids: one per worker process
VIEW = "/sandbox"
"""Where the interpreter (``python``), its package folders (``site0``...) and the
child script appear inside the sandbox."""
SYSTEM_LIBRARIES = ("/usr/lib", "/usr/lib32", "/usr/lib64", "/lib", "/lib32", "/lib64")
"""Shown at their own paths (a symbolic link stays a link), for the dynamic loader."""


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
    """Where programs may import installed packages from (numpy, sortedcontainers...):
    the site-packages folders this interpreter imports from."""
    paths = [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]
    return [p for p in dict.fromkeys(map(os.path.realpath, paths)) if os.path.isdir(p)]


def private_paths() -> list[Path]:
    """Folders hidden even where they lie inside a folder the sandbox shows: the home
    folder, the user cache (downloaded answer keys, the Hugging Face cache) and the
    data mirror."""
    home = Path.home()
    named = [home, os.environ.get("XDG_CACHE_HOME") or home / ".cache", os.environ.get(DATA_DIR_ENV),
             *(os.environ.get(v) for v in ("HF_HOME", "HF_DATASETS_CACHE", "HF_HUB_CACHE"))]
    return [Path(p).resolve() for p in named if p]


def command(isolation: Isolation, scratch_mb: int) -> tuple[list[str], list[str]]:
    """The argv that starts the child, and the package folders as the child sees them."""
    prefix = Path(sys.base_prefix).resolve()
    packages = site_paths()
    if not isolation.bwrap:
        return [str(Path(sys.executable).resolve()), "-I", "-S", str(CHILD)], packages
    size = str(scratch_mb << 20)
    # As root: no user namespace (it would map the sandbox to uid 0, which RLIMIT_NPROC
    # exempts); the child drops to an unprivileged uid itself once the mounts are made.
    unshare = (["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
               if isolation.drop_root else ["--unshare-all", "--cap-drop", "ALL"])
    argv = [isolation.bwrap, *unshare, "--die-with-parent", "--new-session",
            "--perms", "0755", "--dir", "/usr", "--perms", "0755", "--dir", VIEW]  # else 0700: closed to the uid
    for path in SYSTEM_LIBRARIES:
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            argv += ["--ro-bind", path, path]
    argv += ["--dev", "/dev", "--proc", "/proc",
             "--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", "/dev/shm"]
    # Bound under VIEW, not where they are: an unprivileged uid can then run an
    # interpreter that lives in a folder it could not enter (e.g. /root/.pyenv).
    sites = [f"{VIEW}/site{i}" for i in range(len(packages))]
    views = {str(prefix): f"{VIEW}/python", str(CHILD): f"{VIEW}/{CHILD.name}",
             **dict(zip(packages, sites))}
    for source, view in views.items():
        argv += ["--ro-bind", source, view]
    argv += _hide(views)
    library = _shared_library_folder(prefix)
    if library:  # libpython found through an absolute run path that does not exist inside
        argv += ["--setenv", "LD_LIBRARY_PATH", library]
    argv += ["--chdir", "/tmp", _interpreter(prefix), "-I", "-S", f"{VIEW}/{CHILD.name}"]
    return argv, sites


def _hide(views: dict[str, str]) -> list[str]:
    """An empty read-only folder over each private path inside a bound folder."""
    argv = []
    for secret in private_paths():
        for source, view in views.items():
            if secret != Path(source) and secret.is_relative_to(source) and secret.is_dir():
                hidden = f"{view}/{secret.relative_to(source)}"
                argv += ["--tmpfs", hidden, "--remount-ro", hidden]
    return argv


def _interpreter(prefix: Path) -> str:
    """The interpreter as the sandbox sees it: this one if it lies in its prefix (a
    venv's python links there), else the prefix's own python of this version."""
    try:
        return f"{VIEW}/python/{Path(sys.executable).resolve().relative_to(prefix)}"
    except ValueError:
        return f"{VIEW}/python/bin/python{sys.version_info.major}.{sys.version_info.minor}"


def _shared_library_folder(prefix: Path) -> str | None:
    libdir = sysconfig.get_config_var("LIBDIR")
    if not sysconfig.get_config_var("Py_ENABLE_SHARED") or not libdir:
        return None
    try:
        return f"{VIEW}/python/{Path(libdir).resolve().relative_to(prefix)}"
    except ValueError:
        return None


def preferred() -> Isolation | None:
    """bubblewrap, if installed (``detect`` in the runner probes it)."""
    bwrap = shutil.which("bwrap")
    return Isolation(bwrap=bwrap, drop_root=os.geteuid() == 0) if bwrap else None


def native_fallbacks(missing: str) -> list[Isolation]:
    """Isolations without bubblewrap, strongest first, each with the warnings that say
    what it cannot do (``missing``: why bubblewrap is not used)."""
    as_root = os.geteuid() == 0
    native = (
        f"{missing}: generated programs run without a private /tmp and see the whole file system, "
        "the benchmark's answer key included (the data mirror, ~/.cache/lm_eval_passk), and can connect "
        "to the host's unix sockets"
        + ("; they run as an unprivileged uid, so they can read what is readable by others "
           "(chmod o-rx the data mirror to hide it)" if as_root else
           ", can change any file your user can, and processes they detach from their group may outlive them")
        + f"; {INSTALL_HINT}"
    )
    if not as_root:
        return [Isolation(bwrap=None, drop_root=False, warnings=(native,))]
    return [Isolation(bwrap=None, drop_root=True, warnings=(native,)),
            Isolation(bwrap=None, drop_root=False, warnings=(
                native, "the Python interpreter is not readable by an unprivileged user, so programs run as root "
                "with no limit on processes"))]
