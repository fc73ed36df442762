"""Every version of a content file the workbench replaced, kept with its time.

Each save (a record, the 公示 settings, a bulk change, a photo's listing) first keeps the
file as it was. 撤销 puts back the newest kept version and takes it off the list, so a
second 撤销 goes one step further back, never forward again (the version it replaces is
kept apart, under ``undone/``, so nothing is lost). The versions live in the cache, one
folder per file, named by the time they were kept.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from ..write.atomic import atomic_write

MAX_VERSIONS = 200  # of one file; the oldest go first


class History:
    def __init__(self, root: Path, content: Path) -> None:
        self.root, self.content = root, content.resolve()

    def _folder(self, path: Path, kind: str = "saved") -> Path:
        rel = path.resolve().relative_to(self.content).as_posix()
        return self.root / kind / hashlib.sha256(rel.encode()).hexdigest()[:16]

    def _versions(self, path: Path) -> list[Path]:
        folder = self._folder(path)
        return sorted(folder.glob("*.bak")) if folder.is_dir() else []

    def keep(self, path: Path, data: bytes, kind: str = "saved") -> None:
        """Keep ``data`` as the version of ``path`` before a change."""
        folder = self._folder(path, kind)
        atomic_write(folder / f"{time.time_ns():020d}.bak", data)
        for old in sorted(folder.glob("*.bak"))[:-MAX_VERSIONS]:
            old.unlink(missing_ok=True)

    def can_undo(self, path: Path) -> bool:
        return bool(self._versions(path))

    def undo(self, path: Path) -> bool:
        """Put back the newest kept version of ``path``; False if there is none."""
        versions = self._versions(path)
        if not versions:
            return False
        newest = versions[-1]
        self.keep(path, path.read_bytes(), kind="undone")  # what 撤销 replaces, kept apart
        atomic_write(path, newest.read_bytes())
        newest.unlink()
        return True
