"""``site-builder export``: the 推荐汇总表 of approved honourees, in 附件2's column order.

Private columns are added only when asked for; which columns they are comes from
the record schema's privacy classes, never from a list kept by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from ..model.dates import YearMonth
from ..model.record import PRIVATE_KEYS, RECORD_LABELS, Record
from ..model.source import Campaign, honoree_order
from .importing import open_campaign

SUMMARY_COLUMNS = [
    "序号",
    "推荐单位",
    "姓名",
    "性别",
    "出生年月",
    "民族",
    "政治面貌",
    "单位及职务",
    "主要荣誉",
    "主要事迹",
]
PRIVATE_COLUMNS = [RECORD_LABELS[key] for key in PRIVATE_KEYS]


def summary_rows(campaign: Campaign, include_private: bool) -> list[list[str]]:
    rows = []
    for seq, h in enumerate(sorted(campaign.public_honorees, key=honoree_order), start=1):
        rec: Record = h.record
        row = [
            str(seq),
            rec.nominating_unit,
            rec.name,
            rec.gender,
            _ym(rec.birth),
            rec.ethnicity or "",
            rec.political_status or "",
            rec.display_unit,
            "；".join(x.title for x in rec.honours),
            rec.summary,
        ]
        if include_private:
            row += [_cell(getattr(rec, key)) for key in PRIVATE_KEYS]
        rows.append(row)
    return rows


def _ym(value: YearMonth | None) -> str:
    return "" if value is None else f"{value.year}.{value.month:02d}"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


# A cell beginning with one of these is a formula to Excel and WPS (=HYPERLINK(…) sends
# a click elsewhere, =cmd|' /C calc'!A0 runs a program): OWASP's rule for CSV.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A CSV cell that Excel reads as text, never as a formula: a leading ' where needed."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def export(content: Path, campaign_id: str, fmt: str, include_private: bool) -> tuple[bytes, int]:
    campaign = open_campaign(content, campaign_id)
    header = SUMMARY_COLUMNS + (PRIVATE_COLUMNS if include_private else [])
    rows = summary_rows(campaign, include_private)
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([csv_text(cell) for cell in row] for row in rows)
        return ("\ufeff" + text.getvalue()).encode("utf-8"), len(rows)  # BOM: Excel reads UTF-8
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "推荐汇总表"
    sheet.append([f"{campaign.config.title}推荐汇总表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":  # openpyxl takes a string beginning with = as a formula
                cell.data_type = "s"  # written as the text it is
    for letter, width in zip(
        "ABCDEFGHIJKLMNOPQ",
        [6, 18, 10, 6, 10, 8, 10, 28, 30, 60, 20, 14, 24, 8, 10, 14, 8],
        strict=False,
    ):
        sheet.column_dimensions[letter].width = width
    stamp = dt.datetime(campaign.config.year, 1, 1)  # no build time inside: same bytes
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue(), len(rows)
