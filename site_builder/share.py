"""What the WeChat editor takes away: QR codes for every page, and the CJK font posters need.

QR codes encode the page's absolute URL (from base_url), as SVG for print and PNG for
articles. They are made with segno, which writes the same bytes for the same URL.
"""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

import segno
from PIL import ImageFont

from .errors import UsageError

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


def default_font() -> Path | None:
    """Noto Sans SC (SIL OFL) shipped by the pylopdf-fonts-zh-cn wheel, if installed."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    return path if path.is_file() else None


def find_font(configured: str | None, site_dir: Path) -> Path:
    if configured:
        path = Path(configured)
        path = path if path.is_absolute() else site_dir / path
        if not path.is_file():
            raise UsageError(f"找不到 site.yaml 里“海报字体”指定的字体文件“{configured}”。")
        return path
    font = default_font()
    if font is None:
        raise UsageError(
            "缺少生成海报所需的中文字体。请重新安装 site-builder（会同时安装 pylopdf-fonts-zh-cn 中的"
            "思源黑体 Noto Sans SC），或在 site.yaml 里用“海报字体: 字体文件路径”指定一个中文字体。"
        )
    return font


@functools.lru_cache(maxsize=4)
def font_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@functools.lru_cache(maxsize=4)
def _tofu(path: str) -> bytes:
    font = ImageFont.truetype(path, 40)
    return bytes(font.getmask("\U0010fffd"))


@functools.lru_cache(maxsize=4)
def _font40(path: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, 40)


@functools.lru_cache(maxsize=65536)
def _has_glyph(path: str, ch: str) -> bool:
    return bytes(_font40(path).getmask(ch)) != _tofu(path)


def missing_glyphs(font_path: Path, text: str) -> list[str]:
    """Characters the font has no glyph for (they would print as tofu boxes)."""
    return [
        ch
        for ch in sorted(set(text))
        if not (ch.isspace() or ord(ch) < 0x20) and not _has_glyph(str(font_path), ch)
    ]


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
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(path)
            return data

    def prune(self) -> None:
        if self.folder.is_dir():
            for path in self.folder.rglob("*.*"):
                if path not in self.used:
                    path.unlink()
