"""Scaffold placeholders left in the officer's files (“请填写…”, “这里写详细事迹…”).

``site-builder new`` writes prompts where real content must go. Each one left behind
is reported: a warning while it cannot reach a reader, an error where it would be
published as it is — in an approved record, or in the footer every page shows.
"""

from __future__ import annotations

from ..errors import Problems
from ..model.fields import PLACEHOLDER
from ..model.source import SITE_FILE, Loc, Site, placeholders

__all__ = ["PLACEHOLDER", "check_placeholders"]

FOOTER_KEYS = ("页脚", "footer")
FIX = "请改成真实内容（用不到的可选项可以整行删除）"


def _label(loc: Loc) -> str:
    return " ".join(f"第{part + 1}项" if isinstance(part, int) else str(part) for part in loc)


def check_placeholders(site: Site, problems: Problems) -> None:
    for loc, text, line in placeholders(site.doc):
        published = bool(loc) and loc[0] in FOOTER_KEYS
        add = problems.add if published else problems.warn
        where = "页脚会显示在每一页上，" if published else ""
        add(site.root / SITE_FILE, line, _label(loc), f"“{text}”还是模板里的提示文字", where + FIX)
    for campaign in site.campaigns:
        for loc, text, line in placeholders(campaign.doc):
            problems.warn(
                campaign.path, line, _label(loc), f"“{text}”还是模板里的提示文字", "发布前" + FIX
            )
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
