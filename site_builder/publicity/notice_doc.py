"""The 公示 as a Word document laid out as official notices are, for printing and stamping.

GB/T 9704-2012 (党政机关公文格式) as far as Word allows: A4; margins top 37 mm, bottom
35 mm, left 28 mm, right 26 mm; title in 2号 (22 pt) 小标宋; body in 3号 (16 pt) 仿宋,
22 lines of 28 characters (a line grid, and characters set 0.25 pt closer, so that
Word, WPS and LibreOffice all break lines at 28: a character grid is read differently
by each); first lines indented two characters; the date four characters in from the
right margin and the issuer centred over it, where the stamp goes; page numbers in
4号 宋体 between 一字线 (— 1 —), odd pages right and even pages left, one character
in (7.5). The list is a table with the campaign's notice columns, each as wide as its
content needs, its header row repeated on every page and no row split across pages.

Deterministic: the same content gives the same bytes (fixed document properties, and
the package re-zipped with fixed timestamps), so a re-export shows no change in git.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..errors import UsageError
from ..forms.package import deterministic
from ..options import BuildOptions
from ..pages.plan import notice_of
from ..pages.public import PublicNotice
from ..pipeline import prepare

PAGE_FONT = "宋体"
TITLE_FONT = "方正小标宋简体"  # 小标宋, as GB/T 9704 asks (Word substitutes where it is missing)
BODY_FONT = "仿宋"  # 仿宋 ships with every Windows; offices with 仿宋_GB2312 may set that in Word
HEADING_FONT = "黑体"
TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 14  # 2号, 3号, 4号
RED_HEAD_PT = 36  # 小初: the 发文机关标志, as large as it is solemn
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES, CHARS = 22, 28
TEXT_HEIGHT_MM = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]  # 225
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
LINE_PITCH_PT = TEXT_HEIGHT_MM / 25.4 * 72 / LINES  # ≈ 28.9 pt: 22 lines on a page
TIGHTER_TWIPS = -5  # each character 0.25 pt closer: 28 × 15.75 pt fit the 156 mm line
CELL_PADDING_MM = 3.8 + 1.0  # Word's default cell margins (1.9 mm each side), and slack
SHORT_COLUMN = 6  # characters: a column this narrow is never wrapped
BLANK_LINE = "_" * 16  # a line to write on by hand
MIN_LONG = 3  # characters: the narrowest a wrapping column becomes (a 姓名 of three)


def _font(run: Run, name: str, size: float, bold: bool = False, tight: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    properties = run._element.get_or_add_rPr()
    if tight:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(TIGHTER_TWIPS))
        properties.append(spacing)
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
    right_chars: float = 0,
    bold: bool = False,
    keep_with_next: bool = False,
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
    fmt.keep_with_next = keep_with_next
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
    _font(paragraph.add_run(text), font, size, bold, tight=size == BODY_PT)
    return paragraph


def _grid(section: docx.section.Section) -> None:
    """Word's document grid: 22 lines a page (the characters are set by their spacing)."""
    properties = section._sectPr
    grid = properties.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        properties.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))  # twips
    for stale in ("w:charSpace",):
        if grid.get(qn(stale)) is not None:
            del grid.attrib[qn(stale)]


