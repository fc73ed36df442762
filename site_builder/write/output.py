"""Writing output/ atomically.

The build writes into a staging directory beside output/ and swaps it in (one atomic
exchange where the system has one, ``swap.py``) only after every stage passed, so a failed build leaves the last good output/
exactly as it was and a good one leaves no stale file. A marker file guards against
replacing a folder site_builder did not make.

The swap sets the old output aside (``.output.previous``) instead of deleting it, and
the next build stages into it: only the files that differ are unlinked and made
again, so a build that changes a few pages of an archive of thousands costs a few
files, not thousands of new folders (the slowest thing a file system does here).

Windows will not rename a folder while a program has it open (Explorer showing it,
a terminal whose current folder is inside it). Then the staged files are moved in
one by one instead — each file replaced atomically, hashed assets and images first,
pages after them, stale files removed last — the order the deploy uses, so a reader
of a half-updated folder never gets a page whose images are missing. The build has
already passed every check by then; only the swap itself is done differently.
"""

from __future__ import annotations

import gzip
import os
import shutil
import threading
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import BinaryIO, TypeVar

from ..errors import UsageError
from .atomic import FILE_MODE, atomic_write, replace, write_new
from .swap import checkpoint, exchange, recover

DIR_MODE = 0o755
PREVIOUS = "previous"  # .output.previous: the output a swap set aside, staged into next time

MARKER = ".site-builder-output"
_T = TypeVar("_T")


def check_output_location(output: Path, content: Path) -> None:
    out, src = output.resolve(), content.resolve()
    if out == src or out in src.parents or src in out.parents:
        raise UsageError(f"输出文件夹“{output}”与内容文件夹“{content}”重叠，请换一个输出位置。")
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise UsageError(f"不能把网站输出到“{output}”，请指定一个专用文件夹，例如 output。")
    if out.exists() and not out.is_dir():
        raise UsageError(f"“{output}”是一个文件，不是文件夹。")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UsageError(
            f"输出文件夹“{output}”里已有不是 site_builder 生成的文件。为避免误删，请换一个文件夹或先清空它。"
        )


def _beside(output: Path, what: str) -> Path:
    """A folder beside output/ (renames need the same file system): .output.staging-123."""
    output = output.resolve()
    return output.parent / f".{output.name}.{what}"


