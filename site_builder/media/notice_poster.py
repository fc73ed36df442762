"""The 公示 for the union's notice board: A4 (PNG, and PDF to print), the title, the
period, the list, where objections go and a QR code to the online 公示. A long list goes
on to further pages of the PDF rather than shrinking below a legible size."""

from __future__ import annotations

import functools
import io
import json
import re
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from .call_poster import FIXED_DATES, PDF_QUALITY
from .posters import name_lines
from .qr import qr_image

A4 = (1240, 1754)  # 150 dpi
# In grey, as the office's printer prints it and as GB/T 9704 sets a 公示's title (black:
# only a 红头 is red); a third of the memory and encoding of colour pages.
INK, MUTED, LINE, WHITE = 29, 89, 194, 255
POSTERS = (("board-a4.png", "png"), ("board-a4.pdf", "pdf"))
COLUMNS = ("序号", "姓名", "推荐单位", "类别")
_IDEOGRAPHS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")  # CJK Unified Ideographs, Ext. A


def texts(notice: Any, address: str, font: str) -> bytes:
    """What the poster says, as bytes: what it is made from, and its cache key."""
    headers = list(notice.headers)
    picked = [headers.index(c) for c in COLUMNS if c in headers]
    ch = notice.channels
    channels = [f"{label}：{value}" for label, value in (
        ("受理部门", ch.department), ("电话", "、".join(ch.phones)), ("邮箱", ch.email),
        ("通信地址", ch.postal_address), ("来访地址", ch.visit_address)) if value]  # fmt: skip
    data = {"title": notice.title, "intro": notice.intro, "period": notice.period_text,
            "headers": [headers[i] for i in picked],
            "rows": [[row.cells[i] for i in picked] for row in notice.rows],
            "channels": channels, "issuers": list(notice.issuers), "issued": notice.issued,
            "url": address, "font": font}  # fmt: skip
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


@functools.lru_cache(maxsize=8)
def _truetype(path: str, px: int) -> ImageFont.FreeTypeFont:
    """One face per size for the process: each ``truetype`` reads the CJK font (tens of
    megabytes), and a board made them by the page — memory grew by 50 MiB a board."""
    return ImageFont.truetype(path, px)


class _Shared:
    """What the boards one process draws share, by face: each text's mask (``stamp``),
    each character's advance and each cell's lines. The boards of an archive's campaigns
    repeat most of their characters and units; kept up to ``LIMIT`` bytes of masks."""

    LIMIT = 16 * 2**20

    def __init__(self) -> None:
        self.stamps: dict[tuple[str, float, str], tuple[int, int, Image.Image]] = {}
        self.advances: dict[tuple[str, float, str], float] = {}
        self.broken: dict[tuple[str, float, str, int], list[str]] = {}
        self.bytes = 0


_shared = _Shared()