def _chinese(document: docx.document.Document) -> None:
    """The document's language is Chinese (the template says en-US and ja-JP)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for lang in defaults.iter(qn("w:lang")) if defaults is not None else []:
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, shown),
                       ("end", None)):  # fmt: skip
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._element.append(instr)
        else:
            value = OxmlElement("w:t")
            value.text = shown
            run._element.append(value)
    _font(run, PAGE_FONT, TABLE_PT)


def _page_numbers(document: docx.document.Document, section: docx.section.Section) -> None:
    """— 1 — in 4号 宋体 7 mm below the text: odd pages right, even pages left, one
    character in (GB/T 9704 7.5)."""
    document.settings.odd_and_even_pages_header_footer = True
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7) - Pt(TABLE_PT)
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):  # fmt: skip
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.right_indent = Pt(TABLE_PT) if align == WD_ALIGN_PARAGRAPH.RIGHT else None
        fmt.left_indent = Pt(TABLE_PT) if align == WD_ALIGN_PARAGRAPH.LEFT else None
        _font(paragraph.add_run("— "), PAGE_FONT, TABLE_PT)
        _field(paragraph, "PAGE", "1")
        _font(paragraph.add_run(" —"), PAGE_FONT, TABLE_PT)


def ems(text: str) -> float:
    """How wide ``text`` is in characters of its size: Chinese 1, Latin and digits ½."""
    return sum(
        0.5 if ord(ch) < 0x2000 else 1.0 for ch in text
    )  # “” — … are full width in CJK fonts


def column_widths(headers: list[str], rows: list[list[str]], total_mm: float) -> list[float]:
    """Each column as wide as its content asks, within the text width. Short columns
    (序号, 性别, 类别: six characters or fewer) get their whole content on one line; the
    long ones (推荐单位, 单位及职务, a long 姓名) share what is left by their longest
    cell, each at least three characters, and wrap."""
    char_mm, pad_mm = TABLE_PT * 25.4 / 72, CELL_PADDING_MM
    longest, typical = [], []
    for i, header in enumerate(headers):
        lengths = sorted(ems(r[i]) for r in rows) or [0.0]
        head = max(ems(h) for h in _words(header))
        longest.append(max(head, lengths[-1]))
        typical.append(max(head, lengths[min(len(lengths) - 1, int(len(lengths) * 0.8))]))
    short = {i for i, n in enumerate(longest) if n <= SHORT_COLUMN}
    # a short column keeps its longest cell whole; a long one asks for its typical cell
    # (one 38-character name must not widen the 姓名 column for everyone)
    want = [
        (longest[i] if i in short else typical[i]) * char_mm + pad_mm for i in range(len(headers))
    ]
    long = [i for i in range(len(headers)) if i not in short]
    left = total_mm - sum(want[i] for i in short)
    floor = MIN_LONG * char_mm + pad_mm
    if not long or left < floor * len(long):  # cannot keep the short ones whole: share all
        return [w * total_mm / sum(want) for w in want]
    share = sum(want[i] for i in long)
    widths = list(want)
    for i in long:
        widths[i] = max(floor, want[i] * left / share)
    over = sum(widths) - total_mm  # the floors may have taken a little too much
    for i in long:
        widths[i] -= over * (widths[i] - floor) / max(1e-9, sum(widths[j] - floor for j in long))
    return widths


def _words(header: str) -> list[str]:
    """A header may wrap at its middle (单位及/职务): the longer half is what it needs."""
    half = (len(header) + 1) // 2
    return [header] if len(header) <= 2 else [header[:half], header[half:]]


def _cell_text(cell: Any, text: str, font: str, centre: bool = False) -> None:
    """A cell's text in 4号 at a table's own line height, off the page's 22-line grid
    (which would give every line of the table a body line's 28.9 pt)."""
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(round(TABLE_PT * 1.3))
    fmt.space_before = fmt.space_after = Pt(0)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(snap)
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), font, TABLE_PT)


def _row_rules(row: Any, header: bool) -> None:
    properties = row._tr.get_or_add_trPr()
    never_split = OxmlElement("w:cantSplit")
    properties.append(never_split)
    if header:
        properties.append(OxmlElement("w:tblHeader"))  # repeated on every page


