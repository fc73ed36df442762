"""Recognising a build with nothing to do, before importing anything heavy.

The fingerprint covers everything the output depends on: every file under content/
and the project's themes/ (path, size, mtime), this package's own files (so an
upgrade rebuilds), the build options and the poster font. It is stored in the cache
directory (never in output/, which must stay byte-identical for identical input)
together with a digest of output/'s file list, so a folder someone changed by hand
is rebuilt too. Standard library only: the no-op path costs a few stat calls.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .atomic import atomic_write

PACKAGE = Path(__file__).resolve().parent.parent  # site_builder/, built-in themes included


def _walk(root: Path) -> Iterable[tuple[str, int, int]]:
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            yield os.path.relpath(path, root), st.st_size, st.st_mtime_ns


def inputs(content: Path, themes: Path, options: dict[str, str], extra: Iterable[Path] = ()) -> str:
    h = hashlib.sha256()
    h.update(json.dumps(options, sort_keys=True).encode())
    for label, root in (("content", content), ("themes", themes), ("package", PACKAGE)):
        h.update(label.encode())
        for entry in _walk(root):
            h.update(repr(entry).encode())
    for path in extra:
        try:
            st = path.stat()
            h.update(repr((str(path), st.st_size, st.st_mtime_ns)).encode())
        except OSError:
            h.update(str(path).encode())
    return h.hexdigest()


def output_digest(output: Path) -> str:
    h = hashlib.sha256()
    for entry in _walk(output):
        h.update(repr(entry[:2]).encode())
    return h.hexdigest()


def _record(cache: Path, output: Path) -> Path:
    key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache / "builds" / f"{key}.json"


def unchanged(cache: Path, output: Path, fingerprint: str) -> bool:
    try:
        saved = json.loads(_record(cache, output).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return bool(
        saved.get("inputs") == fingerprint
        and output.is_dir()
        and saved.get("output") == output_digest(output)
    )


def remember(cache: Path, output: Path, fingerprint: str) -> None:
    record = {"inputs": fingerprint, "output": output_digest(output)}
    atomic_write(_record(cache, output), json.dumps(record).encode())
