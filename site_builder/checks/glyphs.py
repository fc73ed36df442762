"""Every character a share poster prints must be in the poster font: never tofu boxes."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problems
from ..media.fonts import missing_glyphs
from ..model.source import Site

POSTER_FIXED_TEXT = "长按识别二维码阅读的先进事迹“”…"


def check_poster_glyphs(site: Site, font: Path, problems: Problems) -> None:
    """Every character a poster prints must be in the font: never boxes of tofu."""
    fixed = POSTER_FIXED_TEXT + site.config.organiser
    for campaign in site.campaigns:
        for h in campaign.public_honorees:
            rec = h.record
            text = (
                fixed
                + campaign.config.title
                + rec.name
                + rec.display_unit
                + rec.category
                + rec.summary[:60]
            )
            missing = missing_glyphs(font, text)
            if missing:
                problems.add(
                    h.path,
                    h.field_line("name"),
                    "海报",
                    f"海报字体 {font.name} 缺少“{''.join(missing)}”的字形，会显示成方框",
                    "请在 site.yaml 用“海报字体: 字体文件路径”指定包含这些字的中文字体，或改用常用字",
                )
