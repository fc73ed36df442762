"""The Pillow recipe for one source photo: decode once, write every variant.

Runs in worker processes. Order matters and is the usual one (Lektor's, sharp's):
draft-decode (JPEG DCT scaling) to the smallest size that still covers the largest
variant → apply EXIF orientation → to sRGB (embedded ICC, CMYK, 16-bit, palette,
alpha flattened onto white) → crop → resize down the chain of widths → encode with
no metadata at all (no EXIF, XMP, ICC, comments). Never upscales.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps

from ..errors import PhotoError
from ..write.atomic import atomic_write

ORIENTATION_TAG = 0x0112
SWAPS_AXES = {5, 6, 7, 8}
HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypmif1", b"ftypmsf1", b"ftypavif")

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _too_many_pixels(width: int, height: int, max_pixels: int) -> PhotoError:
    return PhotoError(
        f"图片有 {width}×{height} 像素，超过上限 {max_pixels // 1_000_000} 百万像素",
        "这可能是损坏或恶意的文件；正常照片请缩小后再放入",
    )


@contextlib.contextmanager
def pixel_limit(max_pixels: int) -> Iterator[None]:
    """Pillow's own bomb check at our limit, for the duration of one open.

    Pillow warns above ``MAX_IMAGE_PIXELS`` and refuses above twice that; we check
    the size ourselves with our own message, so its warning is silenced and its
    limit is ours only while we open a file (it is restored afterwards: no global
    state is changed at import time).
    """
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # "webp" | "jpeg"
    quality: int
    cache_path: str


@dataclass(frozen=True)
class SourceJob:
    """Everything a worker needs; crop box in oriented-image fractions (l, t, r, b)."""

    source: str
    crop: tuple[float, float, float, float]
    variants: tuple[Variant, ...]
    max_pixels: int


@dataclass(frozen=True)
class Header:
    width: int  # after EXIF orientation
    height: int
    format: str


def enable_heif() -> bool:
    """Let Pillow read HEIC/HEIF (iPhone photos) through pillow-heif; False without it.

    pillow-heif applies the photo's rotation as it decodes (and reports orientation 1),
    so a HEIC is oriented like a JPEG; its EXIF (place, phone) is never written out, as
    every variant is encoded without metadata. Registering is idempotent.
    """
    try:
        import pillow_heif
    except ImportError:  # pragma: no cover - a dependency; said where a HEIC is met
        return False
    pillow_heif.register_heif_opener()
    return True


def heif_if_needed(path: str | Path) -> None:
    """Enable HEIF reading when ``path`` is one (by its header, whatever its name)."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    if any(brand in head for brand in HEIF_BRANDS):
        enable_heif()


def as_jpeg(data: bytes) -> bytes:
    """A photo the officer's browser cannot show (HEIC) as a plain JPEG: oriented, sRGB,
    no metadata at all, at a quality that keeps every detail for the build to resize."""
    enable_heif()
    with Image.open(io.BytesIO(data)) as src:
        upright = to_srgb(ImageOps.exif_transpose(src))
        out = io.BytesIO()
        upright.save(out, format="JPEG", quality=92, optimize=True)
    return out.getvalue()


