"""Writing output/ atomically.

The build writes into a fresh staging directory beside output/ and swaps it in
with two renames only after every stage passed, so a failed build leaves the last
good output/ exactly as it was and a good one leaves no stale file. A marker file
guards against replacing a folder site_builder did not make.
"""

from __future__ import annotations

import gzip
import os
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from .errors import UsageError

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
    for name, data in sorted(files.items()):
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"refusing to write outside the output directory: {name}")
        target = staging.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def swap_in(staging: Path, output: Path) -> None:
    """Replace output/ with staging in two renames; the old tree is removed afterwards."""
    output = output.resolve()
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    if output.exists():
        os.replace(output, old)
    try:
        os.replace(staging, output)
    except OSError:
        if old.exists():
            os.replace(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)


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
    tmp = archive.with_name(archive.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(output.rglob("*")):
            if path.is_file() and path.name != MARKER:
                info = zipfile.ZipInfo(
                    path.relative_to(output).as_posix(), date_time=(1980, 1, 1, 0, 0, 0)
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
    os.replace(tmp, archive)
