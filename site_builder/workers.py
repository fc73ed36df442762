"""Worker processes that die with the process that started them.

A build (or the preview's rebuild) renders images, reads records and scans the output on
every core. When it is killed (the window closed, SIGKILL, a crash) its workers must not
stay behind holding memory, files and, in the preview, the listening socket: each asks
the kernel to kill it when its parent goes (Linux ``PR_SET_PDEATHSIG``), or watches its
parent once a second (macOS and other POSIX systems). On Windows a worker's pipe to its
parent breaks when the parent dies, and the worker ends with it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1
# Sockets of this process that its workers must not keep open (the preview's listening
# socket: a worker forked while it serves would otherwise hold its port after it stops).
NOT_INHERITED: set[int] = set()


def worker_pool(max_workers: int) -> ProcessPoolExecutor:
    # Imported here: most rebuilds (an edit) start no worker, and the executor's module
    # brings multiprocessing's queues and connections (15 ms).
    from concurrent.futures import ProcessPoolExecutor

    # Only a forked worker holds this process's descriptors under the same numbers; a
    # spawned one (macOS, Windows) is a new interpreter where they may be its own pipes.
    forked = multiprocessing.get_start_method() == "fork"
    return ProcessPoolExecutor(
        max_workers=max_workers,
        initializer=_die_with,
        initargs=(os.getpid(), tuple(sorted(NOT_INHERITED)) if forked else ()),
    )


def _die_with(parent: int, not_inherited: tuple[int, ...] = ()) -> None:
    for fd in not_inherited:  # forked with the parent's sockets: let go of its port
        with contextlib.suppress(OSError):
            os.close(fd)
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    elif os.name == "posix":  # pragma: no cover - macOS

        def watch() -> None:
            while os.getppid() == parent:
                threading.Event().wait(1.0)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.name == "posix" and os.getppid() != parent:
        os._exit(1)  # the parent died before the line above took effect
