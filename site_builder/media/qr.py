"""QR codes for every page, the WeChat editor's way back to the site.

They encode the page's absolute URL (from base_url), as SVG for print and PNG for
articles. They are made with segno, which writes the same bytes for the same URL.
"""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

import segno

from ..write.atomic import atomic_write

QR_PNG_SCALE = 8
QR_BORDER = 4


@functools.lru_cache(maxsize=4096)
def qr_png(url: str, scale: int = QR_PNG_SCALE) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=scale, border=QR_BORDER)
    return buf.getvalue()


@functools.lru_cache(maxsize=4096)
def qr_svg(url: str) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buf, kind="svg", scale=10, border=QR_BORDER, xmldecl=False, title=url, nl=True
    )
    return buf.getvalue()


class QrCache:
    """QR codes on disk by URL: segno takes ~20 ms a code, a site has two per page."""

    VERSION = "1"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[Path] = set()

    def get(self, url: str, kind: str) -> bytes:
        key = hashlib.sha256(f"{self.VERSION}|{kind}|{url}".encode()).hexdigest()
        path = self.folder / key[:2] / f"{key}.{kind}"
        self.used.add(path)
        try:
            return path.read_bytes()
        except OSError:
            data = qr_png(url) if kind == "png" else qr_svg(url)
            atomic_write(path, data)
            return data

    def prune(self) -> None:
        if self.folder.is_dir():
            for path in self.folder.rglob("*.*"):
                if path not in self.used:
                    path.unlink()