def read_header(path: Path, max_pixels: int) -> Header:
    """Size after orientation, from the header only; refuses what we cannot publish."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    if any(brand in head for brand in HEIF_BRANDS) and not enable_heif():
        raise PhotoError(
            "这是 iPhone 的 HEIC/HEIF 格式照片，这台电脑上缺少读取它的组件",
            "请重新安装 site-builder（会一并安装 pillow-heif），或在手机相册里“导出”为 JPG",
        )
    try:
        with pixel_limit(max_pixels), Image.open(path) as im:
            width, height = im.size
            fmt = im.format or ""
            if width * height > max_pixels:
                raise _too_many_pixels(width, height, max_pixels)
            orientation = im.getexif().get(ORIENTATION_TAG, 1)
    except Image.DecompressionBombError:
        raise PhotoError(
            f"图片像素超过上限 {max_pixels // 1_000_000} 百万像素",
            "这可能是损坏或恶意的文件；正常照片请缩小后再放入",
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(
            f"不是有效的图片文件（{type(exc).__name__}）",
            "请重新从手机或相机导出这张照片（JPG 格式）",
        ) from None
    if fmt not in ("JPEG", "PNG", "WEBP", "MPO", "TIFF", "BMP", "HEIF"):
        raise PhotoError(f"不支持的图片格式 {fmt}", "请转换为 JPG 后再放入")
    if orientation in SWAPS_AXES:
        width, height = height, width
    return Header(width, height, fmt)


def to_srgb(im: Image.Image) -> Image.Image:
    """Any mode and profile → 8-bit sRGB RGB, alpha flattened onto white."""
    icc = im.info.get("icc_profile")
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode == "P":
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        im = flat
    if icc and im.mode in ("RGB", "CMYK", "L"):
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(im, src, _SRGB, outputMode="RGB")
            if converted is not None:
                im = converted
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: fall back to a plain conversion below
    if im.mode != "RGB":
        im = im.convert("RGB")
    return im


def process(job: SourceJob) -> None:
    """Write every variant of one source into the cache (atomically, one file each)."""
    try:
        _process(job)
    except PhotoError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoError(
            f"照片无法解码（{exc}）", "文件可能不完整或已损坏，请重新从手机导出"
        ) from None


def _process(job: SourceJob) -> None:
    heif_if_needed(job.source)
    with pixel_limit(job.max_pixels), Image.open(job.source) as src:
        if src.size[0] * src.size[1] > job.max_pixels:
            raise _too_many_pixels(*src.size, job.max_pixels)
        widest = max(v.width for v in job.variants)
        left, top, right, bottom = job.crop
        orientation = src.getexif().get(ORIENTATION_TAG, 1)
        stored_w, stored_h = src.size
        swapped = orientation in SWAPS_AXES
        oriented_w, oriented_h = (stored_h, stored_w) if swapped else (stored_w, stored_h)
        # The draft must still cover the widest variant after cropping; it is asked
        # for in the stored (unrotated) orientation.
        need_w = widest / max(right - left, 1e-6)
        need_h = need_w * oriented_h / oriented_w
        if src.format == "JPEG":
            src.draft(
                src.mode, (int(need_h), int(need_w)) if swapped else (int(need_w), int(need_h))
            )
        src.load()
        im = ImageOps.exif_transpose(src)
        im = to_srgb(im)
    w, h = im.size
    im = im.crop((round(left * w), round(top * h), round(right * w), round(bottom * h)))
    im.info = {}
    current = im
    for variant in sorted(job.variants, key=lambda v: -v.width):
        if current.size != (variant.width, variant.height):
            current = current.resize(
                (variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0
            )
        _save(current, variant)


METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop", "iptc")


def _assert_no_metadata(path: Path) -> None:
    """Belt and braces: a published image must carry no EXIF, GPS, XMP, ICC or comment."""
    with Image.open(path) as im:
        left = [k for k in METADATA_KEYS if im.info.get(k)]
        if left or len(im.getexif()):
            raise PhotoError(
                f"编码后的图片仍含元数据（{', '.join(left) or 'EXIF'}）", "请报告此问题"
            )


def _save(im: Image.Image, variant: Variant) -> None:
    def encode(fh: BinaryIO) -> None:
        if variant.format == "webp":
            im.save(fh, "WEBP", quality=variant.quality, method=4)
        else:
            im.save(fh, "JPEG", quality=variant.quality, optimize=True, progressive=True)

    atomic_write(Path(variant.cache_path), encode, check=_assert_no_metadata)


def save_png(im: Image.Image, target: Path) -> None:
    atomic_write(target, lambda fh: im.save(fh, "PNG", optimize=True), check=_assert_no_metadata)
