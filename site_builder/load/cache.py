"""Parsed records kept between builds, so an archive of thousands is not re-read each time.

An honouree's index.md is parsed, validated and its story rendered once; the result
(the ``HonoreeSource`` with its rendered story, the problems found on the way, and
the results of privacy scans by detector) is kept in the cache folder under the
file's path, size and modification time. A file that changed is read again; an entry
no build asked for is dropped when the cache is saved. The whole cache is thrown
away when site_builder itself changes (its files' digest is part of the salt), or when
messages would be shown relative to another folder.

It is kept in one file per campaign, and only the files of campaigns whose records
changed are written again: one edit in an archive of thousands pickles a campaign's
records, not all of them.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import itertools
import os
import pickle
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..errors import Problem, Problems
from ..model.source import HONOREES_DIR, RECORD_FILE, HonoreeSource
from ..workers import worker_pool
from ..write.atomic import atomic_write
from ..write.fingerprint import package_digest
from .content import load_honoree

RACY_NS = 2_000_000_000  # see RecordCache.racy
PARALLEL_FROM = 64  # records to read before it pays to start a worker for them
CACHE_FOLDER = "records"  # <campaign digest>.pickle, one per campaign
FORMAT = 3  # 3: stories packed as UTF-16


@dataclass
class Entry:
    source: HonoreeSource | None
    problems: list[Problem]
    scans: dict[str, list[Problem]] = field(default_factory=dict)  # detector digest → problems


class RecordCache:
    def __init__(self, folder: Path, display_root: Path | None) -> None:
        self.display_root = display_root
        self.folder = folder / CACHE_FOLDER
        self.salt = f"{FORMAT}|{package_digest()}|{display_root}"
        self.entries: dict[tuple[str, int, int], Entry] = {}
        self.used: set[tuple[str, int, int]] = set()
        self.loaded: dict[str, object] = {}  # file name → what it holds, to skip rewriting it
        self.keys: dict[str, tuple[str, int, int]] = {}  # absolute path → key, by prefetch
        # Record folder (absolute) → the names of the files in it, when prefetch was given
        # a listing of content/: then no folder is listed again for its photos.
        self.listings: dict[str, tuple[str, ...]] = {}
        # Read within RACY_NS of their modification: a file written again as fast, to the
        # same size, keeps its time (file times tick in milliseconds), so a cache kept in
        # memory (the preview's, the workbench's, read again within milliseconds) lets
        # such an entry serve this build only ("racy git"). A build's cache on disk is
        # read seconds later at the soonest and keeps them.
        self.racy: set[tuple[str, int, int]] = set()
        self.readings = 0  # records read from their files (not the cache) by this process
        for path in sorted(self.folder.glob("*.pickle")):
            try:
                with open(path, "rb") as fh, _collector_paused():
                    salt, entries = pickle.load(fh)
            except (
                OSError,
                pickle.UnpicklingError,
                EOFError,
                ValueError,
                TypeError,
                AttributeError,
            ):
                continue  # unreadable, or pickled by another version: its records are read again
            if salt == self.salt and isinstance(entries, dict):
                self.entries.update(entries)
                self.loaded[path.name] = self._signature(entries)

    def begin(self) -> None:
        """Start a build: what the last one used and the files it found are forgotten (a
        cache kept in memory serves build after build; its entries stay)."""
        self.used = set()
        self.keys = {}
        self.listings = {}

    def forget_unused(self) -> None:
        """Drop the entries this build did not use (an edited file's old reading) and the
        racy ones, for a cache that lives in memory between builds."""
        self.entries = {key: self.entries[key] for key in self.used - self.racy}
        self.racy = set()

    @staticmethod
    def _file_of(key: tuple[str, int, int]) -> str:
        """The cache file of a record: its campaign's (…/<campaign>/honorees/<slug>/index.md)."""
        campaign = os.path.dirname(os.path.dirname(os.path.dirname(key[0])))
        return hashlib.sha256(campaign.encode()).hexdigest()[:16] + ".pickle"

    def prefetch(self, content: Path, files: Mapping[str, tuple[int, int]] | None = None) -> None:
        """Look up every record, and read those the cache does not hold on every core at
        once. Parsing, validating and rendering the stories of an archive's records is
        most of a cold build; the results come back to this process, which then finds
        them cached. The keys found here serve the build (no second stat of each file).

        ``files``: content/ as the build just walked it (relative path → size and
        modification time, ``fingerprint.walk``): the records, their keys and the names in
        their folders are taken from it, and no file is looked at again."""
        todo = []
        for path, key in self._lookups(os.path.abspath(content), files):
            self.keys[path] = key
            if key not in self.entries:
                todo.append((key, Path(path).parent))
        workers = min(os.cpu_count() or 1, len(todo) // PARALLEL_FROM)
        if workers < 2:
            return  # reading them here is quicker than starting workers
        folders = [folder for _, folder in todo]
        with worker_pool(workers) as pool:
            read = pool.map(read_entry, folders, itertools.repeat(self.display_root), chunksize=16)
            for (key, _), entry in zip(todo, read, strict=True):
                self._keep(key, entry)

    def _lookups(
        self, root: str, files: Mapping[str, tuple[int, int]] | None
    ) -> Iterator[tuple[str, tuple[str, int, int]]]:
        """Every record's path and key, sorted: from ``files`` (and their folders' names
        into ``listings``), else from listing and looking at content/."""
        if files is None:
            for path in _records(root):
                key = self._stat_key(path)
                if key is not None:
                    yield path, key
            return
        found = []
        listings: dict[str, list[str]] = {}
        for rel, (size, mtime) in files.items():
            parts = rel.split("/")  # <campaign>/honorees/<folder>/<name>
            if len(parts) != 4 or parts[1] != HONOREES_DIR:
                continue
            folder = os.path.join(root, *parts[:3])
            listings.setdefault(folder, []).append(parts[3])
            if parts[3] == RECORD_FILE:
                found.append((os.path.join(folder, RECORD_FILE), (size, mtime)))
        self.listings = {folder: tuple(sorted(names)) for folder, names in listings.items()}
        for path, (size, mtime) in sorted(found):
            yield path, (path, size, mtime)

    def key(self, path: Path) -> tuple[str, int, int] | None:
        absolute = os.path.abspath(path)
        return self.keys.get(absolute) or self._stat_key(absolute)

    @staticmethod
    def _stat_key(path: str) -> tuple[str, int, int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return (path, st.st_size, st.st_mtime_ns)

    def _keep(self, key: tuple[str, int, int], entry: Entry) -> None:
        self.entries[key] = entry
        self.readings += 1
        if time.time_ns() - key[2] < RACY_NS:
            self.racy.add(key)

    def load_honoree(self, folder: Path, problems: Problems) -> HonoreeSource | None:
        """``load_honoree`` through the cache: a file unchanged since it was cached is not read."""
        key = self.key(folder / RECORD_FILE)  # once: the reading is kept under what was seen
        entry = self.entries.get(key) if key is not None else None
        if entry is None:
            entry = read_entry(folder, problems.display_root)
            if key is not None:
                self._keep(key, entry)
        if key is not None:
            self.used.add(key)
        problems.items.extend(entry.problems)
        if entry.source is not None:
            entry.source.scans = entry.scans
            # The photos beside index.md come and go without it changing: a reading kept
            # in memory (the preview's, the workbench's) lists its folder again each build,
            # unless this build's listing of content/ holds it.
            names = self.listings.get(os.path.dirname(key[0])) if key is not None else None
            if names is None:
                entry.source.__dict__.pop("names", None)
            else:
                entry.source.names = names
            # Not for a reading too soon after the file was written (``racy``).
            entry.source.stamp = None if key is None or key in self.racy else f"{key[1]}:{key[2]}"
        return entry.source

    @staticmethod
    def _signature(entries: dict[tuple[str, int, int], Entry]) -> object:
        return sorted((key, sorted(entry.scans)) for key, entry in entries.items())

    def save(self) -> None:
        """Keep what this build used; render the stories that were not rendered yet."""
        files: dict[str, dict[tuple[str, int, int], Entry]] = {}
        for key in sorted(self.used):
            files.setdefault(self._file_of(key), {})[key] = self.entries[key]
        for name, kept in files.items():
            if self._signature(kept) == self.loaded.get(name):
                continue  # nothing new: the file on disk holds these records already
            atomic_write(self.folder / name, functools.partial(_dump, (self.salt, kept)))
        for name in self.loaded.keys() - files.keys():  # a campaign no build reads any more
            (self.folder / name).unlink(missing_ok=True)
        self.loaded = {name: self._signature(kept) for name, kept in files.items()}
        self.forget_unused()  # kept in memory for the next build: only what this one used
        (self.folder.parent / "records.pickle").unlink(missing_ok=True)  # format 1's one file


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The garbage collector held off while a campaign's records are unpickled: each of
    their hundreds of thousands of new objects would count towards a collection that
    walks all of them and frees none (at 2,000 records, a tenth of the reading)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _records(content: str) -> list[str]:
    """Every …/<campaign>/honorees/<folder>/index.md path, sorted, from the listings of
    content/ and of each honorees/ folder (a glob would list every record's folder too)."""
    found = []
    for campaign in _folders(content):
        honorees = os.path.join(content, campaign, HONOREES_DIR)
        found += [os.path.join(honorees, f, RECORD_FILE) for f in _folders(honorees)]
    return sorted(found)


def _folders(path: str) -> list[str]:
    try:
        with os.scandir(path) as entries:
            return [e.name for e in entries if e.is_dir() and not e.name.startswith(".")]
    except OSError:
        return []


def _dump(value: object, fh: BinaryIO) -> None:
    """Pickled straight into the file: ``pickle.dumps`` of a campaign's records would build
    a buffer of megabytes by doubling, and the freed buffers stay in the process (glibc
    keeps them: +130 MiB after a cold build of 10,000)."""
    pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)


def read_entry(folder: Path, display_root: Path | None) -> Entry:
    """One honouree's folder read as the cache keeps it: the record with its story
    rendered (here, in a worker process when ``prefetch`` reads many), and the problems
    found on the way."""
    found = Problems(display_root)
    source = load_honoree(folder, found)
    if source is not None:  # cached properties: computed now, then kept
        source.story_html  # noqa: B018
        source.story_text  # noqa: B018
        source.normal_values  # noqa: B018
        source.private_sources  # noqa: B018
        source.draft  # noqa: B018
        source.placeholders  # noqa: B018
    return Entry(source, list(found.items))
