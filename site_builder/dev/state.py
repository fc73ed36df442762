"""What the preview's renderer hands its HTTP side: the last good rendering, or the
problems of the last attempt, guarded by one condition variable."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem


@dataclass
class DevState:
    """The last good rendering, or the problems of the last attempt; guarded by ``cond``."""

    files: dict[str, bytes] = field(default_factory=dict)
    images: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    detail: str = ""  # the traceback of an internal error, shown with --verbose
    version: int = 0
    base_path: str = "/"
    prefix: str = ""  # "/<token>" when serving the local network (serve --lan)
    # The host names requests may use: this computer's, and with --lan its printed addresses.
    hosts: set[str] = field(default_factory=lambda: {"127.0.0.1", "localhost", "[::1]"})
    preparing: bool = True  # until the first rendering is done
    article: Callable[[str], str | None] | None = None  # a profile's 公众号 version, by page
    kinds: dict[str, str] = field(default_factory=dict)  # page file → kind, from the site plan
    progress: tuple[int, int] = (0, 0)  # images done, of all, while preparing
    cond: threading.Condition = field(default_factory=threading.Condition)

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until the version differs from ``seen`` (or the timeout passes); the version."""
        with self.cond:
            self.cond.wait_for(lambda: self.version != seen, timeout=timeout)
            return self.version

    def publish(self, **changes: Any) -> None:
        with self.cond:
            for key, value in changes.items():
                setattr(self, key, value)
            self.version += 1
            self.cond.notify_all()
