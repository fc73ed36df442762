"""Campaign rules from the notices (quotas, per-category limits, years of work …), as data.

Each rule is declared in campaign.yaml under ``规则:`` and carries its own level:
``错误`` stops the build, ``警告`` is reported and lets it go on. Only the models live
here; ``checks/rules.py`` holds one small check function per rule.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator

from .fields import Strict, field

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


class LevelsRule(Strict):
    days: int | None = field(
        ("最少工作日", "工作日"), "单位和县级公示各至少几个工作日（默认同市级公示，一般为 5）"
    )
    level: Level = field("级别", "错误 或 警告", default="error")


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
    three_levels: Annotated[LevelsRule | None, BeforeValidator(_rule)] = field(
        "三级公示",
        "人选须先经所在单位、县级公示（各不少于规定工作日），都在市级公示开始之前结束",
    )
    story: StoryRule | None = field(
        ("详细事迹字数", "事迹字数"), "详细事迹的字数范围（默认约 3000 字，给出警告）"
    )


def rule_models() -> dict[str, type[BaseModel]]:
    """Each rule's settings model, from its declaration (so a form of every rule needs no
    list kept beside this one)."""
    return {
        key: next(a for a in get_args(info.annotation) if a is not type(None))
        for key, info in Rules.model_fields.items()
    }
