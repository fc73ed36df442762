"""Share posters drawn with Pillow: 1080×1920 for WeChat Moments, 900×383 article cover.

Runs in the image workers (``imaging.process`` dispatches here) and is cached like the
photo variants: the file name carries a hash of every input (texts, URL, portrait
source, font), so an unchanged honouree's posters are never drawn again.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from ..errors import PhotoError
from ..model.fields import one_line
from .imaging import heif_if_needed, save_png, to_srgb
from .qr import qr_image

RED = (166, 27, 27)
RED_DARK = (127, 20, 20)
PAPER = (255, 250, 245)
INK = (29, 29, 31)
MUTED = (89, 89, 89)
WHITE = (255, 255, 255)
NO_LINE_START = "，。、；：！？）》」』”’…·）"  # kinsoku: these never begin a line


@dataclass(frozen=True)
class PosterJob:
    kind: str  # "moments" | "cover" | "square"
    width: int
    height: int
    name: str
    unit: str
    category: str
    line: str
    campaign: str
    organiser: str
    url: str
    font: str
    portrait: str | None
    crop: tuple[float, float, float, float]
    cache_path: str
    record: str = ""  # the index.md the texts come from, for messages


def _font(job: PosterJob, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(job.font, size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, lines: int
) -> list[str]:
    """Break CJK text by pixel width, character by character; ellipsis on the last line."""
    out: list[str] = []
    current = ""
    for ch in text:
        if draw.textlength(current + ch, font=font) > width and ch not in NO_LINE_START:
            out.append(current)
            current = ch
            if len(out) == lines:
                break
        else:
            current += ch
    else:
        out.append(current)
        return [line for line in out if line]
    last = out[-1]
    while last and draw.textlength(last + "…", font=font) > width:
        last = last[:-1]
    return [*out[:-1], last + "…"]


def name_lines(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    """``text`` in lines of at most ``width``, never cut: broken after a “·” where one
    is (阿卜杜热合曼·买买提艾力·…), anywhere in a run too long for a line."""
    parts = [p + "·" for p in text.split("·")]
    parts[-1] = parts[-1][:-1]
    lines: list[str] = []
    current = ""
    for part in parts:
        if draw.textlength(current + part, font=font) <= width:
            current += part
            continue
        if current:
            lines.append(current)
            current = ""
        for ch in part:  # a part longer than a line: character by character
            if (
                draw.textlength(current + ch, font=font) > width
                and current
                and ch not in NO_LINE_START
            ):
                lines.append(current)
                current = ch
            else:
                current += ch
    if current:
        lines.append(current)
    return lines


def _name(
    job: PosterJob, draw: ImageDraw.ImageDraw, size: int, least: int, width: int, most: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The name as large as it fits in ``most`` lines, never below ``least`` px (legible on
    a phone); at that size it takes the lines it needs, and is never cut."""
    for px in range(size, least - 1, -4):
        font = _font(job, px)
        lines = name_lines(draw, job.name, font, width)
        if len(lines) <= most:
            return font, lines
    font = _font(job, least)
    return font, name_lines(draw, job.name, font, width)


def _portrait(job: PosterJob, size: tuple[int, int]) -> Image.Image:
    if job.portrait is None:
        im = Image.new("RGB", size, (236, 231, 225))
        d = ImageDraw.Draw(im)
        w, h = size
        d.ellipse((w * 0.29, h * 0.22, w * 0.71, h * 0.52), fill=(201, 192, 182))
        d.pieslice((w * 0.1, h * 0.62, w * 0.9, h * 1.4), 180, 360, fill=(201, 192, 182))
        return im
    heif_if_needed(job.portrait)
    with Image.open(job.portrait) as src:
        src.draft(src.mode, (size[0] * 2, size[1] * 2))
        im = to_srgb(ImageOps.exif_transpose(src))
    w, h = im.size
    left, top, right, bottom = job.crop
    im = im.crop((round(left * w), round(top * h), round(right * w), round(bottom * h)))
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _qr(job: PosterJob, size: int) -> Image.Image:
    return qr_image(job.url).convert("RGB").resize((size, size), Image.Resampling.NEAREST)


