"""Writing one file atomically: the one helper every cache and output write goes through.

The bytes go to a temporary file beside the target, which is then renamed over it, so
a reader (the dev server, a host serving output/, the next build) sees the old file
or the new one, never half of one. The temporary file is made by ``mkstemp`` (mode
0600), so the result is given ``0644`` explicitly: published files must be readable
by the web server's user whatever the cache holds.

On Windows a rename over a file that another program has open (an antivirus scan,
the search indexer, a browser) fails with PermissionError for a moment; the rename
is retried a few times before it gives up.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o644
RETRIES = 6  # 0.02 + 0.04 + … + 0.64 s: about 1.3 s in all


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

    def temporary() -> tuple[int, str]:
        return tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")

    try:
        fd, tmp = temporary()
    except FileNotFoundError:  # the folder is made when it is missing, not tried each time
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = temporary()
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                data(fh)
        os.chmod(tmp, FILE_MODE)
        if check is not None:
            check(Path(tmp))
        replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
