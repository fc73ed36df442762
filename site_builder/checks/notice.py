"""The campaign's 公示 settings checked: list columns and the working-day period."""

from __future__ import annotations

from ..errors import Problems
from ..model.config import CampaignConfig
from ..model.record import PRIVATE_FIELDS, RECORD_ALIASES
from ..model.source import Campaign, key_line
from .workdays import Calendar, Period, period_problem


def check_notice(campaign: Campaign, problems: Problems) -> tuple[Period | None, list[str]]:
    notice = campaign.config.notice
    assert notice is not None
    notice_line = key_line(campaign.doc, CampaignConfig, "notice")
    columns: list[str] = []
    for col in notice.columns:
        key = RECORD_ALIASES.get(col)
        if key is None:
            problems.add(
                campaign.path,
                notice_line,
                "公示 名单字段",
                f"未知字段“{col}”",
                "请写记录里的字段名，例如 姓名、单位及职务",
            )
        elif key in PRIVATE_FIELDS:
            problems.add(
                campaign.path,
                notice_line,
                "公示 名单字段",
                f"“{col}”是不公开字段，不能出现在公示名单里",
                "请从名单字段中删除",
            )
        else:
            columns.append(key)
    calendar = Calendar(campaign.config.calendar)
    period, problem = period_problem(
        calendar,
        notice.start,
        notice.end,
        notice.working_days,
        notice.min_working_days,
        notice.start_counts,
    )
    if problem is not None:
        key, message, fix = problem
        label = {"end": "公示 结束", "working_days": "公示 工作日数", "calendar": "日历"}[key]
        problems.add(campaign.path, notice_line, label, message, fix)
    if period is not None and notice.issued > period.end:
        problems.add(
            campaign.path,
            notice_line,
            "公示 发布日期",
            f"发布日期 {notice.issued.isoformat()} 在公示期结束（{period.end.isoformat()}）之后",
            "公示要在公示期开始前或当天发布：请把发布日期改为公示开始那天或之前",
        )
    elif period is not None and notice.issued > period.start:
        problems.as_warnings().add(
            campaign.path,
            notice_line,
            "公示 发布日期",
            f"发布日期 {notice.issued.isoformat()} 晚于公示开始（{period.start.isoformat()}）",
            "公示通常在开始那天或之前发布；请核对两个日期",
        )
    return period, columns
