"""QR codes for every page, the WeChat editor's way back to the site.

They encode the page's absolute URL (from base_url). A page shows its own code drawn
in its markup as SVG (``qr_svg``: sharp on any screen, and no request of its own), and
publishes it as ``qr.png`` beside it: a pasted 公众号 article's images are fetched from
the published site, and a project theme copied from an earlier version shows the file.
Earlier rounds also published a ``qr.svg`` beside every page, linked from nowhere: a
third of an archive's files, made at a cost on a slow file system.

The module matrix comes from zxing-cpp's encoder (libzint, in C: ~0.17 ms a code,
against ~1.1 ms for segno's pure Python, which the first round used); the PNG and the
SVG are written here from it, so the same URL always gives the same bytes. The tests
read every kind back to its URL with zxing-cpp's reader, which shares no code with the
encoder, the page's from a screenshot of it in Chromium.

The PNGs are made in the worker pool with the photos (``QrJob``) and kept on disk by
URL and encoder version, so a page's code is made once, ever; output/ links to them
as it does to the photos.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import importlib.metadata
import os
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from PIL import Image

from ..write.atomic import atomic_write

QR_PNG_SCALE = 8
QR_SVG_SCALE = 4  # CSS pixels a module, where no style sizes it
QR_BORDER = 4


@dataclass(frozen=True)
class Modules:
    """A code's module matrix: ``side`` rows of ``side`` bytes, 0 dark and 255 light."""

    side: int
    rows: tuple[bytes, ...]


@functools.lru_cache(maxsize=1)
def encoder_version() -> str:
    return importlib.metadata.version("zxing-cpp")


@functools.lru_cache(maxsize=64)
def modules(url: str) -> Modules:
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    side = image.shape[0]
    flat = bytes(memoryview(image))  # type: ignore[arg-type]  # the stub omits its buffer
    return Modules(side, tuple(flat[i : i + side] for i in range(0, side * side, side)))


def _bordered(code: Modules) -> list[bytes]:
    """The module rows inside their quiet zone: a square of bytes, 0 dark and 255 light."""
    side = code.side + 2 * QR_BORDER
    margin = b"\xff" * QR_BORDER
    light = [b"\xff" * side] * QR_BORDER
    return [*light, *(margin + row + margin for row in code.rows), *light]


def qr_image(url: str) -> Image.Image:
    """The code with its quiet zone, one pixel a module, black on white (for posters)."""
    rows = _bordered(modules(url))
    return Image.frombytes("L", (len(rows), len(rows)), b"".join(rows))


def qr_png(url: str) -> bytes:
    """The code as a one-bit PNG, eight pixels a module, written here rather than by
    Pillow (a third of the time of a code): at one bit a pixel, eight pixels are one
    byte, so a module row of the matrix (0 dark, 255 light) is already a scan line."""
    return _png(modules(url))


def _png(code: Modules) -> bytes:
    rows = _bordered(code)
    width = len(rows) * QR_PNG_SCALE
    scan = b"".join((b"\x00" + row) * QR_PNG_SCALE for row in rows)  # filter type 0 a line
    header = struct.pack(">IIBBBBB", width, width, 1, 0, 0, 0, 0)  # 1-bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(scan, 6))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


_DARK_RUN = re.compile(b"\x00+")


QR_LABEL = "本页网址的二维码"  # a page's code, as a screen reader names it


def qr_svg(url: str, label: str = "") -> str:
    """The code as SVG markup for a page to carry: one path of horizontal strokes, a run
    of dark modules each, in relative moves (the form segno writes: a few kilobytes), on
    a white square with the quiet zone, in module units (``viewBox``), so it is sharp at
    any size. ``label``: its accessible name (``role="img"``); the URL is not in it, as
    no reader needs it read aloud. The runs are found in one pass over the rows joined
    by a light module.

    Its numbers are drawing coordinates, which the privacy scan does not read (as it
    reads no SVG file's): and at most three digits each, a space between the two of a
    move and a letter between moves, no run of them would read as a phone or an ID."""
    return _svg(modules(url), label)


