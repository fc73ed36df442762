"""Recognising a build with nothing to do, before importing anything heavy.

The fingerprint covers everything the output depends on: every file under content/
and the project's themes/ (path, size, mtime), this package's own files (so an
upgrade rebuilds) and the build options. It is stored in the cache
directory (never in output/, which must stay byte-identical for identical input)
together with a digest of output/'s file list, so a folder someone changed by hand
is rebuilt too. Standard library only: the no-op path costs a few stat calls.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from .atomic import atomic_write

PACKAGE = Path(__file__).resolve().parent.parent  # site_builder/, built-in themes included
K = TypeVar("K")


def _walk(root: Path) -> Iterable[tuple[str, int, int]]:
    """Every file under ``root`` (hidden folders and ``__pycache__`` left out), folder by
    folder in sorted order, as (relative path, size, mtime): from ``scandir`` entries,
    which know a folder from a file without a stat (output/ of an archive holds ~8,000)."""
    if not root.is_dir():
        return
    yield from _walk_folder(str(root), "")


def _walk_folder(folder: str, prefix: str) -> Iterable[tuple[str, int, int]]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        try:
            if entry.is_dir():  # a link to a folder is not followed (as os.walk does)
                hidden = entry.name.startswith(".") or entry.name == "__pycache__"
                if not hidden and not entry.is_symlink():
                    folders.append(entry)
                continue
            st = entry.stat()
        except OSError:
            continue
        yield f"{prefix}{entry.name}", st.st_size, st.st_mtime_ns
    for entry in folders:
        yield from _walk_folder(entry.path, f"{prefix}{entry.name}/")


def settings_digest(themes: Path, options: dict[str, str]) -> str:
    """What every page depends on: the options, the project's themes and this package."""
    h = hashlib.sha256()
    h.update(json.dumps(options, sort_keys=True).encode())
    h.update(b"themes")
    for entry in _walk(themes):
        h.update(repr(entry).encode())
    h.update(f"package{package_digest()}".encode())
    return h.hexdigest()


def inputs(settings: str, files: Mapping[str, tuple[int, int]]) -> str:
    """Everything the output depends on: ``settings_digest`` and the content's ``walk``."""
    h = hashlib.sha256(settings.encode())
    for rel, (size, mtime) in files.items():
        h.update(repr((rel, size, mtime)).encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def package_digest() -> str:
    """site_builder's own files (path, size, mtime): an upgrade invalidates every cache."""
    h = hashlib.sha256()
    for entry in _walk(PACKAGE):
        h.update(repr(entry).encode())
    return h.hexdigest()


def walk(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root``: relative path → (size, mtime)."""
    return {rel: (size, mtime) for rel, size, mtime in _walk(root)}


def listing_digest(sizes: Mapping[str, int]) -> str:
    """What output/ holds: every file's relative path and size."""
    h = hashlib.sha256()
    for rel in sorted(sizes):
        h.update(repr((rel, sizes[rel])).encode())
    return h.hexdigest()


def output_sizes(output: Path) -> dict[str, int]:
    """What output/ holds: every file's relative path → size."""
    return {rel: size for rel, size, _ in _walk(output)}


def changed_between(before: Mapping[K, object], now: Mapping[K, object]) -> set[K]:
    """The files of two listings (name → size and time) added, removed or changed."""
    return {name for name in before.keys() | now.keys() if before.get(name) != now.get(name)}


def _record(cache: Path, output: Path) -> Path:
    key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache / "builds" / f"{key}.json"


def recall(cache: Path, output: Path) -> tuple[dict[str, Any] | None, frozenset[str]]:
    """What the last build into ``output`` remembered, if output/ is still as it left it,
    and the files output/ holds (relative paths; none if it was not walked)."""
    try:
        saved = json.loads(_record(cache, output).read_text("utf-8"))
    except (OSError, ValueError):
        return None, frozenset()
    if not isinstance(saved, dict) or not output.is_dir():
        return None, frozenset()
    sizes = output_sizes(output)
    return (saved if saved.get("output") == listing_digest(sizes) else None), frozenset(sizes)


def remember(
    cache: Path, output: Path, fingerprint: str, sizes: Mapping[str, int] | None, **more: Any
) -> None:
    """Remember a good build: its fingerprint, output/'s digest (from ``sizes``, what the
    build put there, when it is known) and ``more`` (the content files it read and the
    privacy detector it scanned with, for the next incremental build)."""
    digest = listing_digest(sizes if sizes is not None else output_sizes(output))
    record = {"inputs": fingerprint, "output": digest, **more}
    atomic_write(_record(cache, output), json.dumps(record).encode())
