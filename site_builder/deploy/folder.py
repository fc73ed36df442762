"""A folder on this computer or a mounted share (an nginx document root), compared by its
bytes."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from ..model.targets import AnyTarget, FolderTarget
from ..write.atomic import atomic_write
from .plan import LocalFile
from .remote import Remote


class FolderRemote(Remote):
    target: FolderTarget

    def __init__(self, target: AnyTarget) -> None:
        assert isinstance(target, FolderTarget)
        super().__init__(target)
        self.root = Path(target.prefix).expanduser()

    def listing(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        if self.root.is_dir():
            for path in sorted(self.root.rglob("*")):
                if path.is_file():
                    rel = path.relative_to(self.root).as_posix()
                    found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        return found

    def upload(self, file: LocalFile, data: bytes) -> None:
        target = self.root.joinpath(*file.path.split("/"))
        for folder in reversed(target.parents):
            inside = self.root in folder.parents or folder == self.root
            if inside and not folder.is_dir():
                folder.mkdir()
                os.chmod(folder, 0o755)
        atomic_write(target, data)

    def delete(self, path: str) -> None:
        self.root.joinpath(*path.split("/")).unlink(missing_ok=True)

    def prune(self, deleted: list[str]) -> None:
        """Folders the deletions left empty go, deepest first (never the root itself)."""
        folders = {self.root.joinpath(*path.split("/")).parent for path in deleted}
        chains = {
            f for folder in folders for f in (folder, *folder.parents) if self.root in f.parents
        }
        for folder in sorted(chains, key=lambda f: len(f.parts), reverse=True):
            with contextlib.suppress(OSError):  # refused while it still holds something
                folder.rmdir()