def stage(
    output: Path, files: Mapping[str, bytes], links: Mapping[str, str | Path]
) -> tuple[Path, dict[str, int]]:
    """A staging folder beside output/ holding exactly ``files`` (name → bytes) and
    ``links`` (name → a file to hard-link: unchanged pages from output/, images from
    the cache; a copy where the file system has no links), and the size of every file
    in it (what the build remembers of output/, without walking it again).

    The output a swap set aside (``.output.previous``, the site before last) is brought
    up to date when it is there: a file already right is left alone, so an edit to one
    record touches a few files instead of making a tree of thousands of folders again.
    A file is never written through: it is unlinked and made anew, since it may be a
    hard link into the live output/.
    """
    output.resolve().parent.mkdir(parents=True, exist_ok=True)
    recover(output)  # what a killed build left: an output/ to put back, old trees to remove
    for leftover in output.resolve().parent.glob(f".{output.resolve().name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = _beside(output, f"staging-{os.getpid()}")
    try:
        os.replace(_beside(output, PREVIOUS), staging)
        reused = True
    except OSError:
        staging.mkdir()
        reused = False
    try:
        os.chmod(staging, DIR_MODE)
        sizes = _bring_up_to_date(staging, {MARKER: b"", **files}, links)
    except OSError:
        discard(staging)
        if not reused:
            raise
        # The set-aside tree is only a shortcut: whatever is wrong with it, start afresh.
        staging.mkdir()
        try:
            sizes = _bring_up_to_date(staging, {MARKER: b"", **files}, links)
        except BaseException:
            discard(staging)
            raise
    except BaseException:
        discard(staging)
        raise
    return staging, sizes


def new_staging(output: Path) -> Path:
    """An empty staging folder (for ``write_files``)."""
    return stage(output, {}, {})[0]


def write_files(staging: Path, files: Mapping[str, bytes]) -> None:
    _bring_up_to_date(staging, {MARKER: b"", **files}, {})


def _bring_up_to_date(
    root: Path, files: Mapping[str, bytes], links: Mapping[str, str | Path]
) -> dict[str, int]:
    for name in [*files, *links]:
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or ".." in parts or "" in parts:
            raise ValueError(f"refusing to write outside the output directory: {name}")
    top = str(root)
    present, folders = _tree(top, "")
    # What is not wanted any more goes first, so a folder can become a file and back.
    for name in present.keys() - files.keys() - links.keys():
        os.unlink(f"{top}/{name}")
    wanted = {folder for name in [*files, *links] for folder in _folders_of(name)}
    for folder in sorted(folders - wanted, key=len, reverse=True):
        os.rmdir(f"{top}/{folder}")
    # Every folder still missing, parents before their children.
    by_depth: dict[int, list[str]] = {}
    for folder in sorted(wanted - folders):
        by_depth.setdefault(folder.count("/"), []).append(folder)
    for depth in sorted(by_depth):
        _each(_make_folder, [f"{top}/{folder}" for folder in by_depth[depth]])

    sizes = {name: len(data) for name, data in files.items()}

    # Files already right are told here (reading is quick); only making new ones is
    # worth the threads (and a build into an unchanged tree then starts none).
    to_write = []
    for name, data in sorted(files.items()):
        target = f"{top}/{name}"
        if name in present:
            if present[name] != SYMLINK and _holds(target, data):
                continue
            os.unlink(target)
        to_write.append((target, data))
    _each(_write_item, to_write)
    device = os.stat(top).st_dev
    to_link = []
    for name, source in sorted(links.items()):
        st = os.stat(source)
        sizes[name] = st.st_size
        if name in present:
            if (st.st_dev, st.st_ino) == (device, present[name]):
                continue  # already a link to it
            os.unlink(f"{top}/{name}")
        to_link.append((f"{top}/{name}", source))
    _each(_link, to_link)
    return sizes


# Making a file or a folder is the file system's slowest work, and on the machine
# measured it is processor time (the kernel's, 0.07-1 ms each on its virtual disk,
# bench/fs_probe.py), not waiting: threads make a cold build's thousands on every
# core. Below this many, one thread is quicker than starting them.
PARALLEL_FROM = 64
THREADS = 4


def _each(make: Callable[[_T], None], items: list[_T]) -> None:
    """``make`` of every item: on THREADS threads, in as many parts, if there are many."""
    if len(items) < PARALLEL_FROM:
        for item in items:
            make(item)
        return

    from concurrent.futures import ThreadPoolExecutor  # here: most edits make a few files

    def part(k: int) -> None:
        for item in items[k::THREADS]:
            make(item)

    with ThreadPoolExecutor(THREADS) as threads:
        for done in [threads.submit(part, k) for k in range(THREADS)]:
            done.result()  # the first error, as one thread would have raised it


_READ = threading.local()  # _holds's buffer, one a thread (the workbench's build threads too)


def _holds(path: str, data: bytes) -> bool:
    """Whether the file holds exactly ``data``: its size first, then its bytes, read into
    one buffer (a build into the set-aside tree compares thousands of pages: a new bytes
    object for each fragmented the heap of a 10,000-honouree build)."""
    with open(path, "rb", buffering=0) as old:
        if os.fstat(old.fileno()).st_size != len(data):
            return False
        buffer = getattr(_READ, "buffer", None)
        if buffer is None or len(buffer) < len(data) + 1:
            buffer = _READ.buffer = bytearray(max(len(data) + 1, 64 * 1024))
        view = memoryview(buffer)
        got = 0
        while got <= len(data):  # one byte more than expected: the file grew meanwhile
            n = old.readinto(view[got : len(data) + 1])
            if not n:
                break
            got += n
        return got == len(data) and view[:got] == data


def _write_item(item: tuple[str, bytes]) -> None:
    write_new(*item)  # unbuffered: no buffered file object for each of thousands


def _make_folder(path: str) -> None:
    os.mkdir(path)
    os.chmod(path, DIR_MODE)  # mkdir's mode is cut by the umask


def _link(item: tuple[str, str | Path]) -> None:
    target, source = item
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        os.chmod(target, FILE_MODE)


SYMLINK = -1


def _tree(top: str, prefix: str) -> tuple[dict[str, int], set[str]]:
    """Files (relative name → inode) and folders under ``top``. A symbolic link is not
    followed: it is listed as a file with the inode ``SYMLINK``, so it is always replaced
    and nothing is ever read or written through it. The inode comes with the folder's
    listing (no stat of each file on POSIX)."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    with os.scandir(f"{top}/{prefix}" if prefix else top) as entries:
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                folders.add(name)
                below, inside = _tree(top, f"{name}/")
                files.update(below)
                folders |= inside
            else:
                files[name] = SYMLINK if entry.is_symlink() else entry.inode()
    return files, folders


def _folders_of(name: str) -> list[str]:
    """ "a/b/c.html" → ["a/b", "a"]: the folders a file needs, deepest first."""
    folders = []
    while "/" in name:
        name = name.rpartition("/")[0]
        folders.append(name)
    return folders


def swap_in(staging: Path, output: Path, keep: bool = False) -> None:
    """Replace output/ with staging: in one atomic exchange where the system has one, else
    in two renames. The old tree is removed, or with ``keep`` set aside as
    ``.output.previous`` for the next ``stage``."""
    output = output.resolve()
    checkpoint("staged")
    if output.exists() and exchange(staging, output):
        checkpoint("swapped")  # staging now holds the old tree
        _set_aside(staging, output, keep)
        return
    old = _beside(output, f"old-{os.getpid()}")
    if output.exists():
        try:
            replace(output, old)
        except PermissionError:
            merge_in(staging, output)  # a folder Windows will not rename while it is open
            return
    checkpoint("between-renames")
    try:
        os.replace(staging, output)
    except OSError:
        if old.exists():
            os.replace(old, output)
        raise
    if old.exists():
        _set_aside(old, output, keep)


def _set_aside(old: Path, output: Path, keep: bool) -> None:
    if keep:
        try:
            os.replace(old, _beside(output, PREVIOUS))
            _hide(_beside(output, PREVIOUS))
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)


def _hide(folder: Path) -> None:
    """Windows shows dot-folders: mark the set-aside output hidden there, as it is elsewhere."""
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(folder), 0x2)  # type: ignore[attr-defined]


def _relative_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def merge_in(staging: Path, output: Path) -> None:
    """Move staged files into output/ one by one: new assets, then pages, then deletions."""
    new = _relative_files(staging)
    stale = _relative_files(output) - new
    pages_last = sorted(new, key=lambda name: (name.endswith(".html"), name))
    for name in pages_last:
        target = output.joinpath(*PurePosixPath(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        replace(staging / name, target)
    for name in sorted(stale):
        output.joinpath(*PurePosixPath(name).parts).unlink(missing_ok=True)
    for folder in sorted((p for p in output.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    shutil.rmtree(staging, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}


def precompressed(files: dict[str, bytes]) -> dict[str, bytes]:
    """name.gz beside every compressible file over 1 KB (mtime 0: identical bytes each build)."""
    return {
        f"{name}.gz": gzip.compress(data, compresslevel=9, mtime=0)
        for name, data in files.items()
        if PurePosixPath(name).suffix in COMPRESSIBLE and len(data) > 1024
    }


def write_zip(output: Path, archive: Path) -> None:
    """output/ as one archive for hosts that take an upload; same content, same bytes."""

    def pack(fh: BinaryIO) -> None:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for path in sorted(output.rglob("*")):
                if path.is_file() and path.name != MARKER:
                    info = zipfile.ZipInfo(
                        path.relative_to(output).as_posix(), date_time=(1980, 1, 1, 0, 0, 0)
                    )
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = FILE_MODE << 16
                    zf.writestr(info, path.read_bytes())

    atomic_write(archive, pack)
