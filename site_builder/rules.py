"""Campaign rules from the notices (quotas, per-category limits, years of work …).

Each rule is declared in campaign.yaml under ``规则:`` and carries its own level:
``错误`` stops the build, ``警告`` is reported and lets it go on. Counting follows the
notices: quotas and per-category limits count nominations (every record not
withdrawn); totals count approved honourees; the per-person rules look at each record
that is not withdrawn.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator

from .dates import full_years_between
from .errors import Problems
from .schema import Strict, field

if TYPE_CHECKING:  # content imports config, which imports the models here
    from .content import Campaign

LEVELS = {"错误": "error", "警告": "warning", "error": "error", "warning": "warning"}


def _level(value: Any) -> Any:
    return LEVELS.get(str(value).strip(), value) if isinstance(value, str) else value


Level = Annotated[Literal["error", "warning"], BeforeValidator(_level)]


def _rule(value: Any) -> Any:
    """``须为工会会员: 错误`` is shorthand for ``{级别: 错误}``."""
    return {"level": value} if isinstance(value, str) else value


class LevelOnly(Strict):
    level: Level = field("级别", "错误 或 警告", default="error")


class CountRule(Strict):
    max: int = field(("人数", "最多"), "人数上限", default=...)
    level: Level = field("级别", "错误 或 警告", default="error")


class BadgeRule(Strict):
    max: int = field(("人数", "最多"), "带此标记的人数上限", default=...)
    badge: str = field("标记", "计数的标记", default="推荐省级候选人")
    level: Level = field("级别", "错误 或 警告", default="error")


class YearsRule(Strict):
    years: int = field(("年数", "年"), "参加工作至少满多少年", default=...)
    level: Level = field("级别", "错误 或 警告", default="error")


class PhotoRule(Strict):
    portrait: int = field("证件照", "证件照张数", default=1)
    min_work: int = field("工作照最少", "工作照至少几张", default=2)
    max_work: int = field("工作照最多", "工作照最多几张", default=3)
    level: Level = field("级别", "错误 或 警告", default="warning")


class StoryRule(Strict):
    min: int = field("最少字数", "详细事迹至少多少字", default=1500)
    max: int = field("最多字数", "详细事迹最多多少字", default=4500)
    level: Level = field("级别", "错误 或 警告", default="warning")


R = Annotated[LevelOnly | None, BeforeValidator(_rule)]


class Rules(Strict):
    """campaign.yaml ``规则:``; a rule that is not written is not checked."""

    quotas: R = field(("推荐名额", "名额"), "每个推荐单位的推荐人数不超过“推荐单位”里的名额")
    per_category: CountRule | None = field(
        ("每类每单位最多", "每个类别最多"), "每个推荐单位在每个类别中最多推荐几人"
    )
    total: CountRule | None = field(("总人数", "评选人数"), "审定人选总数上限")
    province: BadgeRule | None = field(("省级推荐", "推荐省级"), "带“推荐省级候选人”标记的人数上限")
    min_years: YearsRule | None = field(
        ("最少工作年限", "工作年限"), "参加工作至少满几年（按公示开始日计算）"
    )
    union_member: R = field(("须为工会会员", "工会会员"), "人选须为工会会员")
    honours: R = field(("须有荣誉", "荣誉基础"), "人选须有至少一项荣誉")
    media: R = field(("须有媒体报道", "媒体宣传"), "人选事迹须有至少一篇媒体报道")
    photos: PhotoRule | None = field("照片", "证件照与工作照张数")
    story: StoryRule | None = field(
        ("详细事迹字数", "事迹字数"), "详细事迹的字数范围（默认约 3000 字，给出警告）"
    )


def _chars(text: str) -> int:
    return len(re.sub(r"[\s#>*_`\-\[\]()!]", "", text))


def check_rules(campaign: Campaign, problems: Problems, reference: dt.date) -> None:
    """Check the campaign's rules over its records (counts, then each nominated person)."""
    rules = campaign.config.rules
    if rules is None:
        return
    nominated = [h for h in campaign.honorees if h.record.status != "withdrawn"]
    approved = [h for h in nominated if h.record.status == "approved"]
    path = campaign.path
    target = problems

    def add(level: str, where: Path, line: int | None, label: str, message: str, fix: str) -> None:
        (target.add if level == "error" else target.warn)(where, line, label, message, fix)

    if rules.quotas is not None:
        counts = Counter(h.record.nominating_unit for h in nominated)
        for unit in campaign.config.units:
            if unit.quota is not None and counts[unit.name] > unit.quota:
                add(
                    rules.quotas.level,
                    path,
                    None,
                    "推荐名额",
                    f"“{unit.name}”推荐了 {counts[unit.name]} 人，超过名额 {unit.quota} 人",
                    "请撤销多出的人选（状态改为 已撤销），或核对名额",
                )
    if rules.per_category is not None:
        pairs = Counter((h.record.nominating_unit, h.record.category) for h in nominated)
        for (unit_name, category), n in sorted(pairs.items()):
            if n > rules.per_category.max:
                add(
                    rules.per_category.level,
                    path,
                    None,
                    "每类每单位最多",
                    f"“{unit_name}”在“{category}”类别推荐了 {n} 人，每个类别最多 {rules.per_category.max} 人",
                    "请撤销多出的人选，或改推荐到其他类别",
                )
    if rules.total is not None and len(approved) > rules.total.max:
        add(
            rules.total.level,
            path,
            None,
            "总人数",
            f"已审定 {len(approved)} 人，超过评选人数 {rules.total.max} 人",
            "请核对审定名单",
        )
    if rules.province is not None:
        marked = [h for h in approved if rules.province.badge in h.record.badges]
        if len(marked) > rules.province.max:
            add(
                rules.province.level,
                path,
                None,
                "省级推荐",
                f"带“{rules.province.badge}”标记的有 {len(marked)} 人，超过 {rules.province.max} 人",
                "请核对推荐省级候选人名单",
            )
    for h in nominated:
        rec = h.record
        target = problems if h.published else problems.as_warnings()
        if rules.min_years is not None:
            if rec.work_start is None:
                add(
                    rules.min_years.level,
                    h.path,
                    None,
                    "参加工作时间",
                    "缺少参加工作时间，无法核对工作年限",
                    "请填写“参加工作时间: 2015.03”",
                )
            elif full_years_between(rec.work_start, reference) < rules.min_years.years:
                add(
                    rules.min_years.level,
                    h.path,
                    h.field_line("work_start"),
                    "参加工作时间",
                    f"{rec.work_start}参加工作，到 {reference.isoformat()} 不满 {rules.min_years.years} 年",
                    f"本活动要求工作满 {rules.min_years.years} 年，请核对",
                )
        if rules.union_member is not None and rec.union_member is not True:
            add(
                rules.union_member.level,
                h.path,
                h.field_line("union_member"),
                "工会会员",
                "未注明是工会会员" if rec.union_member is None else "不是工会会员",
                "本活动要求人选为工会会员；如已入会，请写“工会会员: 是”",
            )
        if rules.honours is not None and not rec.honours:
            add(
                rules.honours.level,
                h.path,
                None,
                "获得荣誉",
                "没有填写任何荣誉",
                "本活动要求有县级以上荣誉基础，请在“获得荣誉”中列出",
            )
        if rules.media is not None and not rec.media:
            add(
                rules.media.level,
                h.path,
                None,
                "媒体宣传情况",
                "没有填写媒体报道",
                "本活动要求事迹在媒体作过宣传，请在“媒体宣传情况”中列出",
            )
        if rules.photos is not None:
            p = rules.photos
            has_portrait = rec.portrait is not None or (h.folder / "portrait.jpg").is_file()
            if p.portrait and not has_portrait:
                add(p.level, h.path, None, "证件照", "缺少证件照", "请放入 1 寸证件照 portrait.jpg")
            if not p.min_work <= len(rec.photos) <= p.max_work:
                add(
                    p.level,
                    h.path,
                    h.field_line("photos"),
                    "工作照",
                    f"有 {len(rec.photos)} 张工作照，要求 {p.min_work}–{p.max_work} 张",
                    "请增减工作照",
                )
        if rules.story is not None:
            n = _chars(h.story)
            if not rules.story.min <= n <= rules.story.max:
                add(
                    rules.story.level,
                    h.path,
                    h.story_line,
                    "详细事迹",
                    f"详细事迹约 {n} 字，要求 {rules.story.min}–{rules.story.max} 字",
                    "请补充或精简正文",
                )
