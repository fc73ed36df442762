"""Writing output/ atomically.

The build writes into a fresh staging directory beside output/ and swaps it in
with two renames only after every stage passed, so a failed build leaves the last
good output/ exactly as it was and a good one leaves no stale file. A marker file
guards against replacing a folder site_builder did not make.

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
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import UsageError
from .atomic import FILE_MODE, atomic_write, replace

DIR_MODE = 0o755

MARKER = ".site-builder-output"


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


def new_staging(output: Path) -> Path:
    parent = output.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    for leftover in parent.glob(f".{output.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = parent / f".{output.name}.staging-{os.getpid()}"
    staging.mkdir()
    (staging / MARKER).write_bytes(b"")
    return staging


def write_files(staging: Path, files: dict[str, bytes]) -> None:
    made: set[Path] = set()
    for name, data in sorted(files.items()):
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"refusing to write outside the output directory: {name}")
        target = staging.joinpath(*rel.parts)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)


def make_readable(root: Path) -> None:
    """Folders 0755, files 0644: a web server's user must read everything published."""
    os.chmod(root, DIR_MODE)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(folder, name), DIR_MODE)
        for name in files:
            os.chmod(os.path.join(folder, name), FILE_MODE)


def link_files(source: Path, staging: Path, names: set[str]) -> None:
    """Files of the last output, unchanged, into the staging folder: hard links (a copy
    where the file system has none), so an unchanged page is never written again."""
    made: set[Path] = set()
    for name in sorted(names):
        rel = PurePosixPath(name)
        target = staging.joinpath(*rel.parts)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(source.joinpath(*rel.parts), target)
        except OSError:
            shutil.copyfile(source.joinpath(*rel.parts), target)


def swap_in(staging: Path, output: Path) -> None:
    """Replace output/ with staging in two renames; the old tree is removed afterwards."""
    make_readable(staging)
    output = output.resolve()
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    if output.exists():
        try:
            replace(output, old)
        except PermissionError:
            merge_in(staging, output)  # a folder Windows will not rename while it is open
            return
    try:
        os.replace(staging, output)
    except OSError:
        if old.exists():
            os.replace(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)


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