def _pages(t: dict[str, Any]) -> list[Image.Image]:
    global _shared
    if _shared.bytes > _Shared.LIMIT:
        _shared = _Shared()
    shared = _shared
    width, height = A4
    margin = 90

    def font(px: int) -> ImageFont.FreeTypeFont:
        return _truetype(t["font"], px)

    pages: list[Image.Image] = []
    page = Image.new("L", A4, WHITE)
    d = ImageDraw.Draw(page)
    y: float = 80
    title = font(52)
    for line in name_lines(d, t["title"], title, width - 2 * margin):
        d.text(((width - d.textlength(line, font=title)) / 2, y), line, font=title, fill=INK)
        y += 70
    y += 16
    body = font(30)
    for line in name_lines(d, t["intro"], body, width - 2 * margin):
        d.text((margin, y), line, font=body, fill=INK)
        y += 44
    d.text((margin, y), f"公示时间：{t['period']}", font=body, fill=INK)
    y += 64
    cell = font(28)
    widths = [0.1, 0.3, 0.4, 0.2][: len(t["headers"])]
    xs = [margin + round(sum(widths[:i]) * (width - 2 * margin)) for i in range(len(widths))]

    stamps, advances, broken = shared.stamps, shared.advances, shared.broken

    def stamp(xy: tuple[float, float], text: str, face: ImageFont.FreeTypeFont) -> None:
        """``d.text`` for a list's cells, each text drawn once: the same 推荐单位 and 类别
        come back on row after row, and drawing text is most of a long list's time. A
        text of ideographs only (most names) is drawn a character at a time, each drawn
        once, at the pen positions the whole text would put them: ideographs are not
        kerned or joined, so the pixels are the same (a test compares them), and the
        hundreds of names of a list share a few hundred characters."""
        if len(text) < 2 or not _IDEOGRAPHS.fullmatch(text):
            put(xy, text, face)
            return
        x = xy[0]
        for ch in text:
            put((x, xy[1]), ch, face)
            key = (str(face.path), face.size, ch)
            if key not in advances:
                advances[key] = face.getlength(ch)
            x += advances[key]

    def put(xy: tuple[float, float], text: str, face: ImageFont.FreeTypeFont) -> None:
        # Not called by itself, nor calling ``stamp``: a closure that refers to itself is a
        # reference cycle, and every mask and page would wait for the garbage collector.
        key = (str(face.path), face.size, text)
        if key not in stamps:
            left, top, right, bottom = (round(v) for v in face.getbbox(text))
            mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
            ImageDraw.Draw(mask).text((-left, -top), text, font=face, fill=255)
            stamps[key] = (left, top, mask)
            shared.bytes += mask.width * mask.height
        left, top, mask = stamps[key]
        page.paste(INK, (round(xy[0]) + left, round(xy[1]) + top), mask)

    def row(values: list[str], face: ImageFont.FreeTypeFont, at: float) -> float:
        tallest = 1
        for x, w, value in zip(xs, widths, values, strict=False):
            room = round(w * (width - 2 * margin)) - 12
            known = (str(face.path), face.size, value, room)
            lines = broken.get(known)
            if lines is None:
                lines = broken[known] = name_lines(d, value, face, room)
            for i, line in enumerate(lines):
                stamp((x + 6, at + 8 + i * 38), line, face)
            tallest = max(tallest, len(lines))
        bottom = at + 16 + tallest * 38
        d.line([(margin, bottom), (width - margin, bottom)], fill=LINE, width=2)
        return bottom

    y = row(t["headers"], font(28), y)
    for values in t["rows"]:
        if y > height - 200:  # the list goes on overleaf, at the same size
            pages.append(page)
            page = Image.new("L", A4, WHITE)
            d = ImageDraw.Draw(page)
            y = row(t["headers"], font(28), 80)
        y = row(values, cell, y)
    y += 30
    needed = 44 * (len(t["channels"]) + 1) + 330
    if y + needed > height - 40:
        pages.append(page)
        page = Image.new("L", A4, WHITE)
        d = ImageDraw.Draw(page)
        y = 80
    d.text((margin, y), "对公示人选有异议的，请在公示期内反映：", font=body, fill=INK)
    y += 48
    for line in t["channels"]:
        for part in name_lines(d, line, body, width - 2 * margin - 300):
            d.text((margin, y), part, font=body, fill=INK)
            y += 44
    code = qr_image(t["url"]).resize((240, 240), Image.Resampling.NEAREST)
    page.paste(code, (width - margin - 240, round(y) + 10))
    d.text((width - margin - 240, round(y) + 258), "扫码查看网上公示", font=font(24), fill=MUTED)
    sign = round(y) + 40
    for issuer in t["issuers"]:
        d.text((margin + 320, sign), issuer, font=body, fill=INK)
        sign += 44
    d.text((margin + 320, sign), t["issued"], font=body, fill=INK)
    pages.append(page)
    return pages


def draw_files(made_from: bytes, kinds: list[str]) -> list[bytes]:
    """The files of ``kinds`` ("png": the first page; "pdf": every page), from one drawing
    of the pages (a list of hundreds of names takes a while); the pages are let go after."""
    pages = _pages(json.loads(made_from))
    files = []
    for kind in kinds:
        out = io.BytesIO()
        if kind == "pdf":
            pages[0].save(
                out,
                format="PDF",
                resolution=150.0,
                quality=PDF_QUALITY,
                **FIXED_DATES,
                save_all=True,
                append_images=pages[1:],
            )
        else:
            # Not ``optimize``: it tries every filter at zlib's slowest level, seconds for
            # a few kilobytes on a page of text.
            pages[0].save(out, format="PNG")
        files.append(out.getvalue())
    # Pillow's PDF writer leaves each page holding the list of pages it was saved with
    # (``encoderinfo["append_images"]``): a cycle the garbage collector, counting Python
    # objects and not megabytes, frees late. An image worker that drew the twenty boards
    # of a 10,000-record archive held every page of them, 340 MiB more at its peak.
    for page in pages:
        page.encoderinfo = {}
    return files
