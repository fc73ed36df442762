"""Writing one file atomically: the one helper every cache and output write goes through.

The bytes go to a temporary file beside the target, which is then renamed over it, so
a reader (the dev server, a host serving output/, the next build) sees the old file
or the new one, never half of one. The temporary file is named by the process, the
thread and a count, and created exclusively (``O_EXCL``: a name left by a killed
process is never written into, the next count is taken); it is given ``0644``
explicitly, whatever the umask: published files must be readable by the web server's
user whatever the cache holds. (``mkstemp`` did the same with a random name, a Python
file object and a chmod by path: three times the time of writing a QR code's few
kilobytes, of which a cold build of an archive writes thousands.)

On Windows a rename over a file that another program has open (an antivirus scan,
the search indexer, a browser) fails with PermissionError for a moment; the rename
is retried a few times before it gives up.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o644
RETRIES = 6  # 0.02 + 0.04 + … + 0.64 s: about 1.3 s in all
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows
_COUNT = itertools.count()  # next() of a count is atomic under the GIL


def replace(source: Path | str, target: Path | str) -> None:
    """``os.replace`` that waits out the short locks Windows programs hold on files."""
    for attempt in range(RETRIES):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.02 * 2**attempt)


def atomic_write(
    target: Path,
    data: bytes | Callable[[BinaryIO], None],
    check: Callable[[Path], None] | None = None,
) -> None:
    """Write ``data`` (bytes, or a function that writes into the file) to ``target``.

    ``check`` sees the finished temporary file before it replaces the target; if it
    raises, the target is left as it was.
    """
    try:
        fd, tmp = _temporary(target)
    except FileNotFoundError:  # the folder is made when it is missing, not tried each time
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(target)
    try:
        if isinstance(data, bytes):
            _fill(fd, data)
        else:
            with os.fdopen(fd, "wb") as fh:
                data(fh)
                fh.flush()
                _set_mode(fh.fileno())
        if not hasattr(os, "fchmod"):
            os.chmod(tmp, FILE_MODE)
        if check is not None:
            check(Path(tmp))
        replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _temporary(target: Path) -> tuple[int, str]:
    """A new file beside ``target`` for its bytes: ``.<name>.<pid>-<thread>-<n>.part``."""
    stem = f"{target.parent}{os.sep}.{target.name}.{os.getpid()}-{threading.get_ident()}-"
    for _ in range(100):
        tmp = f"{stem}{next(_COUNT)}.part"
        try:
            return os.open(tmp, _FLAGS, FILE_MODE), tmp
        except FileExistsError:
            continue  # left by a killed process that had this process's number
    raise FileExistsError(f"no free temporary name beside {target}")


def write_new(path: str, data: bytes) -> None:
    """A file that does not exist yet, made with ``data`` (``O_EXCL``: never written
    through a name that appeared meanwhile) and ``FILE_MODE``, whatever the umask."""
    _fill(os.open(path, _FLAGS, FILE_MODE), data)
    if not hasattr(os, "fchmod"):
        os.chmod(path, FILE_MODE)


def _fill(fd: int, data: bytes) -> None:
    """All of ``data`` into the new file ``fd``, its mode set, and the file closed."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        _set_mode(fd)
    finally:
        os.close(fd)


def _set_mode(fd: int) -> None:
    """``FILE_MODE``, whatever the umask took from it (Windows: by path, after closing)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, FILE_MODE)
