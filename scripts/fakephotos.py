"""Fictional, deterministic "phone photos" drawn with Pillow (for content/, examples/, bench/).

Every image is stamped SAMPLE; none depicts a real person. Textured with noise so
JPEG sizes behave like real photos.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

UNIFORMS = {
    "快递员": (32, 96, 170),
    "外卖配送员": (240, 170, 20),
    "货车司机": (60, 120, 70),
    "网约车司机": (40, 40, 50),
    "数字经济领域": (70, 70, 140),
    "新业态领域": (200, 90, 30),
}


def _gradient(
    size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> Image.Image:
    w, h = size
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize((w, h), Image.Resampling.BILINEAR)


def _texture(im: Image.Image, rng: random.Random, strength: int) -> Image.Image:
    noise = Image.effect_noise((im.width // 2, im.height // 2), strength).resize(im.size)
    noise = noise.convert("RGB").filter(ImageFilter.GaussianBlur(0.6))
    return Image.blend(im, noise, 0.12 + rng.random() * 0.05)


def _stamp(im: Image.Image, text: str = "SAMPLE") -> None:
    draw = ImageDraw.Draw(im)
    size = max(14, im.width // 14)
    font = ImageFont.load_default(size=size)
    draw.text(
        (im.width * 0.04, im.height * 0.04),
        text,
        fill=(255, 255, 255),
        font=font,
        stroke_width=max(1, size // 12),
        stroke_fill=(0, 0, 0),
    )


def portrait(seed: int, category: str, size: tuple[int, int] = (600, 840)) -> Image.Image:
    rng = random.Random(seed)
    w, h = size
    backdrop = rng.choice([(200, 40, 40), (60, 110, 190), (235, 235, 235)])
    im = Image.new("RGB", size, backdrop)
    draw = ImageDraw.Draw(im)
    skin = (rng.randint(215, 240), rng.randint(180, 205), rng.randint(150, 175))
    hair = (rng.randint(10, 50),) * 3
    cx = w // 2
    draw.ellipse((cx - w * 0.2, h * 0.16, cx + w * 0.2, h * 0.5), fill=skin)
    draw.chord((cx - w * 0.21, h * 0.12, cx + w * 0.21, h * 0.38), 180, 360, fill=hair)
    draw.rounded_rectangle(
        (cx - w * 0.42, h * 0.56, cx + w * 0.42, h * 1.1),
        radius=w // 6,
        fill=UNIFORMS.get(category, (90, 90, 90)),
    )
    draw.polygon([(cx - w * 0.08, h * 0.56), (cx + w * 0.08, h * 0.56), (cx, h * 0.66)], fill=skin)
    for ex in (-0.08, 0.08):
        draw.ellipse(
            (cx + w * ex - 8, h * 0.31 - 6, cx + w * ex + 8, h * 0.31 + 6), fill=(40, 30, 30)
        )
    draw.arc(
        (cx - w * 0.07, h * 0.37, cx + w * 0.07, h * 0.43), 20, 160, fill=(150, 60, 60), width=4
    )
    im = _texture(im, rng, 40)
    _stamp(im)
    return im


def work_photo(seed: int, category: str, size: tuple[int, int] = (1280, 960)) -> Image.Image:
    rng = random.Random(seed)
    w, h = size
    sky = rng.choice([(120, 170, 230), (170, 190, 210), (240, 180, 130)])
    im = _gradient(size, sky, (235, 235, 240))
    draw = ImageDraw.Draw(im)
    horizon = int(h * rng.uniform(0.5, 0.62))
    draw.rectangle((0, horizon, w, h), fill=(90, 90, 95))
    for _i in range(8):  # buildings
        bx = rng.randint(0, w)
        bw, bh = rng.randint(w // 12, w // 5), rng.randint(h // 8, h // 3)
        shade = rng.randint(120, 200)
        draw.rectangle((bx, horizon - bh, bx + bw, horizon), fill=(shade, shade - 10, shade - 20))
        for wy in range(horizon - bh + 10, horizon - 10, 24):
            for wx in range(bx + 8, bx + bw - 8, 22):
                draw.rectangle(
                    (wx, wy, wx + 10, wy + 12),
                    fill=(250, 240, 200) if rng.random() < 0.4 else (80, 90, 110),
                )
    for x in range(0, w, w // 10):  # lane marks
        draw.rectangle((x, int(h * 0.8), x + w // 20, int(h * 0.8) + 8), fill=(240, 240, 240))
    colour = UNIFORMS.get(category, (90, 90, 90))
    vx = rng.randint(w // 8, w // 2)
    if category == "货车司机":
        draw.rectangle(
            (vx, horizon - h * 0.05, vx + w * 0.35, horizon + h * 0.2), fill=(220, 220, 225)
        )
        draw.rectangle(
            (vx + w * 0.35, horizon + h * 0.02, vx + w * 0.45, horizon + h * 0.2), fill=colour
        )
    else:
        draw.rounded_rectangle(
            (vx, horizon + h * 0.05, vx + w * 0.22, horizon + h * 0.16), radius=12, fill=colour
        )
        draw.rectangle(
            (vx + w * 0.03, horizon - h * 0.05, vx + w * 0.12, horizon + h * 0.06), fill=colour
        )
    for wx in (vx + w * 0.04, vx + w * 0.18):
        draw.ellipse(
            (wx - 28, horizon + h * 0.16, wx + 28, horizon + h * 0.16 + 56), fill=(20, 20, 20)
        )
    px = vx + w * 0.26
    draw.ellipse((px, horizon - h * 0.12, px + 40, horizon - h * 0.12 + 40), fill=(225, 190, 160))
    draw.rectangle((px - 6, horizon - h * 0.12 + 40, px + 46, horizon + h * 0.08), fill=colour)
    im = _texture(im, rng, 60)
    _stamp(im)
    return im


def save_jpeg(
    im: Image.Image, path: Path, orientation: int = 1, gps: bool = False, quality: int = 82
) -> None:
    """Save as a phone would: EXIF orientation (pixels stored rotated accordingly) and GPS."""
    exif = Image.Exif()
    exif[0x010F] = "SampleCam"  # Make
    exif[0x0110] = "SAMPLE-1"  # Model
    stored = im
    if orientation == 6:  # stored rotated 90° counter-clockwise; viewer rotates it back
        stored = im.transpose(Image.Transpose.ROTATE_90)
    elif orientation == 8:
        stored = im.transpose(Image.Transpose.ROTATE_270)
    elif orientation == 3:
        stored = im.transpose(Image.Transpose.ROTATE_180)
    if orientation != 1:
        exif[0x0112] = orientation
    if gps:
        gps_ifd = {1: "N", 2: (34.0, 12.0, 0.0), 3: "E", 4: (113.0, 14.0, 0.0)}
        exif[0x8825] = gps_ifd
    path.parent.mkdir(parents=True, exist_ok=True)
    stored.save(path, "JPEG", quality=quality, exif=exif.tobytes())
