"""QR codes for every page, the WeChat editor's way back to the site.

They encode the page's absolute URL (from base_url), as SVG for print and PNG for
articles. The module matrix comes from zxing-cpp's encoder (libzint, in C: ~0.17 ms a
code, against ~1.1 ms for segno's pure Python, which the first round used); the PNG
and the SVG are written here from it, so the same URL always gives the same bytes.
The tests read every kind back to its URL with zxing-cpp's reader, which shares no
code with the encoder.

Codes are made in the worker pool with the photos (``QrJob``) and kept on disk by URL
and encoder version, so a page's codes are made once, ever; output/ links to them as
it does to the photos.
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
QR_SVG_SCALE = 10
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
    rows = _bordered(modules(url))
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


def qr_svg(url: str) -> bytes:
    """One path of horizontal strokes, a run of dark modules each, in relative moves
    (the form segno writes: the file stays a few kilobytes), titled with the URL. The
    runs are found in one pass over the rows joined by a light module."""
    code = modules(url)
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
    size = (code.side + 2 * QR_BORDER) * QR_SVG_SCALE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" class="qr">'
        f"<title>{html.escape(url, quote=False)}</title>"
        f'<path transform="scale({QR_SVG_SCALE})" stroke="#000" d="{"".join(moves)}"/></svg>\n'
    ).encode()


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
    """Both codes of one page, made in a worker and written to the cache."""

    url: str
    png_path: str
    svg_path: str

    @property
    def paths(self) -> list[str]:
        return [self.png_path, self.svg_path]


def make_qr(job: QrJob) -> None:
    atomic_write(Path(job.png_path), qr_png(job.url))
    atomic_write(Path(job.svg_path), qr_svg(job.url))


class QrCache:
    """QR codes on disk by URL; ``plan`` names each page's files and the jobs to make the
    missing ones in the worker pool."""

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

    def paths(self, url: str) -> tuple[Path, Path]:
        """The cache files of a URL's codes: PNG and SVG."""
        return _cache_paths(str(self.folder), f"{self.VERSION}|{encoder_version()}", url)

    def plan(self, urls: list[str]) -> tuple[dict[str, tuple[Path, Path]], list[QrJob]]:
        """Each URL's cache files (PNG, SVG), and jobs for those not on disk yet."""
        files: dict[str, tuple[Path, Path]] = {}
        jobs = []
        present, used = self.present, self.used
        for url in urls:
            png, svg = files[url] = self.paths(url)
            png_name, svg_name = str(png), str(svg)
            used.add(png_name)  # kept by prune()
            used.add(svg_name)
            if png_name not in present or svg_name not in present:
                jobs.append(QrJob(url, png_name, svg_name))
        return files, jobs

    def prune(self) -> None:
        """Remove the codes of pages no build asked for."""
        for path in sorted(self.present - self.used):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


@functools.lru_cache(maxsize=65536)
def _cache_paths(folder: str, salt: str, url: str) -> tuple[Path, Path]:
    """A URL's two files in the cache, named by one hash; ``salt``: the cache's and the
    encoder's versions (another encoder may choose another mask). Remembered: the preview
    plans every page's codes again after each save."""
    key = hashlib.sha256(f"{salt}|{url}".encode()).hexdigest()
    png = Path(f"{folder}{os.sep}{key[:2]}{os.sep}{key}.png")
    return png, png.with_suffix(".svg")  # the folder and name not parsed again


def _listing(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
