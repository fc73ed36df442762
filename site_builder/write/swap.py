"""Two folders exchanged in one step, and what a build killed half-way left behind.

A reader's web server must find a whole output/ at every moment, even when the build is
killed (the officer closes the window, the computer sleeps, the disk fills). Two renames
(output/ aside, staging in) leave a moment with no output/ at all; Linux
(``renameat2(RENAME_EXCHANGE)``) and macOS (``renamex_np(RENAME_SWAP)``) exchange two
folders atomically, and that is used wherever the file system supports it. Elsewhere
(Windows) the two renames stay, and the next build puts back an output/ a kill left
aside (``recover``).

``checkpoint`` is where tests kill a build at a named moment (``SITE_BUILDER_DIE_AT``),
so a kill test is deterministic: nothing happens unless that variable names the point.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import shutil
import signal
import sys
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h
RENAME_SWAP = 2  # macOS sys/stdio.h


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name, use_errno=True) if name else None
    except OSError:  # pragma: no cover - a platform without a C library by that name
        return None


def exchange(a: Path, b: Path) -> bool:
    """Exchange two existing folders atomically; False where the system cannot (then
    nothing was changed)."""
    libc = _libc()
    if libc is None or os.environ.get("SITE_BUILDER_NO_EXCHANGE"):
        return False
    src, dst = os.fsencode(a), os.fsencode(b)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):  # pragma: no cover
        result = libc.renamex_np(src, dst, RENAME_SWAP)
    else:  # pragma: no cover - Windows and others: two renames instead
        return False
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (38, 22, 95, 1, 18):  # ENOSYS, EINVAL, EOPNOTSUPP, EPERM, EXDEV: unsupported
        return False
    raise OSError(error, os.strerror(error), str(a))


def checkpoint(name: str) -> None:
    """Die here, as a kill would, if a test asked for it."""
    if os.environ.get("SITE_BUILDER_DIE_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a system that cannot tell: leave it
    return True


def recover(output: Path) -> None:
    """Tidy what a killed build left beside output/: an output/ set aside by the two-rename
    swap is put back if output/ is missing, and the other leftovers of builds no longer
    running (staging folders, set-aside trees) are removed."""
    output = output.resolve()
    prefix = f".{output.name}."
    parent = output.parent
    if not parent.is_dir():
        return
    leftovers: list[tuple[int, Path]] = []
    for entry in parent.iterdir():
        name = entry.name
        if not name.startswith(prefix):
            continue
        kind, _, pid = name[len(prefix) :].partition("-")
        if kind in ("old", "staging") and pid.isdigit() and not _alive(int(pid)):
            leftovers.append((entry.stat().st_mtime_ns if kind == "old" else 0, entry))
    olds = sorted((p for p in leftovers if p[1].name.startswith(prefix + "old-")), reverse=True)
    if not output.exists() and olds:
        with contextlib.suppress(OSError):
            os.replace(olds[0][1], output)
    for _, path in leftovers:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
