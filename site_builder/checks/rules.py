"""Checking a campaign's rules (declared in ``model/rules.py``): one small function per rule.

A campaign rule looks at counts over the whole campaign; a person rule looks at one
nominated record. Each function registers itself under the name of its field in
``Rules``, so a new rule is one model field and one function here, and ``check_rules``
runs the ones the campaign wrote. Counting follows the notices: quotas and
per-category limits count nominations (every record not withdrawn); totals count
approved honourees; person rules look at every record not withdrawn, and what they
find in a draft is a warning (a draft is not published).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problems
from ..model.dates import full_years_between
from ..model.record import Record
from ..model.rules import (
    BadgeRule,
    CountRule,
    LevelOnly,
    LevelsRule,
    PhotoRule,
    Rules,
    StoryRule,
    YearsRule,
)
from ..model.source import Campaign, HonoreeSource, key_line
from .photos import default_portrait
from .workdays import Calendar, period_problem


@dataclass(frozen=True)
class Nominations:
    """What the campaign rules count: everyone not withdrawn, and the approved among them."""

    campaign: Campaign
    nominated: list[HonoreeSource]
    approved: list[HonoreeSource]


@dataclass(frozen=True)
class Report:
    """Adds a finding at the level the campaign set for the rule (错误 or 警告)."""

    problems: Problems
    level: str

    def __call__(
        self,
        where: Path,
        line: int | None,
        label: str,
        message: str,
        fix: str,
        concerns: Iterable[HonoreeSource] = (),
    ) -> None:
        folders = [h.folder for h in concerns]
        if self.level == "error":
            self.problems.add(where, line, label, message, fix, concerns=folders)
        else:
            self.problems.warn(where, line, label, message, fix, concerns=folders)


CampaignCheck = Callable[[Nominations, Any, Report], None]
PersonCheck = Callable[[HonoreeSource, Any, Report, dt.date], None]
CAMPAIGN_RULES: dict[str, CampaignCheck] = {}
PERSON_RULES: dict[str, PersonCheck] = {}
RULE_FIELDS: dict[str, tuple[str, ...]] = {}  # the record fields a person rule reads


def campaign_rule(name: str) -> Callable[[CampaignCheck], CampaignCheck]:
    def register(check: CampaignCheck) -> CampaignCheck:
        assert name in Rules.model_fields, name
        CAMPAIGN_RULES[name] = check
        return check

    return register


def person_rule(name: str, *fields: str) -> Callable[[PersonCheck], PersonCheck]:
    """Register a person rule; it is skipped for a record whose ``fields`` are at fault."""

    def register(check: PersonCheck) -> PersonCheck:
        assert name in Rules.model_fields, name
        PERSON_RULES[name] = check
        RULE_FIELDS[name] = fields
        return check

    return register


def check_rules(campaign: Campaign, problems: Problems, reference: dt.date) -> None:
    """Run every rule the campaign wrote; ``reference`` is the day years of work count to."""
    rules = campaign.config.rules
    if rules is None:
        return
    nominated = [h for h in campaign.honorees if h.record.status != "withdrawn"]
    counts = Nominations(campaign, nominated, [h for h in nominated if h.is_public])
    for name, check in CAMPAIGN_RULES.items():
        rule = getattr(rules, name)
        if rule is not None:
            check(counts, rule, Report(problems, rule.level))
    for h in nominated:
        target = problems.as_warnings() if h.draft else problems
        for name, person_check in PERSON_RULES.items():
            rule = getattr(rules, name)
            if rule is not None and not h.at_fault.intersection(RULE_FIELDS[name]):
                person_check(h, rule, Report(target, rule.level), reference)


# --- rules over the campaign ---------------------------------------------------------------------


def _counted(n: Nominations, *fields: str) -> list[HonoreeSource]:
    """Nominations whose ``fields`` are not at fault: a stand-in (？) is never counted."""
    return [h for h in n.nominated if not h.at_fault.intersection(fields)]


@campaign_rule("quotas")
def _quotas(n: Nominations, rule: LevelOnly, report: Report) -> None:
    counted = _counted(n, "nominating_unit")
    counts = Counter(h.record.nominating_unit for h in counted)
    for unit in n.campaign.config.units:
        if unit.quota is not None and counts[unit.name] > unit.quota:
            report(
                n.campaign.path,
                None,
                "推荐名额",
                f"“{unit.name}”推荐了 {counts[unit.name]} 人，超过名额 {unit.quota} 人",
                "请撤销多出的人选（状态改为 已撤销），或核对名额",
                [h for h in counted if h.record.nominating_unit == unit.name],
            )


@campaign_rule("per_category")
def _per_category(n: Nominations, rule: CountRule, report: Report) -> None:
    counted = _counted(n, "nominating_unit", "category")
    pairs = Counter((h.record.nominating_unit, h.record.category) for h in counted)
    for pair, count in sorted(pairs.items()):
        unit_name, category = pair
        if count > rule.max:
            report(
                n.campaign.path,
                None,
                "每类每单位最多",
                f"“{unit_name}”在“{category}”类别推荐了 {count} 人，每个类别最多 {rule.max} 人",
                "请撤销多出的人选，或改推荐到其他类别",
                [h for h in counted if (h.record.nominating_unit, h.record.category) == pair],
            )


@campaign_rule("total")
def _total(n: Nominations, rule: CountRule, report: Report) -> None:
    if len(n.approved) > rule.max:
        report(
            n.campaign.path,
            None,
            "总人数",
            f"已审定 {len(n.approved)} 人，超过评选人数 {rule.max} 人",
            "请核对审定名单",
        )


@campaign_rule("province")
def _province(n: Nominations, rule: BadgeRule, report: Report) -> None:
    marked = [h for h in n.approved if rule.badge in h.record.badges]
    if len(marked) > rule.max:
        report(
            n.campaign.path,
            None,
            "省级推荐",
            f"带“{rule.badge}”标记的有 {len(marked)} 人，超过 {rule.max} 人",
            "请核对推荐省级候选人名单",
        )


# --- rules for each nominated person -------------------------------------------------------------


@person_rule("min_years", "work_start")
def _min_years(h: HonoreeSource, rule: YearsRule, report: Report, reference: dt.date) -> None:
    start = h.record.work_start
    if start is None:
        report(
            h.path,
            None,
            "参加工作时间",
            "缺少参加工作时间，无法核对工作年限",
            "请填写“参加工作时间: 2015.03”",
        )
    elif full_years_between(start, reference) < rule.years:
        report(
            h.path,
            h.field_line("work_start"),
            "参加工作时间",
            f"{start}参加工作，到 {reference.isoformat()} 不满 {rule.years} 年",
            f"本活动要求工作满 {rule.years} 年，请核对",
        )


@person_rule("union_member", "union_member")
def _union_member(h: HonoreeSource, rule: LevelOnly, report: Report, reference: dt.date) -> None:
    member = h.record.union_member
    if member is not True:
        report(
            h.path,
            h.field_line("union_member"),
            "工会会员",
            "未注明是工会会员" if member is None else "不是工会会员",
            "本活动要求人选为工会会员；如已入会，请写“工会会员: 是”",
        )


@person_rule("honours", "honours")
def _honours(h: HonoreeSource, rule: LevelOnly, report: Report, reference: dt.date) -> None:
    if not h.record.honours:
        report(
            h.path,
            None,
            "获得荣誉",
            "没有填写任何荣誉",
            "本活动要求有县级以上荣誉基础，请在“获得荣誉”中列出",
        )


@person_rule("media", "media")
def _media(h: HonoreeSource, rule: LevelOnly, report: Report, reference: dt.date) -> None:
    if not h.record.media:
        report(
            h.path,
            None,
            "媒体宣传情况",
            "没有填写媒体报道",
            "本活动要求事迹在媒体作过宣传，请在“媒体宣传情况”中列出",
        )


@person_rule("photos", "portrait", "photos")
def _photos(h: HonoreeSource, rule: PhotoRule, report: Report, reference: dt.date) -> None:
    rec = h.record
    has_portrait = rec.portrait is not None or default_portrait(h) is not None
    if rule.portrait and not has_portrait:
        report(h.path, None, "证件照", "缺少证件照", "请放入 1 寸证件照 portrait.jpg")
    if not rule.min_work <= len(rec.photos) <= rule.max_work:
        report(
            h.path,
            h.field_line("photos"),
            "工作照",
            f"有 {len(rec.photos)} 张工作照，要求 {rule.min_work}–{rule.max_work} 张",
            "请增减工作照",
        )


def story_chars(text: str) -> int:
    """Characters of a story as the notices count them: no spaces or Markdown marks."""
    return len(re.sub(r"[\s#>*_`\-\[\]()!]", "", text))


@person_rule("story")
def _story(h: HonoreeSource, rule: StoryRule, report: Report, reference: dt.date) -> None:
    n = story_chars(h.story)
    if not rule.min <= n <= rule.max:
        report(
            h.path,
            h.story_line,
            "详细事迹",
            f"详细事迹约 {n} 字，要求 {rule.min}–{rule.max} 字",
            "请补充或精简正文",
        )


LEVELS = (("unit_notice", "单位公示", "所在单位"), ("county_notice", "县级公示", "县级"))


@campaign_rule("three_levels")
def _three_levels(n: Nominations, rule: LevelsRule, report: Report) -> None:
    """Each nominee's 单位 and 县级 公示: recorded, long enough, in order, and over before
    the city's begins (the 2022 notice: "须经所在单位、县级和市级三级公示，公示时间不少于5个
    工作日"). Working days by the same calendar as the city's 公示."""
    city = n.campaign.config.notice
    calendar = Calendar(n.campaign.config.calendar)
    minimum = rule.days or (city.min_working_days if city is not None else 5)
    for h in n.nominated:
        if h.at_fault.intersection(key for key, _, _ in LEVELS):
            continue  # the record's own problem is said already
        say = Report(report.problems.as_warnings(), report.level) if h.draft else report
        before: tuple[str, dt.date] | None = None
        for key, label, who in LEVELS:
            level = getattr(h.record, key)
            line = key_line(h.doc, Record, key)
            if level is None:
                say(h.path, line, label, f"没有{who}公示的记录",
                    f"请填写{who}公示的开始、结束日期（或工作日数）和地点", [h])  # fmt: skip
                continue
            period, problem = period_problem(
                calendar, level.start, level.end, level.working_days, minimum
            )
            if problem is not None or period is None:
                message, fix = problem[1:] if problem else ("公示期无法计算", "请检查日期")
                say(h.path, line, label, f"{who}公示：{message}", fix, [h])
                continue
            if before is not None and period.start <= before[1]:
                say(h.path, line, label,
                    f"{who}公示 {period.start.isoformat()} 开始，早于{before[0]}公示结束（{before[1].isoformat()}）",
                    f"{who}公示应在{before[0]}公示结束之后开始；请核对日期", [h])  # fmt: skip
            if city is not None and period.end >= city.start:
                say(h.path, line, label,
                    f"{who}公示到 {period.end.isoformat()} 才结束，晚于市级公示开始（{city.start.isoformat()}）",
                    "三级公示依次进行：请核对日期，或把市级公示推后", [h])  # fmt: skip
            before = (who, period.end)
