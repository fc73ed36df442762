"""A 推荐单位's own 公示 of its nominees, before the city's (三级公示).

The 2022 notice wants every nominee "须经所在单位、县级和市级三级公示，公示时间不少于5个
工作日". A county union or an enterprise posts its own list first; this writes that list
in the city's GB/T 9704 layout (``notice_document``), from the same records and through
the same publish gate, so nothing private reaches it.

The period comes, in that order, from ``start`` (the working days counted by the
campaign's calendar), from the nominees' recorded 单位公示/县级公示 when they agree, or
is left as blanks to fill in by hand; the CLI and the workbench say which.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..checks.workdays import Calendar, Period, period_problem
from ..errors import UsageError
from ..model.config import Channels
from ..model.dates import chinese_date, chinese_period
from ..model.record import PRIVATE_FIELDS, RECORD_ALIASES, RECORD_LABELS, LevelNotice
from ..model.source import Campaign, HonoreeSource, honoree_order
from ..options import BuildOptions
from ..pages.public import DEFAULT_RULES, NoticeRow, PublicNotice, notice_cell
from ..pipeline import prepare
from .notice_doc import notice_document

Level = Literal["unit", "county"]
LEVEL_NAMES: dict[str, Level] = {
    "单位": "unit",
    "所在单位": "unit",
    "县级": "county",
    "县": "county",
}
LEVEL_LABELS: dict[Level, str] = {"unit": "单位", "county": "县级"}
DEFAULT_COLUMNS = ("seq", "name", "gender", "unit_position", "category")
BLANK_PERIOD = "____年__月__日至____年__月__日"
BLANK_DATE = "____年__月__日"


@dataclass(frozen=True)
class UnitNotice:
    notice: PublicNotice
    unit: str
    level: Level
    dated: str  # where the period came from: "start", "records" or "blank"


def file_name(campaign_id: str, unit: str) -> str:
    """公示-活动编号-推荐单位.docx, with what Windows refuses in a file name replaced."""
    safe = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "-", unit).strip(" .-") or "推荐单位"
    return f"公示-{campaign_id}-{safe}.docx"


def nominees_by_unit(campaign: Campaign) -> dict[str, list[HonoreeSource]]:
    """Every nomination not withdrawn, by its 推荐单位 (in the campaign's order of units)."""
    order = {u.name: i for i, u in enumerate(campaign.config.units)}
    found: dict[str, list[HonoreeSource]] = {}
    for h in sorted(campaign.honorees, key=honoree_order):
        if h.record.status != "withdrawn":
            found.setdefault(h.record.nominating_unit, []).append(h)
    return dict(sorted(found.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def default_level(unit: str) -> Level:
    """A county, district or its union (修水县, 解放区总工会, 产业工会) posts the 县级 公示;
    an employer or an association its own 单位 公示."""
    return "county" if unit.endswith(("工会", "县", "区", "市", "旗")) else "unit"


def _columns(campaign: Campaign) -> list[str]:
    written = campaign.config.notice.columns if campaign.config.notice else DEFAULT_COLUMNS
    keys = [RECORD_ALIASES.get(c, c) for c in written]
    # The unit is the issuer: its own name in every row says nothing.
    return [
        k for k in keys if k in RECORD_LABELS and k not in PRIVATE_FIELDS and k != "nominating_unit"
    ]


def _minimum(campaign: Campaign) -> int:
    rules, city = campaign.config.rules, campaign.config.notice
    if rules is not None and rules.three_levels is not None and rules.three_levels.days:
        return rules.three_levels.days
    return city.min_working_days if city is not None else 5


def _recorded(people: list[HonoreeSource], level: Level) -> LevelNotice | None:
    """The level's 公示 when every nominee has the same one recorded."""
    first, *others = (getattr(h.record, f"{level}_notice") for h in people)
    return first if all(other == first for other in others) else None


def _period(
    campaign: Campaign, people: list[HonoreeSource], level: Level, start: dt.date | None
) -> tuple[Period | None, str]:
    calendar = Calendar(campaign.config.calendar)
    minimum = _minimum(campaign)
    if start is not None:
        period, problem = period_problem(calendar, start, None, minimum, minimum)
        if problem is not None:
            raise UsageError(f"公示开始日期 {start.isoformat()}：{problem[1]}")
        return period, "start"
    level_notice = _recorded(people, level)
    if level_notice is None:
        return None, "blank"
    period, _ = period_problem(
        calendar, level_notice.start, level_notice.end, level_notice.working_days, 1
    )
    return (period, "records") if period is not None else (None, "blank")


def unit_notice(
    campaign: Campaign, organiser: str, unit: str, level: Level | None, start: dt.date | None
) -> UnitNotice:
    by_unit = nominees_by_unit(campaign)
    people = by_unit.get(unit)
    if not people:
        known = "、".join(f"{u}（{len(p)}人）" for u, p in by_unit.items()) or "（还没有推荐人选）"
        raise UsageError(f"活动“{campaign.id}”里没有“{unit}”推荐的人选。有推荐人选的单位：{known}")
    level = level or default_level(unit)
    columns = _columns(campaign)
    rows = [
        NoticeRow(tuple(str(i) if key == "seq" else notice_cell(h.record, key) for key in columns))
        for i, h in enumerate(people, start=1)
    ]
    period, dated = _period(campaign, people, level, start)
    title = campaign.config.title
    who = f"经{unit}研究" if level == "unit" else f"经基层推荐、{unit}审核"
    intro = (
        f"根据{organiser}开展{title}推荐工作的要求，{who}，"
        f"现将拟推荐人选（共{len(rows)}人）予以公示，接受监督。"
    )
    if period is not None:
        period_text = f"{chinese_period(period.start, period.end)}（{period.working_days}个工作日）"
        issued = chinese_date(period.start)
    else:
        period_text = f"{BLANK_PERIOD}（不少于{_minimum(campaign)}个工作日）"
        issued = BLANK_DATE
    # The document's own date (its properties): fixed when the period is left blank.
    day = period.start if period is not None else dt.date(campaign.config.year, 1, 1)
    notice = PublicNotice(
        url="",
        title=f"关于{title}拟推荐人选的公示",
        intro=intro,
        start=day,
        end=period.end if period is not None else day,
        working_days=period.working_days if period is not None else 0,
        workdays=tuple(d.isoformat() for d in period.workdays) if period is not None else (),
        period_text=period_text,
        headers=tuple(RECORD_LABELS[key] for key in columns),
        rows=tuple(rows),
        channels=Channels.model_construct(department=unit, phones=[]),  # filled in by hand
        rules=DEFAULT_RULES,
        issuers=(unit,),
        issued=issued,
    )
    return UnitNotice(notice, unit, level, dated)


def unit_notice_for(
    options: BuildOptions,
    campaign_id: str,
    unit: str,
    level: Level | None = None,
    start: dt.date | None = None,
) -> tuple[bytes, UnitNotice]:
    """The unit's 公示 as a .docx, after the same checks as the build, through the gate."""
    prepared = prepare(options)
    campaign = next((c for c in prepared.site.campaigns if c.id == campaign_id), None)
    if campaign is None:
        known = "、".join(c.id for c in prepared.site.campaigns) or "（没有）"
        raise UsageError(f"找不到活动“{campaign_id}”。已有的活动：{known}")
    made = unit_notice(campaign, prepared.site.config.organiser, unit, level, start)
    data = notice_document(made.notice, None, fill_in=True)
    prepared.gate.check({"公示.docx": data}, Path("公示"))
    return data, made
