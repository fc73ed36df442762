"""iPhone photos (HEIC) wherever a photo is: the build, the workbench upload. Oriented as
shot, published without their EXIF (place, phone)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from site_builder.media.imaging import enable_heif
from site_builder.workbench.app import Workbench

from .conftest import Scratch, record
from .test_workbench_settings import JZ, ORIGIN, TOKEN, form_of, jiaozuo_bench

GPS, MAKE, ORIENTATION = 0x8825, 0x010F, 0x0112


def iphone_photo(size: tuple[int, int] = (1400, 1000)) -> bytes:
    """A HEIC as an iPhone writes one held upright: stored landscape, turned by its
    orientation (6: 90° clockwise), with the phone's make and the place it was taken."""
    assert enable_heif()
    im = Image.new("RGB", size, (200, 40, 40))
    im.paste((30, 30, 200), (0, 0, size[0] // 4, size[1]))  # blue along the stored left edge
    exif = Image.Exif()
    exif[ORIENTATION], exif[MAKE], exif[GPS] = 6, "Apple", {2: (34.0, 46.0, 0.0)}
    out = io.BytesIO()
    im.save(out, format="HEIF", exif=exif.tobytes(), quality=90)
    assert out.getvalue()[4:12] == b"ftypheic"
    return out.getvalue()


def upright_with_blue_on_top(im: Image.Image) -> bool:
    w, h = im.size
    top, bottom = (
        im.convert("RGB").getpixel((w // 2, 5)),
        im.convert("RGB").getpixel((w // 2, h - 5)),
    )
    return h > w and top[2] > 150 > top[0] and bottom[0] > 150 > bottom[2]


def test_a_heic_photo_is_built_oriented_and_without_its_metadata(scratch: Scratch) -> None:
    scratch.write(
        "site.yaml", "网站标题: 测试\n主办单位: 测试市总工会\n网址: https://t.example.org/\n"
    )
    scratch.write(
        "2024-test/campaign.yaml",
        "活动名称: 测试活动\n年度: 2024\n类别: [快递员]\n推荐单位: [甲县总工会]\n",
    )
    folder = scratch.honoree(
        "li-ce-shi",
        text=record(证件照="portrait.heic", 工作照="\n  - {文件: work-1.heic, 说明: 分拣快件}"),
    )
    (folder / "portrait.heic").write_bytes(iphone_photo((700, 500)))
    (folder / "work-1.heic").write_bytes(iphone_photo())
    scratch.build()
    images = [
        p
        for p in scratch.output.rglob("*")
        if p.suffix in (".jpg", ".webp") and "li-ce-shi" in p.as_posix()
    ]
    assert len(images) >= 4, images
    for path in images:
        with Image.open(path) as im:
            assert not im.getexif() and not im.info.get("exif"), path
            if (
                "portrait" not in path.name
                and "poster" not in path.name
                and "cover" not in path.name
            ):
                assert upright_with_blue_on_top(im), path
        assert b"Apple" not in path.read_bytes()


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    return jiaozuo_bench(tmp_path)


def test_a_heic_uploaded_in_the_workbench_is_kept_as_an_upright_jpeg(bench: Workbench) -> None:
    folder = bench.options.content / JZ / "honorees" / "shen-li"
    form = form_of(bench, f"{JZ}/shen-li/", "record-form")
    fields = {
        "token": [TOKEN],
        "digest": form["digest"],
        "kind": ["work"],
        "caption": ["在车内整理订单"],
    }
    answer = bench.handle(
        "POST",
        f"{JZ}/shen-li/_photos",
        fields,
        ORIGIN,
        files={"photo": [("IMG_0001.HEIC", iphone_photo())]},
    )
    assert answer.status == 303
    text = (folder / "index.md").read_text("utf-8")
    name = next(n for n in ("work-3.jpg", "work-4.jpg") if n in text)
    data = (folder / name).read_bytes()
    assert data[:3] == b"\xff\xd8\xff" and b"Apple" not in data
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "JPEG" and not im.getexif()
        assert upright_with_blue_on_top(im)
    shown = bench.handle("GET", f"{JZ}/shen-li/_photo/{name}", {}, None)
    assert shown.status == 200 and shown.content_type == "image/jpeg"
