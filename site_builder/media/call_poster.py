"""The call's poster: for the 公众号 and 朋友圈 (1080×1920 PNG) and for a notice board (A4
PDF) — the campaign, 征集推荐, the deadline, where forms go, and a QR code that opens the
通知 page with its forms."""

from __future__ import annotations

import io
import json
import time
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from .posters import RED, RED_DARK, WHITE, name_lines
from .qr import qr_image

INK, MUTED, PAPER = (29, 29, 31), (89, 89, 89), (255, 250, 245)
POSTERS = (("poster-1080x1920.png", "phone"), ("poster-a4.pdf", "a4"))
# No time of making in the file: the same texts give the same bytes.
FIXED_DATES = {"creationDate": time.gmtime(946_684_800), "modDate": time.gmtime(946_684_800)}
# Pillow puts a page into a PDF as a JPEG, at quality 75 unless told: printed text then
# carries specks around each stroke (17,029 pixels of a 公示 page off by 16 grey levels
# or more; at 90, 26), for a third more bytes and no more time.
PDF_QUALITY = 90
SIZES = {"phone": (1080, 1920), "a4": (1240, 1754)}  # A4 at 150 dpi


def texts(campaign: Any, organiser: str, address: str, font: str) -> bytes:
    """What the poster says, as bytes: what it is made from, and its cache key."""
    call = campaign.call
    s = call.submission
    contact = [f"{label}：{value}" for label, value in (
        ("报送部门", s.department), ("联系人", s.contact), ("电话", "、".join(s.phones)),
        ("邮箱", s.email), ("地址", s.address)) if value]  # fmt: skip
    data = {"organiser": organiser, "title": campaign.title, "deadline": call.deadline_text,
            "contact": contact, "url": address, "font": font}  # fmt: skip
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


def draw(made_from: bytes, kind: str) -> bytes:
    t = json.loads(made_from)
    width, height = SIZES[kind]
    unit = min(width / 1080, height / 1920)  # every size below is for 1080×1920
    im = Image.new("RGB", (width, height), PAPER)
    d = ImageDraw.Draw(im)

    def font(px: float) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(t["font"], round(px * unit))

    def centred(
        y: float, text: str, face: ImageFont.FreeTypeFont, fill: tuple[int, int, int]
    ) -> None:
        d.text(((width - d.textlength(text, font=face)) / 2, y), text, font=face, fill=fill)

    band = round(760 * unit)
    for row in range(band):
        k = row / band
        d.line(
            [(0, row), (width, row)],
            fill=tuple(round(a + (b - a) * k) for a, b in zip(RED_DARK, RED, strict=True)),
        )
    centred(70 * unit, t["organiser"], font(40), WHITE)
    face = font(68)
    lines = name_lines(d, t["title"], face, round(min(width, 1080 * unit) - 140 * unit))
    for i, line in enumerate(lines[:4]):
        centred(150 * unit + i * 90 * unit, line, face, WHITE)
    centred(band - 250 * unit, "征 集 推 荐", font(120), WHITE)
    centred(band + 50 * unit, f"截止日期：{t['deadline']}", font(56), RED_DARK)
    y: float = band + 150 * unit
    small = font(40)
    for line in t["contact"]:
        for part in name_lines(d, line, small, round(min(width, 1080 * unit) - 160 * unit)):
            centred(y, part, small, INK)
            y += 58 * unit
    size = round(420 * unit)
    code = qr_image(t["url"]).resize((size, size), Image.Resampling.NEAREST)
    top: float = max(y + 40 * unit, height - size - 210 * unit)
    im.paste(code, ((width - size) // 2, round(top)))
    centred(top + size + 30 * unit, "扫码查看通知、下载推荐表", font(44), INK)
    centred(top + size + 100 * unit, t["url"], font(28), MUTED)
    out = io.BytesIO()
    if kind == "a4":
        im.save(out, format="PDF", resolution=150.0, quality=PDF_QUALITY, **FIXED_DATES)
    else:
        im.save(out, format="PNG", optimize=True)
    return out.getvalue()


def draw_files(made_from: bytes, kinds: list[str]) -> list[bytes]:
    """``draw`` for each kind (the image pool's entry point, as for the 公示 board)."""
    return [draw(made_from, kind) for kind in kinds]
