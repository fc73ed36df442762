"""Photo pipeline on real sample images made here: orientation checked on pixels,
colour modes, portrait crop, no upscaling, metadata stripped, cache reuse and pruning."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from site_builder.media.images import crop_box, widths_for

from .conftest import Scratch, record

RED = (230, 20, 20)
# Stored pixels from what the viewer should see, per EXIF orientation (the inverse of
# the transform a viewer applies; see the EXIF 2.3 spec, tag 0x0112).
STORE = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def visual() -> Image.Image:
    """What a reader must see: 600×400, a red block in the top-left corner."""
    im = Image.new("RGB", (600, 400), (30, 90, 200))
    im.paste(RED, (0, 0, 150, 100))
    return im


def one_photo(scratch: Scratch, save: callable, name: str = "w.jpg", **fields: str) -> Path:  # type: ignore[valid-type]
    folder = scratch.campaign / "honorees" / "li-ce-shi"
    folder.mkdir(parents=True, exist_ok=True)
    save(folder / name)
    scratch.honoree(
        "li-ce-shi", text=record(工作照=f"\n  - {{文件: {name}, 说明: 样张}}", **fields)
    )
    return folder / name


def published(scratch: Scratch, stem: str = "photo-1", ext: str = "jpg") -> list[Path]:
    return sorted(
        (scratch.output / "assets/2024-test/li-ce-shi").glob(f"{stem}-*.{ext}"),
        key=lambda p: int(p.name.split("-")[-1].split(".")[0]),
    )


def size(path: Path) -> tuple[int, int]:
    with Image.open(path) as im:
        return im.size


def is_red(px: tuple[int, ...]) -> bool:
    return px[0] > 180 and px[1] < 90 and px[2] < 90


@pytest.mark.parametrize("orientation", sorted(STORE))
def test_every_exif_orientation_ends_up_upright(scratch: Scratch, orientation: int) -> None:
    def save(path: Path) -> None:
        method = STORE[orientation]
        stored = visual() if method is None else visual().transpose(method)
        exif = Image.Exif()
        exif[0x0112] = orientation
        stored.save(path, "JPEG", quality=95, exif=exif.tobytes())

    one_photo(scratch, save)
    scratch.build()
    outs = published(scratch) + published(scratch, ext="webp")
    assert sorted({size(p) for p in outs}) == [(480, 320), (600, 400)]  # upright, not upscaled
    for out in outs:
        with Image.open(out) as im:
            w, h = im.size
            rgb = im.convert("RGB")
            assert is_red(rgb.getpixel((w // 30, h // 20))), out
            assert not is_red(rgb.getpixel((w - 20, 20))) and not is_red(rgb.getpixel((20, h - 20)))
            assert not im.getexif()
    html = scratch.html("2024-test/li-ce-shi/index.html")
    img = html.select_one("figure img")
    assert (img["width"], img["height"]) == ("600", "400")


def test_cmyk_jpeg_becomes_srgb(scratch: Scratch) -> None:
    one_photo(scratch, lambda p: Image.new("CMYK", (800, 600), (0, 255, 255, 0)).save(p, "JPEG"))
    scratch.build()
    with Image.open(published(scratch)[-1]) as im:
        assert im.mode == "RGB" and is_red(im.getpixel((400, 300)))


def test_16_bit_png_is_scaled_not_clipped(scratch: Scratch) -> None:
    one_photo(scratch, lambda p: Image.new("I;16", (800, 600), 40000).save(p, "PNG"), name="g.png")
    scratch.build()
    with Image.open(published(scratch)[-1]) as im:
        value = im.convert("L").getpixel((400, 300))
        assert 145 <= value <= 167  # 40000 / 65535 * 255 ≈ 156, not clipped to 255


def test_alpha_and_palette_transparency_flatten_onto_white(scratch: Scratch) -> None:
    def save(path: Path) -> None:
        im = Image.new("RGBA", (800, 600), (0, 0, 255, 0))
        im.paste((0, 0, 255, 255), (0, 0, 400, 600))
        im.save(path, "PNG")

    one_photo(scratch, save, name="a.png")
    scratch.build()
    with Image.open(published(scratch)[-1]) as im:
        rgb = im.convert("RGB")
        assert min(rgb.getpixel((700, 300))) > 240  # transparent → white
        assert rgb.getpixel((100, 300))[2] > 200  # opaque blue kept


def test_palette_png(scratch: Scratch) -> None:
    def save(path: Path) -> None:
        im = Image.new("P", (800, 600), 0)
        im.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
        im.info["transparency"] = 1
        im.paste(1, (400, 0, 800, 600))
        im.save(path, "PNG", transparency=1)

    one_photo(scratch, save, name="p.png")
    scratch.build()
    with Image.open(published(scratch)[-1]) as im:
        rgb = im.convert("RGB")
        assert is_red(rgb.getpixel((100, 300))) and min(rgb.getpixel((700, 300))) > 240


def test_embedded_icc_profile_is_applied_and_dropped(scratch: Scratch) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    one_photo(scratch, lambda p: visual().save(p, "JPEG", icc_profile=profile, quality=95))
    scratch.build()
    outs = published(scratch) + published(scratch, ext="webp")
    assert len(outs) >= 2, outs  # JPEG and WebP renditions were found
    for out in outs:
        with Image.open(out) as im:
            assert "icc_profile" not in im.info and is_red(im.convert("RGB").getpixel((20, 20)))


def test_large_photo_gets_responsive_widths(scratch: Scratch) -> None:
    one_photo(scratch, lambda p: Image.new("RGB", (4032, 3024), (90, 90, 90)).save(p, "JPEG"))
    scratch.build()
    assert [size(p) for p in published(scratch)] == [(480, 360), (960, 720), (1440, 1080)]
    img = scratch.html("2024-test/li-ce-shi/index.html").select_one("figure img")
    assert img["srcset"].count("w,") == 2 and img["loading"] == "lazy"
    source = scratch.html("2024-test/li-ce-shi/index.html").select_one("figure source")
    assert source["type"] == "image/webp" and ".webp 1440w" in source["srcset"]


def test_portrait_is_cropped_to_5_7_around_the_focus(scratch: Scratch) -> None:
    folder = scratch.campaign / "honorees" / "li-ce-shi"
    folder.mkdir(parents=True)
    im = Image.new("RGB", (2000, 1000), (30, 90, 200))
    im.paste(RED, (1700, 300, 1900, 700))  # something on the right
    im.save(folder / "portrait.jpg", quality=95)
    scratch.honoree("li-ce-shi", text=record(证件照="{文件: portrait.jpg, 焦点: '0.9,0.5'}"))
    scratch.build()
    outs = published(scratch, "portrait")
    assert [size(p) for p in outs] == [(160, 224), (240, 336), (320, 448), (480, 672)]
    with Image.open(outs[-1]) as big:
        assert is_red(big.getpixel((360, 336)))  # the focus kept the right side in frame
    img = scratch.html("2024-test/li-ce-shi/index.html").select_one("img.portrait")
    assert img["fetchpriority"] == "high" and "loading" not in img.attrs


def test_crop_box_and_widths_are_pure() -> None:
    assert crop_box(1000, 1400, "portrait", None) == (0.0, 0.0, 1.0, 1.0)
    left, top, right, bottom = crop_box(1000, 1000, "portrait", None)
    assert (
        (top, bottom) == (0.0, 1.0)
        and abs((right - left) - 5 / 7) < 1e-9
        and abs(left - (1 - 5 / 7) / 2) < 1e-9
    )
    assert widths_for(300, (480, 960, 1440)) == [300]
    assert widths_for(1300, (480, 960, 1440)) == [480, 960, 1300]
    assert widths_for(1000, (480, 960, 1440)) == [480, 960]


def test_cache_reuses_unchanged_photos_and_prunes_orphans(scratch: Scratch) -> None:
    folder = scratch.campaign / "honorees" / "li-ce-shi"
    folder.mkdir(parents=True)
    for i in (1, 2):
        Image.new("RGB", (1000, 750), (60 * i, 30, 30)).save(folder / f"w{i}.jpg")
    two = "\n  - {文件: w1.jpg, 说明: 一}\n  - {文件: w2.jpg, 说明: 二}"
    scratch.honoree("li-ce-shi", text=record(工作照=two))
    # two photos × 2 widths × 2 formats, plus the three posters (no portrait: they do not change)
    first = scratch.build()
    assert (first.images.made, first.images.reused, first.images.sources_processed) == (11, 0, 5)
    again = scratch.build(force=True)  # a full rebuild, not the no-op shortcut
    assert (again.images.made, again.images.reused, again.images.sources_processed) == (0, 11, 0)
    Image.new("RGB", (1000, 750), (0, 200, 0)).save(folder / "w2.jpg")  # one photo edited
    edited = scratch.build()
    assert (edited.images.made, edited.images.reused, edited.images.sources_processed) == (4, 7, 1)
    # the edited photo's old variants were pruned; beside the images, the 公示 board
    # (PNG and PDF) the pool draws too
    cached = sorted((scratch.root / "cache" / "img").rglob("*.*"))
    assert len(cached) == 11 + 2
    assert len([p for p in cached if p.suffix == ".pdf"]) == 1
    scratch.honoree("li-ce-shi", text=record(工作照="\n  - {文件: w1.jpg, 说明: 一}"))
    scratch.build()
    assert len(list((scratch.root / "cache" / "img").rglob("*.*"))) == 7 + 2


def test_output_names_change_with_content(scratch: Scratch) -> None:
    path = one_photo(scratch, lambda p: visual().save(p, "JPEG"))
    scratch.build()
    before = {p.name for p in published(scratch)}
    visual().transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(path, "JPEG")
    scratch.build()
    after = {p.name for p in published(scratch)}
    assert before.isdisjoint(after)


def test_metadata_is_stripped_from_every_variant(scratch: Scratch) -> None:
    def save(path: Path) -> None:
        exif = Image.Exif()
        exif[0x010F] = "Phone"
        exif[0x8825] = {1: "N", 2: (34.0, 12.0, 0.0)}
        buf = io.BytesIO()
        visual().save(buf, "JPEG", exif=exif.tobytes(), comment=b"secret comment")
        path.write_bytes(buf.getvalue())

    one_photo(scratch, save)
    scratch.build()
    outs = published(scratch) + published(scratch, ext="webp")
    assert len(outs) >= 2, outs  # JPEG and WebP renditions were found
    for out in outs:
        with Image.open(out) as im:
            assert not im.getexif() and not any(
                k in im.info for k in ("exif", "comment", "xmp", "icc_profile")
            )
            assert b"secret" not in out.read_bytes()
