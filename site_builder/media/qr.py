"""QR codes for every page, the WeChat editor's way back to the site.

Each URL is encoded once, with a fixed mask: segno's evaluation of all eight masks was
most of the cost of a code (a build makes two files for every page), and any mask is a
valid QR code — the tests decode every one back to its URL. The PNG is written by
Pillow from the module matrix. Codes are made in the worker pool with the photos
(``QrJob``) and kept on disk by URL, so a page's codes are made once, ever; output/
links to them as it does to the photos.

They encode the page's absolute URL (from base_url), as SVG for print and PNG for
articles. They are made with segno, which writes the same bytes for the same URL.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image

from ..write.atomic import atomic_write

QR_PNG_SCALE = 8
QR_BORDER = 4


QR_MASK = 0


@functools.lru_cache(maxsize=64)
def _code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False, mask=QR_MASK)


_MODULE_SHADES = bytes.maketrans(b"\x00\x01", b"\xff\x00")  # light module white, dark black


def qr_png(url: str, scale: int = QR_PNG_SCALE) -> bytes:
    rows = _code(url).matrix
    side = len(rows) + 2 * QR_BORDER
    margin = b"\xff" * QR_BORDER
    pixels = b"".join(margin + bytes(row).translate(_MODULE_SHADES) + margin for row in rows)
    light = b"\xff" * (side * QR_BORDER)
    # One-bit before scaling: the same image, a sixty-fourth of the pixels to convert.
    image = Image.frombytes("L", (side, side), light + pixels + light).convert("1")
    image = image.resize((side * scale, side * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def qr_svg(url: str) -> bytes:
    buf = io.BytesIO()
    _code(url).save(buf, kind="svg", scale=10, border=QR_BORDER, xmldecl=False, title=url, nl=True)
    return buf.getvalue()


HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def terminal_qr(url: str) -> str:
    """The code as text for a terminal: two modules a character, light ones drawn as
    blocks (as qrencode -t UTF8 does), so it reads on the usual dark terminal."""
    rows = _code(url).matrix
    side = len(rows) + 2 * QR_BORDER

    def light(y: int, x: int) -> bool:
        inside = QR_BORDER <= y < side - QR_BORDER and QR_BORDER <= x < side - QR_BORDER
        return not (inside and rows[y - QR_BORDER][x - QR_BORDER])

    lines = []
    for y in range(0, side, 2):
        lines.append(
            "".join(
                HALF_BLOCKS[(light(y, x), light(y + 1, x) if y + 1 < side else True)]
                for x in range(side)
            )
        )
    return "\n".join(lines)


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

    VERSION = "2"  # 2: fixed mask, PNG by Pillow

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def path(self, url: str, kind: str) -> Path:
        key = hashlib.sha256(f"{self.VERSION}|{kind}|{url}".encode()).hexdigest()
        return Path(f"{self.folder}{os.sep}{key[:2]}{os.sep}{key}.{kind}")

    def plan(self, urls: list[str]) -> tuple[dict[str, tuple[Path, Path]], list[QrJob]]:
        """Each URL's cache files (PNG, SVG), and jobs for those not on disk yet."""
        files: dict[str, tuple[Path, Path]] = {}
        jobs = []
        for url in urls:
            png, svg = files[url] = self.path(url, "png"), self.path(url, "svg")
            self.used.update((str(png), str(svg)))  # kept by prune()
            if not (os.path.isfile(png) and os.path.isfile(svg)):
                jobs.append(QrJob(url, str(png), str(svg)))
        return files, jobs

    def prune(self) -> None:
        """Remove the codes of pages no build asked for."""
        for folder, _, names in os.walk(self.folder):
            for name in names:
                path = os.path.join(folder, name)
                if path not in self.used:
                    os.unlink(path)