def _centered(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: tuple[int, int, int],
    width: int,
    stroke: int = 0,
) -> None:
    x = (width - draw.textlength(text, font=font)) / 2
    draw.text((x, y), text, font=font, fill=fill, stroke_width=stroke, stroke_fill=fill)


def draw_moments(job: PosterJob) -> Image.Image:
    W, H = job.width, job.height
    im = Image.new("RGB", (W, H), PAPER)
    d = ImageDraw.Draw(im)
    for y in range(620):  # red band, darker towards the top
        t = y / 620
        d.line(
            [(0, y), (W, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(RED_DARK, RED, strict=True)),
        )
    _centered(d, 64, job.organiser, _font(job, 36), WHITE, W)
    for i, line in enumerate(_wrap(d, job.campaign, _font(job, 54), W - 160, 2)):
        _centered(d, 124 + i * 72, line, _font(job, 54), WHITE, W, stroke=1)
    pw, ph = 440, 616
    px, py = (W - pw) // 2, 300
    d.rectangle((px - 10, py - 10, px + pw + 10, py + ph + 10), fill=WHITE)
    im.paste(_portrait(job, (pw, ph)), (px, py))
    name_font, names = _name(job, d, 96, 52, W - 120, 2)
    step = round(name_font.size * 1.2)
    for i, line in enumerate(names):
        _centered(d, 950 + i * step, line, name_font, INK, W, stroke=2)
    dy = max(0, 950 + len(names) * step - 1070)  # a long name pushes the rest down
    tag = _font(job, 36)
    tw = d.textlength(job.category, font=tag)
    d.rounded_rectangle(
        ((W - tw) / 2 - 24, 1090 + dy, (W + tw) / 2 + 24, 1150 + dy),
        radius=10,
        outline=RED,
        width=3,
    )
    _centered(d, 1096 + dy, job.category, tag, RED, W)
    for i, line in enumerate(_wrap(d, job.unit, _font(job, 40), W - 200, 2)):
        _centered(d, 1180 + dy + i * 56, line, _font(job, 40), MUTED, W)
    quote = _font(job, 44)
    room = max(1, min(3, (1530 - 1320 - dy) // 64))  # the quote gives way, never the name
    for i, line in enumerate(_wrap(d, f"“{job.line}”", quote, W - 200, room)):
        _centered(d, 1320 + dy + i * 64, line, quote, INK, W)
    d.line([(100, 1540), (W - 100, 1540)], fill=(227, 221, 214), width=2)
    im.paste(_qr(job, 280), (110, 1580))
    d.text(
        (430, 1650),
        "长按识别二维码",
        font=_font(job, 44),
        fill=INK,
        stroke_width=1,
        stroke_fill=INK,
    )
    small = _font(job, 36)
    lines = name_lines(d, f"阅读{job.name}的先进事迹", small, W - 430 - 60)
    if len(lines) > 2:  # a long name is on the poster in full above: here it is not repeated
        lines = ["阅读先进事迹"]
    for i, line in enumerate(lines):
        d.text((430, 1720 + i * 46), line, font=small, fill=MUTED)
    return im


def draw_cover(job: PosterJob) -> Image.Image:
    """The 2.35:1 article cover: the portrait, the campaign, the name, category and unit.
    No QR code (a cover is not scanned); nothing cut: the campaign and the name wrap."""
    W, H = job.width, job.height
    im = Image.new("RGB", (W, H), RED)
    d = ImageDraw.Draw(im)
    ph = H - 40
    pw = round(ph * 5 / 7)
    d.rectangle((16, 16, 24 + pw, 24 + ph), fill=WHITE)
    im.paste(_portrait(job, (pw, ph)), (20, 20))
    x = pw + 56
    text_w = W - x - 28
    small = _font(job, 26)
    campaign = name_lines(d, job.campaign, small, text_w)
    if len(campaign) > 2:
        small = _font(job, 22)
        campaign = name_lines(d, job.campaign, small, text_w)
    for i, line in enumerate(campaign):
        d.text((x, 28 + i * round(small.size * 1.3)), line, font=small, fill=WHITE)
    top = 28 + len(campaign) * round(small.size * 1.3) + 20
    name_font, names = _name(job, d, 72, 34, text_w, 1)
    step = round(name_font.size * 1.2)
    for i, line in enumerate(names):
        d.text(
            (x, top + i * step), line, font=name_font, fill=WHITE, stroke_width=2, stroke_fill=WHITE
        )
    below = top + len(names) * step + 16
    d.text((x, below), job.category, font=_font(job, 28), fill=(255, 225, 200))
    room = max(0, min(2, (H - 20 - below - 46) // 34))
    for i, line in enumerate(_wrap(d, job.unit, _font(job, 24), text_w, room) if room else []):
        d.text((x, below + 46 + i * 34), line, font=_font(job, 24), fill=WHITE)
    return im


def draw_square(job: PosterJob) -> Image.Image:
    """The 1:1 cover (share cards and the 公众号's square crop): the face and the full name."""
    W, H = job.width, job.height
    im = Image.new("RGB", (W, H), RED)
    d = ImageDraw.Draw(im)
    pw, ph = 210, 294
    px = (W - pw) // 2
    d.rectangle((px - 6, 24, px + pw + 6, 36 + ph), fill=WHITE)
    im.paste(_portrait(job, (pw, ph)), (px, 30))
    name_font, names = _name(job, d, 60, 30, W - 48, 1)
    step = round(name_font.size * 1.2)
    top = 30 + ph + 22
    if top + len(names) * step > H - 16:  # a long name: the photo makes room, the name stays whole
        top = H - 16 - len(names) * step
    for i, line in enumerate(names):
        _centered(d, top + i * step, line, name_font, WHITE, W, stroke=1)
    return im


def text_cover(title: str, organiser: str, font: str, size: tuple[int, int]) -> bytes:
    """A cover with no portrait (the roundup, the 公示): the title wrapped, never cut, on
    the theme's red, the organiser below; PNG."""
    width, height = size
    im = Image.new("RGB", size, RED)
    draw = ImageDraw.Draw(im)
    margin = round(width * 0.07)
    face = ImageFont.truetype(font, 30)
    lines: list[str] = []
    for px in (56, 50, 44, 38, 34, 30):
        face = ImageFont.truetype(font, round(px * height / 383))
        lines = name_lines(draw, title, face, width - 2 * margin)
        if len(lines) * face.size * 1.35 <= height * 0.62:
            break
    step = face.size * 1.35
    top = (height * 0.82 - len(lines) * step) / 2
    for i, line in enumerate(lines):
        _centered(draw, round(top + i * step), line, face, WHITE, width)
    small = ImageFont.truetype(font, round(26 * height / 383))
    _centered(draw, round(height * 0.82), organiser, small, (255, 225, 200), width)
    out = io.BytesIO()
    im.save(out, format="PNG", optimize=True)
    return out.getvalue()


DRAW = {"moments": draw_moments, "cover": draw_cover, "square": draw_square}


def render_poster(job: PosterJob) -> None:
    """Draw and save one poster; whatever the texts hold, a failure is a PhotoError."""
    job = dataclasses.replace(
        job,
        name=one_line(job.name),
        unit=one_line(job.unit),
        category=one_line(job.category),
        line=one_line(job.line),
        campaign=one_line(job.campaign),
        organiser=one_line(job.organiser),
    )
    try:
        im = DRAW[job.kind](job)
    except (ValueError, OSError, TypeError) as exc:
        raise PhotoError(
            f"分享海报无法生成（{exc}）",
            "请检查姓名、单位、类别和事迹简介里有没有特殊符号；或在 site.yaml 写“生成海报: 否”",
        ) from None
    save_png(im, Path(job.cache_path))
