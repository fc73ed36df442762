"""The notice form: its values from campaign.yaml, the period they give, and the keys as
the officer wrote them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from ..checks.notice import check_notice
from ..checks.workdays import Calendar, period_problem
from ..errors import Problem, Problems
from ..load.content import parse_campaign
from ..model.config import CampaignConfig, Channels, Notice
from ..model.dates import chinese_period
from ..model.fields import aliases, fields_of, labels_of
from ..model.record import RECORD_ALIASES, RECORD_LABELS, Record
from ..model.source import Campaign
from ..options import BuildOptions
from ..write.atomic import atomic_write
from .edit import edit_mapping
from .history import History
from .record_form import Form, digest, one, texts_of, typed_date
from .response import Response


class Pages(Protocol):
    """What the notice actions need of the workbench."""

    options: BuildOptions
    history: History

    def page(self, template: str, status: int, **context: Any) -> Response: ...


NOTICE_KEYS = ["title", "doc_number", "start", "end", "working_days", "min_working_days",
               "issuers", "issued"]  # fmt: skip
CHANNEL_KEYS = ["department", "phones", "email", "postal_address", "postcode", "visit_address",
                "visit_hours"]  # fmt: skip
NOTICE_ALIASES, NOTICE_LABELS = aliases(Notice), labels_of(Notice)
CHANNEL_ALIASES, CHANNEL_LABELS = aliases(Channels), labels_of(Channels)
LIST_KEYS = {"issuers", "phones"}
# What the 公示's list may show, in the order it shows them: the record's public fields
# that are one value each (never a private one; lists, photos and the story are not cells).
COLUMN_CHOICES = [
    d.key for d in fields_of(Record)
    if d.privacy != "private" and d.key not in
    {"honours", "media", "photos", "portrait", "badges", "summary", "status", "slug",
     "unit_notice", "county_notice", "employer", "position"}
]  # fmt: skip


def current_columns(campaign: Campaign) -> list[str]:
    notice = campaign.config.notice
    if notice is None:
        return ["seq", "name", "gender", "nominating_unit", "unit_position", "category"]
    keys = [RECORD_ALIASES.get(c) for c in notice.columns]
    return [k for k in keys if k is not None]


def notice_values(campaign: Campaign) -> dict[str, str]:
    notice = campaign.config.notice
    values = dict.fromkeys(NOTICE_KEYS + CHANNEL_KEYS, "")
    if notice is None:
        return values
    values |= texts_of(notice, NOTICE_KEYS, LIST_KEYS)
    return values | texts_of(notice.channels, CHANNEL_KEYS, LIST_KEYS)


def yaml_value(key: str, value: str) -> Any:
    if key in LIST_KEYS:
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value or None


def written_key(
    campaign: Campaign, key: str, parent: tuple[str | int, ...] = ()
) -> tuple[str | int, ...]:
    """The path of ``key`` in campaign.yaml as the officer wrote it (公示 or notice …)."""
    for loc in campaign.doc.lines:
        if len(loc) == len(parent) + 1 and loc[: len(parent)] == parent:
            model_aliases = aliases(CampaignConfig) if not parent else NOTICE_ALIASES
            if model_aliases.get(str(loc[-1])) == key:
                return loc
    raise KeyError(key)


def notice_period(campaign: Campaign, form: Form) -> str:
    """The period the form's dates give (2024年3月28日至4月3日（5个工作日）), or its problem."""
    try:
        start = dt.date.fromisoformat(one(form, "n.start").strip())
        end_text = one(form, "n.end").strip()
        end = dt.date.fromisoformat(end_text) if end_text else None
        days_text = one(form, "n.working_days").strip()
        days = int(days_text) if days_text else None
        minimum = int(one(form, "n.min_working_days").strip() or 5)
    except ValueError:
        return "请把日期写成 2024-03-28 的样子，工作日数写整数。"
    if end is None and days is None:
        return "请写结束日期或工作日数。"
    notice = campaign.config.notice
    counts = notice.start_counts if notice is not None else True
    period, problem = period_problem(
        Calendar(campaign.config.calendar), start, end, days, minimum, counts
    )
    if problem is not None:
        return f"{problem[1]} — {problem[2]}"
    assert period is not None
    return f"{chinese_period(period.start, period.end)}（{period.working_days}个工作日）"


