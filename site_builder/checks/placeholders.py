"""Scaffold placeholders left in the officer's files (“请填写…”, “这里写详细事迹…”).

``site-builder new`` writes prompts where real content must go. Each one left behind
is reported: a warning while it cannot reach a reader, an error where it would be
published as it is — in an approved record, or in the footer every page shows.
"""

from __future__ import annotations

from ..errors import Problems
from ..model.config import SiteConfig
from ..model.fields import PLACEHOLDER
from ..model.source import SITE_FILE, Loc, Site, key_line, placeholders

__all__ = ["PLACEHOLDER", "check_placeholders"]

FOOTER_KEYS = ("页脚", "footer")
FIX = "请改成真实内容（用不到的可选项可以整行删除）"


def _label(loc: Loc) -> str:
    return " ".join(f"第{part + 1}项" if isinstance(part, int) else str(part) for part in loc)


def check_placeholders(site: Site, problems: Problems) -> None:
    if site.config.is_example_url:
        problems.warn(
            site.root / SITE_FILE,
            key_line(site.doc, SiteConfig, "base_url"),
            "网址",
            "网址还是模板里的示例，二维码和分享链接会指向它",
            "请改成网站发布后的真实网址（发布前必须改好，否则不能发布）",
        )
    for loc, text, line in placeholders(site.doc):
        published = bool(loc) and loc[0] in FOOTER_KEYS
        add = problems.add if published else problems.warn
        where = "页脚会显示在每一页上，" if published else ""
        add(site.root / SITE_FILE, line, _label(loc), f"“{text}”还是模板里的提示文字", where + FIX)
    for campaign in site.campaigns:
        # The campaign's name and its 公示 are on its pages once anyone in it is approved.
        published = bool(campaign.public_honorees)
        add = problems.add if published else problems.warn
        note = "本活动已有审定的人选，会发布到网站上，" if published else "发布前"
        for loc, text, line in placeholders(campaign.doc):
            add(campaign.path, line, _label(loc), f"“{text}”还是模板里的提示文字", note + FIX)
        for h in campaign.honorees:
            add = problems.warn if h.draft else problems.add
            note = "" if h.draft else "已审定的人选会发布到网站上，"
            for loc, text, line in h.placeholders:
                add(h.path, line, _label(loc), f"“{text}”还是模板里的提示文字", note + FIX)
            if PLACEHOLDER.match(h.story):
                add(
                    h.path,
                    h.story_line,
                    "事迹正文",
                    "详细事迹还是模板里的提示文字",
                    note + "请写上真实的详细事迹",
                )
