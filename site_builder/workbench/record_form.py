"""The record form: what it shows for a record, and what a submitted form asks to change."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from typing import Any

from ..model.fields import Declared, fields_of
from ..model.record import STATUS_LABELS, Honour, LevelNotice, MediaItem, Record
from ..model.source import HonoreeSource, raw_value

Form = Mapping[str, list[str]]
HONOUR_KEYS = ("year", "title", "awarded_by")
MEDIA_KEYS = ("outlet", "title", "date", "url")
# Fields shown elsewhere on the record page or not edited by a form control.
NOT_IN_FORM = {"portrait", "photos", "honours", "media", "badges", "unit_notice", "county_notice"}
LEVEL_NOTICES = ("unit_notice", "county_notice")  # 单位公示, 县级公示: a small form each
LEVEL_KEYS = ("start", "end", "working_days", "place")
_DATE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$")


def form_fields() -> list[Declared]:
    return [d for d in fields_of(Record) if d.key not in NOT_IN_FORM]


# The record form's sections, as on the 推荐表: (legend, fields shown, fields folded away
# under 更多 unless they hold something). Every form field is in exactly one (tested).
SECTIONS: list[tuple[str, list[str], list[str]]] = [
    ("基本信息", ["name", "gender", "birth", "ethnicity", "native_place", "political_status",
              "education"], ["professional_title", "skill_level"]),
    ("单位与类别", ["nominating_unit", "category", "unit_position", "work_start"],
     ["employer", "position"]),
    ("审定", ["status", "seq"], ["slug"]),
    ("事迹简介", ["summary"], []),
    ("不公开信息：只用于核验，绝不会出现在网站上", ["id_number", "phone", "address", "union_member"],
     ["postcode", "contact_person", "contact_phone"]),
]  # fmt: skip


def sections() -> list[tuple[str, list[Declared], list[Declared]]]:
    by_key = {d.key: d for d in form_fields()}
    return [(legend, [by_key[k] for k in shown], [by_key[k] for k in more])
            for legend, shown, more in SECTIONS]  # fmt: skip


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "year") and hasattr(value, "month") and not hasattr(value, "day"):
        return f"{value.year}.{value.month:02d}"
    return str(value)


def texts_of(model: Any, keys: list[str], lists: set[str]) -> dict[str, str]:
    """Settings as a form shows them: a list one item a line, anything else as text."""
    return {
        key: "\n".join(getattr(model, key)) if key in lists else text_of(getattr(model, key))
        for key in keys
    }


def form_values(h: HonoreeSource) -> dict[str, Any]:
    """What the form shows for a record, as text."""
    rec = h.record
    values: dict[str, Any] = {d.key: text_of(getattr(rec, d.key)) for d in form_fields()}
    # A field that failed validation holds a stand-in (STAND_INS): the form shows what the
    # file has instead, so a control never shows a value the file does not have (an empty
    # 性别 shown as 男 could never be saved as 男).
    for key in h.at_fault & values.keys():
        raw = raw_value(h.doc, Record, key)
        values[key] = "" if raw is None or isinstance(raw, (dict, list)) else str(raw)
    values["status"] = STATUS_LABELS[rec.status]
    values["honours"] = [{k: text_of(getattr(x, k)) for k in HONOUR_KEYS} for x in rec.honours]
    values["media"] = [{k: text_of(getattr(x, k)) for k in MEDIA_KEYS} for x in rec.media]
    values["badges"] = "\n".join(rec.badges)
    for key in LEVEL_NOTICES:
        level = getattr(rec, key)
        values[key] = {k: text_of(getattr(level, k)) if level else "" for k in LEVEL_KEYS}
    values["story"] = h.story.rstrip("\n")
    return values


def values_from_form(form: Form) -> dict[str, Any]:
    values: dict[str, Any] = {d.key: one(form, f"f.{d.key}").strip() for d in form_fields()}
    values["honours"] = _rows(form, "honours", HONOUR_KEYS)
    values["media"] = _rows(form, "media", MEDIA_KEYS)
    values["badges"] = "\n".join(
        line.strip() for line in one(form, "f.badges").splitlines() if line.strip()
    )
    values["story"] = one(form, "story").rstrip()
    for key in LEVEL_NOTICES:
        typed = {k: one(form, f"{key}.{k}").strip() for k in LEVEL_KEYS}
        values[key] = typed | {k: typed_date(typed[k]) for k in ("start", "end")}
    return values


def _rows(form: Form, name: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    rows = []
    for i in range(200):
        row = {k: one(form, f"{name}.{i}.{k}").strip() for k in keys}
        if not any(f"{name}.{i}.{k}" in form for k in keys):
            break
        if any(row.values()):
            rows.append(row)
    return rows


def shown(value: Any) -> str:
    """A form value as plain text, for listing what the officer typed."""
    if isinstance(value, list):
        return "\n".join("；".join(v for v in row.values() if v) for row in value)
    if isinstance(value, dict):
        return "；".join(v for v in value.values() if v)
    return str(value)


def to_record(key: str, value: Any) -> Any:
    """A form value as the record file writes it (Chinese keys inside lists)."""
    if key in ("honours", "media"):
        model = Honour if key == "honours" else MediaItem
        labels = {d.key: d.label for d in fields_of(model)}
        return [{labels[k]: v for k, v in row.items() if v} for row in value]
    if key == "badges":
        return [line for line in value.splitlines() if line]
    if key in LEVEL_NOTICES:
        labels = {d.key: d.label for d in fields_of(LevelNotice)}
        written = {labels[k]: int(v) if k == "working_days" and v.isdigit() else v
                   for k, v in value.items() if v}  # fmt: skip
        return written or None
    if key == "union_member":
        return {"是": True, "否": False}.get(value)
    return value or None


def one(form: Form, name: str) -> str:
    values = form.get(name)
    return values[0] if values else ""


def digest(text: str) -> str:
    """A short fingerprint of a file's text: a save checks the file is still what was shown."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def typed_date(text: str) -> str:
    """A date as people type it (2024.4.7, 2024/04/07, 2024年4月7日) in the files' form
    (2024-04-07); anything else as typed, for the reading to name."""
    m = _DATE.match(text)
    if m is None:
        return text.strip()
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return text.strip()
