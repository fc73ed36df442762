"""The 公示 as a Word document laid out as official notices are, for printing and stamping.

GB/T 9704-2012 (党政机关公文格式) as far as Word allows: A4; margins top 37 mm, bottom
35 mm, left 28 mm, right 26 mm; title in 2号 (22 pt) 小标宋; body in 3号 (16 pt) 仿宋 with a
document grid of 22 lines of 28 characters; first lines indented two characters; the
issuer and date at the bottom right, four characters in from the margin, where the
stamp goes. The list is a table with the campaign's notice columns.

Deterministic: the same content gives the same bytes (fixed document properties, and
the package re-zipped with fixed timestamps), so a re-export shows no change in git.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..errors import UsageError
from ..options import BuildOptions
from ..pages.plan import notice_of
from ..pages.public import PublicNotice
from ..pipeline import prepare

TITLE_FONT = "方正小标宋简体"  # 小标宋, as GB/T 9704 asks (Word substitutes where it is missing)
BODY_FONT = "仿宋"  # 仿宋 ships with every Windows; offices with 仿宋_GB2312 may set that in Word
HEADING_FONT = "黑体"
TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 14  # 2号, 3号, 4号
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES, CHARS = 22, 28
TEXT_HEIGHT_MM = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]  # 225
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
LINE_PITCH_PT = TEXT_HEIGHT_MM / 25.4 * 72 / LINES  # ≈ 28.9 pt: 22 lines on a page


def _font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph(
    document: docx.document.Document,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = BODY_PT,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = True,
    right_chars: int = 0,
    bold: bool = False,
) -> Paragraph:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(2 * size)
    if right_chars:
        fmt.right_indent = Pt(right_chars * size)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _grid(section: docx.section.Section) -> None:
    """Word's document grid: 22 lines of 28 characters of 3号 text."""
    properties = section._sectPr
    grid = properties.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        properties.append(grid)
    char_pt = TEXT_WIDTH_MM / 25.4 * 72 / CHARS  # ≈ 15.8 pt per character
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))  # twips
    grid.set(qn("w:charSpace"), str(round((char_pt - BODY_PT) * 4096)))  # 1/4096 pt


def notice_for(options: BuildOptions, campaign_id: str) -> tuple[bytes, PublicNotice]:
    """The campaign's notice as a .docx: the site plan's 公示 page of it (after the same
    checks as the build), passed through the publish gate."""
    prepared = prepare(options)
    plan = prepared.plan
    if not plan.pages("campaign", campaign_id):
        known = "、".join(o.campaign or "" for o in plan.pages("campaign")) or "（没有）"
        raise UsageError(f"找不到活动“{campaign_id}”。已有的活动：{known}")
    page = next(iter(plan.pages("notice", campaign_id)), None)
    if page is None:
        raise UsageError(f"活动“{campaign_id}”的 campaign.yaml 里没有“公示”设置。")
    _, notice = notice_of(page)
    config = next(c for c in prepared.site.campaigns if c.id == campaign_id).config.notice
    data = notice_document(notice, config.doc_number if config else None)
    prepared.gate.check({"公示.docx": data}, Path("公示"))
    return data, notice


def notice_document(notice: PublicNotice, doc_number: str | None) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    _grid(section)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)

    if doc_number:
        _paragraph(document, doc_number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(
        document, notice.title, font=TITLE_FONT, size=TITLE_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
    )  # fmt: skip
    _paragraph(document, "", indent=False)
    _paragraph(document, notice.intro)
    _paragraph(document, f"公示时间：{notice.period_text}。")

    table = document.add_table(rows=1, cols=len(notice.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, notice.headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(header), HEADING_FONT, TABLE_PT)
    for row in notice.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row.cells, strict=True):
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, TABLE_PT)

    _paragraph(document, "", indent=False)
    _paragraph(document, "一、异议受理", font=HEADING_FONT)
    for i, rule in enumerate(notice.rules, start=1):
        _paragraph(document, f"{i}. {rule}")
    ch = notice.channels
    lines = []
    if ch.department:
        lines.append(f"受理部门：{ch.department}")
    if ch.phones:
        lines.append(f"联系电话：{'、'.join(ch.phones)}")
    if ch.email:
        lines.append(f"电子邮箱：{ch.email}")
    if ch.postal_address:
        postcode = f"（邮编 {ch.postcode}）" if ch.postcode else ""
        lines.append(f"通信地址：{ch.postal_address}{postcode}")
    if ch.visit_address:
        hours = f"（{ch.visit_hours}）" if ch.visit_hours else ""
        lines.append(f"来访地址：{ch.visit_address}{hours}")
    if lines:
        _paragraph(document, "二、联系方式", font=HEADING_FONT)
        for line in lines:
            _paragraph(document, line)

    # Issuer and date at the bottom right, four characters in: the stamp covers them.
    _paragraph(document, "", indent=False)
    for issuer in notice.issuers:
        _paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_chars=4)
    _paragraph(document, notice.issued, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_chars=4)

    stamp = dt.datetime.combine(notice.start, dt.time())
    core = document.core_properties
    core.title = notice.title
    core.author = core.last_modified_by = notice.issuers[0] if notice.issuers else ""
    core.created = core.modified = stamp
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic(buffer.getvalue())


def _deterministic(package: bytes) -> bytes:
    """The same package with fixed timestamps and order: same content, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
