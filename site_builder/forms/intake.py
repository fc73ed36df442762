"""Reading the forms the officer already receives: the 推荐汇总表 (.xlsx) and 推荐表 (.docx).

Both are matched by label, never by position: the summary table's header row is
found wherever it is (title rows and merged cells above it are common), and a
form's values are taken from the cell next to their label, whatever the layout of
the 2022 or 2024 form. Labels are compared with all white space removed (“参加工\\n
作时间”, “学 历”) and without their parenthesised hints (“主要事迹（500字）”).

Pure reading: each file gives ``Intake`` records (Chinese keys, ready to be written
as front matter) and ``Unreadable`` notes for every cell that could not be read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from ..errors import FieldError
from ..media.imaging import as_jpeg, enable_heif
from ..media.metadata import strip_metadata
from ..model.dates import YearMonth, parse_year_month
from ..model.fields import one_line
from ..model.record import RECORD_ALIASES, RECORD_LABELS
from ..options import DEFAULT_MAX_PIXELS
from .package import PackageError, opened

# Fields of the record no paper form has: never read from a form's cell.
NOT_ON_FORMS = {"status", "badges", "portrait", "photos", "slug"}
# What the forms call a field that the schema does not.
FORM_SYNONYMS = {"出生": "出生年月", "身份证号码": "身份证号", "职务职称": "职务", "电话": "联系方式",
                 "手机": "联系方式", "联系电话": "联系方式", "曾获主要荣誉": "获得荣誉",
                 "主要荣誉": "获得荣誉", "主要事迹": "事迹简介"}  # fmt: skip
# Form label (normalised) → the record field's Chinese label: every label the schema
# accepts (model/record.py), and the forms' own synonyms.
LABELS = {
    label: RECORD_LABELS[key]
    for label, key in RECORD_ALIASES.items()
    if not label.isascii() and key not in NOT_ON_FORMS
} | FORM_SYNONYMS
MAX_ROWS = 5_000  # people in one sheet: a province's whole list fits
IGNORED_LABELS = {"所在单位意见", "推荐单位意见", "申报单位意见", "正面免冠彩色近照", "附件"}
CHECKED = "☑✓✔√■☒▣"
UNCHECKED = "☐□"
DATE_KEYS = {"出生年月", "参加工作时间"}
LIST_KEYS = {"获得荣誉", "媒体宣传情况"}


@dataclass
class Unreadable:
    """A cell that could not be read: where, and why (in Chinese)."""

    file: str
    place: str  # 表格 1 第 3 行第 2 列 / 工作表“汇总” 第 5 行 F 列
    reason: str
    doubtful: bool = False  # read, but the officer must confirm the value

    def __str__(self) -> str:
        return f"{self.file}: {self.place} — {self.reason}"


@dataclass
class Intake:
    """One person read from a file, with Chinese keys, plus the photos found in it."""

    source: str
    fields: dict[str, Any] = field(default_factory=dict)
    photos: list[tuple[str, bytes]] = field(default_factory=list)  # (suffix, data), portrait first

    @property
    def name(self) -> str:
        return str(self.fields.get("姓名", ""))

    @property
    def unit(self) -> str:
        return str(self.fields.get("推荐单位", ""))


def norm_label(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[（(][^）)]*[）)]", "", text)  # hints: （500字以内）, (1寸)
    return re.sub(r"[\s:：*]", "", text)


def label_key(text: str) -> str | None:
    return LABELS.get(norm_label(text))


def clean_text(value: Any) -> str:
    """Trailing spaces, full-width spaces and NBSPs gone; a hint in brackets alone is empty."""
    text = str(value).replace("\u3000", " ").replace("\xa0", " ").strip()
    if re.fullmatch(r"[（(][^）)]*[）)]", text):
        return ""
    return text


def clean_name(value: Any) -> str:
    """张 伟 → 张伟 (CJK names never contain spaces); Latin names keep theirs."""
    text = clean_text(value)
    if re.search(r"[\u4e00-\u9fff]", text):
        text = re.sub(r"\s+", "", text)
    return unicodedata.normalize("NFKC", text) if text.isascii() else text


EXCEL_EPOCH = dt.date(1899, 12, 30)


def year_month(value: Any, number_format: str = "") -> YearMonth:
    """Every spelling seen on real forms, including Excel serial numbers and datetime cells."""
    if isinstance(value, (dt.date, dt.datetime)):
        return YearMonth(value.year, value.month)
    if isinstance(value, float) and re.search(r"0\.00", number_format):
        value = f"{value:.2f}"  # a cell showing 1990.10 holds the float 1990.1
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        day = EXCEL_EPOCH + dt.timedelta(days=int(value))  # an Excel date serial
        return YearMonth(day.year, day.month)
    return parse_year_month(unicodedata.normalize("NFKC", str(value)).strip())


def october_or_january(value: Any, number_format: str = "") -> bool:
    """A General cell holding 1990.1: typed as 1990.1 (January) or as 1990.10 (October)?"""
    return (
        isinstance(value, float)
        and not re.search(r"0\.00", number_format)
        and re.fullmatch(r"\d{4}\.1", repr(value)) is not None
    )


def _set(
    intake: Intake, key: str, raw: Any, where: str, notes: list[Unreadable], number_format: str = ""
) -> None:
    if raw is None or (isinstance(raw, str) and not clean_text(raw)):
        return
    if key == "姓名":
        intake.fields[key] = clean_name(raw)
    elif key in DATE_KEYS:
        try:
            value = year_month(raw, number_format)
        except FieldError as exc:
            notes.append(Unreadable(intake.source, where, f"{key}：{exc.message}"))
            return
        intake.fields[key] = f"{value.year}.{value.month}"
        if october_or_january(raw, number_format):
            notes.append(
                Unreadable(
                    intake.source,
                    where,
                    f"{key}：单元格里是数字 {raw}，按 {value.year}年1月导入；如果原来写的是 "
                    f"{value.year}.10（10 月），Excel 会把它存成 {raw}——请核对后在记录里改正",
                    doubtful=True,
                )
            )
    elif key in LIST_KEYS:
        items = [clean_text(x) for x in re.split(r"[\n；;]+", str(raw))]
        intake.fields[key] = [x for x in items if x]
    elif key == "序号":
        text = unicodedata.normalize("NFKC", str(raw)).strip().rstrip(".")
        if text.isdigit():
            intake.fields[key] = int(text)
        else:
            notes.append(Unreadable(intake.source, where, f"序号“{raw}”不是数字"))
    elif key == "性别":
        text = clean_text(raw)
        if text in ("男", "女"):
            intake.fields[key] = text
        else:
            notes.append(Unreadable(intake.source, where, f"性别“{text}”应为 男 或 女"))
    else:
        intake.fields[key] = clean_text(raw)


# --- the summary table (.xlsx) ----------------------------------------------------------------


def read_xlsx(path: Path) -> tuple[list[Intake], list[Unreadable]]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    notes: list[Unreadable] = []
    people: list[Intake] = []
    try:
        workbook = opened(path, lambda p: load_workbook(p, data_only=True, read_only=False))
    except PackageError as exc:
        return [], [Unreadable(path.name, "整个文件", str(exc))]
    for sheet in workbook.worksheets:
        title = one_line(str(sheet.title))  # a name is a name: no line breaks into a record
        header_row, columns = None, {}
        for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 30)):
            found = {
                c.column: label_key(str(c.value))
                for c in row
                if c.value is not None and label_key(str(c.value))
            }
            if "姓名" in found.values() and len(found) >= 3:
                header_row, columns = row[0].row, found
                unknown = [
                    c
                    for c in row
                    if c.value is not None
                    and c.column not in found
                    and norm_label(str(c.value)) not in IGNORED_LABELS
                ]
                for c in unknown:
                    notes.append(
                        Unreadable(
                            path.name,
                            f"工作表“{title}” 第 {c.row} 行 {get_column_letter(c.column)} 列",
                            f"不认识的列标题“{clean_text(c.value)}”，该列未导入",
                        )
                    )
                break
        if header_row is None:
            continue
        last = header_row + MAX_ROWS
        beyond = sheet.iter_rows(min_row=last + 1, values_only=True)
        if any(value not in (None, "") for row in beyond for value in row):
            notes.append(
                Unreadable(
                    path.name,
                    f"工作表“{title}” 第 {last + 1} 行起",
                    f"一张表最多导入 {MAX_ROWS} 行，其余未导入；请分成几个文件",
                )
            )
        for row in sheet.iter_rows(min_row=header_row + 1, max_row=last):
            cells = {c.column: c for c in row if c.column in columns}
            filled = [c for c in cells.values() if c.value not in (None, "")]
            if all(columns[c.column] == "序号" for c in filled):
                continue  # an empty row, perhaps numbered in advance (the blank 汇总表 is)
            intake = Intake(f"{one_line(path.name)} 工作表“{title}” 第 {row[0].row} 行")
            for column, cell in cells.items():
                where = f"工作表“{title}” 第 {cell.row} 行 {get_column_letter(column)} 列"
                _set(
                    intake,
                    columns[column] or "",
                    cell.value,
                    where,
                    notes,
                    cell.number_format or "",
                )
            if intake.name:
                people.append(intake)
            else:
                notes.append(
                    Unreadable(
                        path.name,
                        f"工作表“{title}” 第 {row[0].row} 行",
                        "没有姓名，整行未导入",
                    )
                )
    if not people and not notes:
        notes.append(Unreadable(path.name, "全部工作表", "没有找到含“姓名”等列标题的表头行"))
    return people, notes


# --- the nomination form (.docx) --------------------------------------------------------------


def _category(text: str) -> str | None:
    """类别：☑数字经济领域 ☐新业态领域 → 数字经济领域."""
    m = re.search(f"[{CHECKED}]\\s*([^{CHECKED}{UNCHECKED}\\s]+)", text)
    return m.group(1) if m else None


def read_docx(path: Path) -> tuple[list[Intake], list[Unreadable]]:
    import docx

    notes: list[Unreadable] = []
    try:
        document = opened(path, lambda p: docx.Document(str(p)))
    except PackageError as exc:
        return [], [Unreadable(path.name, "整个文件", str(exc))]
    intake = Intake(one_line(path.name))
    for paragraph in document.paragraphs:
        text = paragraph.text
        if norm_label(text).startswith("类别") and (category := _category(text)):
            intake.fields["类别"] = category
        m = re.match(r"\s*推荐单位[：:]\s*(.+)", text)
        if m and clean_text(re.sub(r"[（(]盖章[）)]", "", m.group(1))):
            intake.fields["推荐单位"] = clean_text(re.sub(r"[（(]盖章[）)]", "", m.group(1)))
    for t_index, table in enumerate(document.tables, start=1):
        for r_index, row in enumerate(table.rows, start=1):
            cells = _distinct(row.cells)
            in_contact_row = any(label_key(c.text) == "联系人" for c in cells)
            for c_index, cell in enumerate(cells):
                text = cell.text
                if "类别" in norm_label(text) and (category := _category(text)):
                    intake.fields["类别"] = category
                    continue
                key = label_key(text)
                if key is None:
                    continue
                if key == "联系方式" and in_contact_row:
                    key = "联系人电话"
                value = _value_after(cells, c_index)
                where = f"表格 {t_index} 第 {r_index} 行第 {c_index + 1} 格（“{norm_label(text)}”）"
                if value is None:
                    continue
                if key in intake.fields:
                    continue  # the first occurrence of a label wins
                _set(intake, key, value, where, notes)
    intake.photos = _images(document, path.name, notes)
    if not intake.name:
        notes.append(Unreadable(path.name, "全文", "没有找到“姓名”一栏的内容，未导入"))
        return [], notes
    return [intake], notes


def _distinct(cells: list[Any]) -> list[Any]:
    """python-docx repeats a merged cell once per grid column: keep each cell once."""
    out: list[Any] = []
    for cell in cells:
        if not out or cell._tc is not out[-1]._tc:
            out.append(cell)
    return out


def _value_after(cells: list[Any], index: int) -> str | None:
    for cell in cells[index + 1 :]:
        if label_key(cell.text) is not None or norm_label(cell.text) in IGNORED_LABELS:
            return None
        return str(cell.text)
    return None


def _images(document: Any, name: str, notes: list[Unreadable]) -> list[tuple[str, bytes]]:
    """Embedded pictures in document order (the first is taken as the portrait), each a
    real JPEG or PNG of a sane size, stored without its metadata (GPS, phone, owner)."""
    from docx.oxml.ns import qn

    photos: list[tuple[str, bytes]] = []
    seen: set[str] = set()
    for blip in document.element.body.iter(qn("a:blip")):
        rid = blip.get(qn("r:embed"))
        if not rid or rid in seen:
            continue
        seen.add(rid)
        part = document.part.related_parts.get(rid)
        if part is None:
            continue
        data = part.blob
        enable_heif()
        try:
            with Image.open(io.BytesIO(data)) as im:
                size, kind = im.size, im.format
        except Exception:  # a picture Pillow cannot read: said, not imported
            kind, size = None, (0, 0)
        if kind not in ("JPEG", "MPO", "PNG", "HEIF") or size[0] * size[1] > DEFAULT_MAX_PIXELS:
            place = f"第 {len(seen)} 张图片"
            notes.append(Unreadable(name, place, "不是可用的 JPG/PNG/HEIC 照片或像素过多，未导入"))
            continue
        if kind == "HEIF":  # an iPhone photo pasted into the form: kept as a plain JPEG
            photos.append((".jpg", as_jpeg(data)))
            continue
        photos.append((".png" if kind == "PNG" else ".jpg", strip_metadata(data)))
    return photos


def read_file(path: Path) -> tuple[list[Intake], list[Unreadable]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix == ".docx":
        return read_docx(path)
    if suffix in (".xls", ".doc", ".wps", ".et"):
        return [], [
            Unreadable(
                path.name,
                "整个文件",
                "这是旧版 Office/WPS 格式，请用 WPS 或 Office “另存为” .xlsx 或 .docx 后再导入",
            )
        ]
    return [], [Unreadable(path.name, "整个文件", "只能导入 .xlsx 推荐汇总表和 .docx 推荐表")]