def show_notice(
bench: Pages, campaign: Campaign, values: dict[str, str], problems: list[Problem], message: str,
    status: int = 200, chosen: list[str] | None = None,
) -> Response:  # fmt: skip
    chosen = current_columns(campaign) if chosen is None else chosen
    return bench.page(
        "notice.html", status, campaign=campaign, values=values, problems=problems,
        column_choices=[(k, RECORD_LABELS[k]) for k in COLUMN_CHOICES], chosen=chosen,
        message=message, digest=digest(campaign.path.read_text("utf-8")),
        period=notice_period(campaign, {f"n.{k}": [v] for k, v in values.items()}),
    )  # fmt: skip


def save_notice(bench: Pages, campaign: Campaign, form: Form) -> Response:
    text = campaign.path.read_text("utf-8")
    if one(form, "digest") != digest(text):
        current, labels = notice_values(campaign), NOTICE_LABELS | CHANNEL_LABELS
        typed = "；".join(
            f"{labels.get(k, k)}：{v}"
            for k in NOTICE_KEYS + CHANNEL_KEYS
            if (v := one(form, f"n.{k}").strip()) != current[k]
        )
        return show_notice(bench,
            campaign, current, [], "保存被拒绝：campaign.yaml 在打开本页后被别处修改过，"
            "本次没有写入。下面已是文件现在的内容"
            + (f"；您刚才填写的是：{typed}。请对照后重新填写、保存。" if typed else "。"), 409,
        )  # fmt: skip
    values = {k: one(form, f"n.{k}").strip() for k in NOTICE_KEYS + CHANNEL_KEYS}
    values |= {k: typed_date(values[k]) for k in ("start", "end", "issued")}
    current = notice_values(campaign)
    changed = {k: v for k, v in values.items() if v != current.get(k)}
    if changed.get("end"):
        changed["working_days"] = ""
    elif changed.get("working_days"):
        changed["end"] = ""
    notice_changes = {k: yaml_value(k, v) for k, v in changed.items() if k in NOTICE_KEYS}
    ticked = set(form.get("n.columns", []))
    kept = current_columns(campaign)  # the order the officer has: ticked ones join at the end
    columns = [k for k in kept if k in ticked] + [
        k for k in COLUMN_CHOICES if k in ticked and k not in kept
    ]
    shown = one(form, "n.columns_shown") == "1"  # the form had the columns: none ticked is none
    if shown and columns != current_columns(campaign):
        notice_changes["columns"] = [RECORD_LABELS[k] for k in columns] or None
    channel_changes = {k: yaml_value(k, v) for k, v in changed.items() if k in CHANNEL_KEYS}
    new = text
    if campaign.config.notice is None:  # the first 公示 of this campaign: the whole section
        section = {NOTICE_LABELS[k]: v for k, v in notice_changes.items() if v is not None}
        section[NOTICE_LABELS["channels"]] = {
            CHANNEL_LABELS[k]: v for k, v in channel_changes.items() if v not in (None, [])
        }
        labels = labels_of(CampaignConfig)
        new = edit_mapping(new, 1, (), {"notice": section}, aliases(CampaignConfig), labels)
    else:
        notice_loc = written_key(campaign, "notice")
        if channel_changes:
            channel_loc = (*notice_loc, written_key(campaign, "channels", notice_loc)[-1])
            new = edit_mapping(
                new, 1, channel_loc, channel_changes, CHANNEL_ALIASES, CHANNEL_LABELS
            )
        if notice_changes:
            new = edit_mapping(new, 1, notice_loc, notice_changes, NOTICE_ALIASES, NOTICE_LABELS)
    if new == text:
        return show_notice(bench, campaign, current, [], "没有改动。")
    problems = Problems(display_root=bench.options.content.resolve())
    config, doc = parse_campaign(new, campaign.path, problems)
    if config is not None and config.notice is not None:
        check_notice(Campaign(campaign.id, campaign.folder, config, doc), problems)

    if problems.errors:
        return show_notice(
            bench,
            campaign,
            values,
            problems.errors,
            "有错误，没有保存。",
            422,
            columns if shown else None,
        )
    bench.history.keep(campaign.path, text.encode())
    atomic_write(campaign.path, new.encode())
    return show_notice(bench, campaign, values, [], "已保存。", chosen=columns if shown else None)