def _svg(code: Modules, label: str) -> str:
    stride = code.side + 1
    moves: list[str] = []
    x = y = 0  # where the last stroke ended: module column and row
    for run in _DARK_RUN.finditer(b"\xff".join(code.rows)):
        row, column = divmod(run.start(), stride)
        length = run.end() - run.start()
        if moves:
            moves.append(f"m{column - x} {row - y}h{length}")
        else:  # strokes are one module wide, drawn through the row's middle
            moves.append(f"M{QR_BORDER + column} {QR_BORDER + row + 0.5:g}h{length}")
        x, y = column + length, row
    size = code.side + 2 * QR_BORDER
    named = f' role="img" aria-label="{html.escape(label)}"' if label else ' aria-hidden="true"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"'
        f' width="{size * QR_SVG_SCALE}" height="{size * QR_SVG_SCALE}" class="qr"'
        f' shape-rendering="crispEdges"{named}><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path stroke="#000" d="{"".join(moves)}"/></svg>'
    )


HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def terminal_qr(url: str) -> str:
    """The code as text for a terminal: two modules a character, light ones drawn as
    blocks (as qrencode -t UTF8 does), so it reads on the usual dark terminal."""
    rows = _bordered(modules(url))
    below = [*rows[1:], b"\xff" * len(rows)]  # an odd last row has light below it
    return "\n".join(
        "".join(
            HALF_BLOCKS[(top != 0, bottom != 0)]
            for top, bottom in zip(rows[y], below[y], strict=True)
        )
        for y in range(0, len(rows), 2)
    )


@dataclass(frozen=True)
class QrJob:
    """A page's code, made in a worker: its PNG written to the cache (``png_path``, if
    the page publishes one and the cache has none), its SVG returned (``svg``: the page
    is being rendered, and there are many), from one matrix."""

    url: str
    png_path: str = ""
    svg: bool = False

    @property
    def paths(self) -> list[str]:
        return [self.png_path] if self.png_path else []


def make_qr(job: QrJob) -> bytes | None:
    """Makes the job's PNG; returns its SVG markup (labelled QR_LABEL, UTF-8), if asked
    for."""
    code = modules(job.url)
    if job.png_path:
        atomic_write(Path(job.png_path), _png(code))
    return _svg(code, QR_LABEL).encode() if job.svg else None


class QrCache:
    """PNG codes on disk by URL; ``plan`` names each page's file and the jobs to make the
    missing ones in the worker pool (``prune`` removes the rest: the SVG files earlier
    versions kept here among them)."""

    VERSION = "4"  # 2: fixed mask, PNG by Pillow; 3: zxing-cpp's encoder; 4: one hash a URL

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self._present: set[str] | None = None

    @property
    def present(self) -> set[str]:
        """Every file in the cache, from one listing of each of its 256 folders (a stat of
        each of an archive's thousands of codes took longer)."""
        if self._present is None:
            self._present = set()
            for sub in _listing(str(self.folder)):
                folder = f"{self.folder}{os.sep}{sub}"
                self._present.update(f"{folder}{os.sep}{name}" for name in _listing(folder))
        return self._present

    def path(self, url: str) -> Path:
        """The cache file of a URL's PNG code."""
        return _cache_path(str(self.folder), f"{self.VERSION}|{encoder_version()}", url)

    def plan(self, urls: list[str]) -> tuple[dict[str, Path], list[QrJob]]:
        """Each URL's cache file, and jobs for those not on disk yet."""
        files: dict[str, Path] = {}
        jobs = []
        present, used = self.present, self.used
        for url in urls:
            png = files[url] = self.path(url)
            name = str(png)
            used.add(name)  # kept by prune()
            if name not in present:
                jobs.append(QrJob(url, name))
        return files, jobs

    def prune(self) -> None:
        """Remove the codes of pages no build asked for."""
        for path in sorted(self.present - self.used):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


@functools.lru_cache(maxsize=65536)
def _cache_path(folder: str, salt: str, url: str) -> Path:
    """A URL's PNG in the cache, named by a hash; ``salt``: the cache's and the encoder's
    versions (another encoder may choose another mask). Remembered: the preview plans
    every page's codes again after each save."""
    key = hashlib.sha256(f"{salt}|{url}".encode()).hexdigest()
    return Path(f"{folder}{os.sep}{key[:2]}{os.sep}{key}.png")


def _listing(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
