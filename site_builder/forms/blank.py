"""The blank forms of a call for nominations, made from the campaign's own settings.

The seeds attach a 推荐表 (附件1), a 推荐汇总表 and a 名额分配表 (附件2). Kept by hand
they drift from the campaign: a unit's name spelt otherwise, a category that is not the
campaign's, and every such person is an error at import. So they are generated: the
推荐表 (.docx, A4) with the campaign's name in its title and its categories as tick
boxes; the 推荐汇总表 (.xlsx) with 附件2's columns and drop-down lists for 性别, 类别
and 推荐单位 (a value outside them is refused as it is typed); the 名额分配表 from the
units and their 名额. Filled in and sent back, each imports with ``import`` as it is:
its labels are the ones the importer reads.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.datavalidation import DataValidation

from ..model.config import CampaignConfig
from .package import deterministic

FORM_FONT = "仿宋"
ROWS = 200  # people one unit may list in the 汇总表
SUMMARY_HEADER = ["序号", "推荐单位", "姓名", "性别", "出生年月", "民族", "政治面貌", "单位及职务",
                  "类别", "主要荣誉", "主要事迹（500 字以内）"]  # fmt: skip
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIXED_CORE_TIME = b"2000-01-01T00:00:00Z"  # the time openpyxl would stamp, fixed


def _book(wb: Workbook) -> bytes:
    wb.properties.creator = "site-builder"
    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return deterministic(buffer.getvalue(), FIXED_CORE_TIME)


def summary_template(config: CampaignConfig) -> bytes:
    """附件2 as a unit fills it in: the title, 推荐单位（盖章）and 日期, the columns, and
    drop-down lists that refuse a 性别, 类别 or 推荐单位 the campaign does not have."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "推荐汇总表"
    width = len(SUMMARY_HEADER)
    ws.append([f"{config.title}推荐汇总表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(name="方正小标宋简体", size=18)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["推荐单位（盖章）："] + [None] * (width - 3) + ["日期：", "    年  月  日"])
    ws.append(SUMMARY_HEADER)
    for cell in ws[3]:
        cell.font = Font(name="黑体", size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    for column, size in zip("ABCDEFGHIJK", (6, 18, 10, 6, 10, 8, 10, 24, 12, 30, 40), strict=True):
        ws.column_dimensions[column].width = size
    for row in range(4, 4 + ROWS):
        ws.cell(row, 1, row - 3)
        ws.cell(row, 5).number_format = "@"  # 1990.10 stays 1990.10, not 1990.1
        for col in range(1, width + 1):
            ws.cell(row, col).border = BOX
            ws.cell(row, col).alignment = Alignment(vertical="top", wrap_text=True)
    lists = wb.create_sheet("选项")
    lists.sheet_state = "hidden"
    choices = {"D": ["男", "女"], "I": list(config.categories), "B": [u.name for u in config.units]}
    for index, (column, values) in enumerate(choices.items(), start=1):
        if not values:
            continue  # no units: any unit may nominate
        letter = "ABC"[index - 1]
        for row, value in enumerate(values, start=1):
            lists.cell(row, index, value)
        rule = DataValidation(
            type="list", formula1=f"选项!${letter}$1:${letter}${len(values)}", allow_blank=True,
            showErrorMessage=True, errorTitle="请从列表中选择",
            error="这一格只能填活动设置里的值，请点右边的小箭头从列表中选择。",
        )  # fmt: skip
        rule.add(f"{column}4:{column}{3 + ROWS}")
        ws.add_data_validation(rule)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    return _book(wb)


def quota_table(config: CampaignConfig) -> bytes:
    """The 名额分配表: each unit and its 名额, and the total."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "名额分配表"
    ws.append([f"{config.title}推荐名额分配表"])
    ws.merge_cells("A1:C1")
    ws["A1"].font = Font(name="方正小标宋简体", size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["序号", "推荐单位", "名额"])
    for i, unit in enumerate(config.units, start=1):
        ws.append([i, unit.name, unit.quota if unit.quota is not None else "不限"])
    total = sum(u.quota or 0 for u in config.units)
    ws.append([None, "合计", total])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.border = BOX
            cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 10
    return _book(wb)


def _cell(cell: docx.table._Cell, text: str, bold: bool = False, centre: bool = True) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph = cell.paragraphs[0]
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(12)
    run.font.bold = bold
    run.font.name = FORM_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FORM_FONT)


def _height(row: docx.table._Row, cm: float) -> None:
    row.height = Cm(cm)
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def blank_form(config: CampaignConfig) -> bytes:
    """附件1, the 推荐表: A4, one sheet (both sides), every label the importer reads."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.2)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{config.title}推荐表")
    run.font.size = Pt(18)
    run.font.name = "方正小标宋简体"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "方正小标宋简体")
    if config.categories:
        boxes = "　".join(f"☐{c}" for c in config.categories)
        line = document.add_paragraph()
        _run = line.add_run(f"类别：{boxes}（请在所选类别前的方框内打“√”）")
        _run.font.size = Pt(12)
    table = document.add_table(rows=11, cols=7)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    layout = [
        ["姓名", "", "性别", "", "出生年月", "", "照片"],
        ["民族", "", "政治面貌", "", "籍贯", "", ""],
        ["学历", "", "参加工作时间", "", "工会会员", "", ""],
        ["身份证号", "", "", "", "", "", ""],
        ["单位及职务", "", "", "", "", "", ""],
        ["推荐单位", "", "", "", "", "", ""],
        ["职称", "", "技术等级", "", "联系方式", "", ""],
        ["联系人", "", "联系人电话", "", "", "", ""],
        ["曾获主要荣誉", "", "", "", "", "", ""],
        ["主要事迹（500字以内）", "", "", "", "", "", ""],
        ["推荐单位意见", "（盖章）\n\n年　　月　　日", "", "", "", "", ""],
    ]
    widths = (2.8, 2.4, 2.2, 2.4, 2.2, 2.2, 2.4)  # 16.6 cm: the text width
    for r, values in enumerate(layout):
        for c, text in enumerate(values):
            table.cell(r, c).width = Cm(widths[c])
            if text and text != "照片":
                is_label = c in (0, 2, 4) or (r == 7 and c == 2)
                _cell(table.cell(r, c), text, bold=is_label, centre=True)
    photo = table.cell(0, 6).merge(table.cell(2, 6))
    _cell(photo, "正面免冠彩色近照（1寸）")
    for r in (3, 4, 5):
        table.cell(r, 1).merge(table.cell(r, 6))
    table.cell(6, 5).merge(table.cell(6, 6))
    table.cell(7, 3).merge(table.cell(7, 6))
    for r in (8, 9, 10):
        table.cell(r, 1).merge(table.cell(r, 6))
    heights = (1.2, 1.2, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0, 4.0, 9.0, 3.2)
    for row, cm in zip(table.rows, heights, strict=True):
        _height(row, cm)
    note = document.add_paragraph()
    _note = note.add_run(
        "填表说明：请用 A4 纸双面打印；身份证号、联系方式只用于核验，不会公开。"
        "详细事迹（3000 字左右）另附；工作照 2–3 张另附，每张注明照片内容。"
    )
    _note.font.size = Pt(10.5)
    core = document.core_properties
    core.title = f"{config.title}推荐表"
    core.author = core.last_modified_by = "site-builder"
    core.created = core.modified = dt.datetime(2000, 1, 1)
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic(buffer.getvalue())