def _fixed(table: Any, widths_mm: list[float]) -> None:
    table.autofit = False  # a fixed layout: Word, WPS and LibreOffice keep these widths
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(round(width / 25.4 * 1440)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


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
    data = notice_document(
        notice, config.doc_number if config else None, config.red_head if config else None
    )
    prepared.gate.check({"公示.docx": data}, Path("公示"))
    return data, notice


def _red_head(document: docx.document.Document, head: str, doc_number: str | None) -> None:
    """版头 (GB/T 9704 7.2): the 发文机关标志 centred in red 小标宋, the 文号 below it,
    and the red separator line the width of the text."""
    paragraph = _paragraph(
        document, head, font=TITLE_FONT, size=RED_HEAD_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )  # fmt: skip
    paragraph.runs[0].font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    paragraph.paragraph_format.line_spacing = Pt(RED_HEAD_PT * 1.3)
    _paragraph(document, "", indent=False)
    number = _paragraph(document, doc_number or "", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "18"),
        ("w:space", "8"),
        ("w:color", "FF0000"),
    ):
        bottom.set(qn(key), value)
    border.append(bottom)
    number._p.get_or_add_pPr().append(border)
    _paragraph(document, "", indent=False)


def notice_document(
    notice: PublicNotice,
    doc_number: str | None,
    red_head: str | None = None,
    fill_in: bool = False,
) -> bytes:
    """``fill_in``: a missing phone or e-mail gets a line to write it on (a unit's own
    公示, whose objection channels the campaign does not know)."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    _grid(section)
    _chinese(document)
    _page_numbers(document, section)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)

    if red_head:
        _red_head(document, red_head, doc_number)
    elif doc_number:
        _paragraph(document, doc_number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(
        document, notice.title, font=TITLE_FONT, size=TITLE_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, keep_with_next=True,
    )  # fmt: skip
    _paragraph(document, "", indent=False)
    _paragraph(document, notice.intro)
    _paragraph(document, f"公示时间：{notice.period_text}。")

    table = document.add_table(rows=1, cols=len(notice.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _row_rules(table.rows[0], header=True)
    for cell, header in zip(table.rows[0].cells, notice.headers, strict=True):
        _cell_text(cell, header, HEADING_FONT, centre=True)
    for row in notice.rows:
        added = table.add_row()
        _row_rules(added, header=False)
        for cell, text in zip(added.cells, row.cells, strict=True):
            _cell_text(cell, text, BODY_FONT)
    widths = column_widths(
        list(notice.headers), [list(r.cells) for r in notice.rows], TEXT_WIDTH_MM
    )
    _fixed(table, widths)

    _paragraph(document, "", indent=False)
    _paragraph(document, "一、异议受理", font=HEADING_FONT, keep_with_next=True)
    for i, rule in enumerate(notice.rules, start=1):
        _paragraph(document, f"{i}. {rule}")
    ch = notice.channels
    lines = []
    if ch.department:
        lines.append(f"受理部门：{ch.department}")
    if ch.phones or fill_in:
        lines.append(f"联系电话：{'、'.join(ch.phones) or BLANK_LINE}")
    if ch.email or fill_in:
        lines.append(f"电子邮箱：{ch.email or BLANK_LINE}")
    if ch.postal_address:
        postcode = f"（邮编 {ch.postcode}）" if ch.postcode else ""
        lines.append(f"通信地址：{ch.postal_address}{postcode}")
    if ch.visit_address:
        hours = f"（{ch.visit_hours}）" if ch.visit_hours else ""
        lines.append(f"来访地址：{ch.visit_address}{hours}")
    if lines:
        _paragraph(document, "二、联系方式", font=HEADING_FONT, keep_with_next=True)
        for line in lines:
            _paragraph(document, line)

    # The date four characters in from the right, the issuer centred over it: the stamp
    # covers both (GB/T 9704 7.3.5.1). Kept together, and with the line before them.
    _paragraph(document, "", indent=False, keep_with_next=True)
    date_centre = 4 + ems(notice.issued) / 2
    for issuer in notice.issuers:
        _paragraph(
            document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False,
            right_chars=max(0.0, date_centre - ems(issuer) / 2), keep_with_next=True,
        )  # fmt: skip
    _paragraph(document, notice.issued, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_chars=4)

    stamp = dt.datetime.combine(notice.start, dt.time())
    core = document.core_properties
    core.title = notice.title
    core.author = core.last_modified_by = notice.issuers[0] if notice.issuers else ""
    core.created = core.modified = stamp
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic(buffer.getvalue())
