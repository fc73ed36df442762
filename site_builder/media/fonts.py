"""The CJK font share posters are drawn with, and which characters it can print.

Noto Sans SC (SIL OFL) comes with the ``pylopdf-fonts-zh-cn`` wheel, so an installed
site-builder never needs a font from the officer; ``海报字体`` in site.yaml names
another one. A character the font has no glyph for would print as a tofu box, so
the build asks ``missing_glyphs`` before drawing.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from PIL import ImageFont

from ..errors import UsageError


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
