"""Every version of a content file the workbench replaced, kept with its time.

Each save (a record, the campaign or site settings, the 公示, a bulk change, a rename, a
photo's listing) first keeps the file as it was. 撤销 puts back the newest kept version
and takes it off the list, so a second 撤销 goes one step further back, never forward
again (the version it replaces is kept apart, under ``undone/``, so nothing is lost).
The 修改记录 page lists every kept version of every file with its time, and 恢复 puts
any one of them back (itself a save: the version it replaces is kept first). The
versions live in the cache, one folder per file, named by the time they were kept, with
the file's path below content/ beside them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from ..write.atomic import atomic_write

MAX_VERSIONS = 200  # of one file; the oldest go first
PATH_NOTE = "path.txt"


@dataclass(frozen=True)
class Version:
    rel: str  # the file below content/
    name: str  # the kept version's file name (its time in ns)

    @property
    def when(self) -> str:
        seconds = int(self.name.split(".")[0]) / 1e9
        return dt.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")


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
        rel = path.resolve().relative_to(self.content).as_posix()
        if not (folder / PATH_NOTE).is_file():
            atomic_write(folder / PATH_NOTE, rel.encode())
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

    def versions(self, limit: int = 500) -> list[Version]:
        """Every kept version of every file, newest first."""
        found = []
        saved = self.root / "saved"
        for folder in saved.iterdir() if saved.is_dir() else []:
            try:
                rel = (folder / PATH_NOTE).read_text("utf-8")
            except OSError:
                continue  # kept before the paths were noted: still reachable by 撤销
            found += [Version(rel, v.name) for v in folder.glob("*.bak")]
        return sorted(found, key=lambda v: v.name, reverse=True)[:limit]

    def restore(self, rel: str, name: str) -> Path | None:
        """Put back the kept version ``name`` of the file ``rel``; None if there is none.
        The file as it is now is kept first, so the restore itself can be undone."""
        path = self.content / rel
        try:
            path.resolve().relative_to(self.content)
        except ValueError:
            return None
        version = self._folder(path) / name
        if not name.endswith(".bak") or "/" in name or not version.is_file():
            return None
        if not path.parent.is_dir():  # its record was deleted: restored from the 回收站 first
            return None
        data = version.read_bytes()
        if path.is_file():
            self.keep(path, path.read_bytes())
        atomic_write(path, data)
        return path
