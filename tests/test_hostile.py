"""A corpus of hostile input: each case ends in a clear Chinese error (and output/ left
exactly as it was) or in a safe render (no executable markup, no private value)."""

from __future__ import annotations

import os
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from scripts.fakephotos import save_jpeg, work_photo
from site_builder.errors import ContentError

from .conftest import Scratch, record, valid_id, without_qr_code

Mutator = Callable[[Scratch], None]


@dataclass(frozen=True)
class Case:
    mutate: Mutator
    error: str | None = None  # a fragment of the expected message; None: must build safely


def honoree(**fields: str | None) -> Mutator:
    return lambda s: s.honoree("li-ce-shi", text=record(**fields))


def story(text: str, **fields: str | None) -> Mutator:
    def mutate(s: Scratch) -> None:
        s.honoree("li-ce-shi", text=record(**fields).replace("他每天送件，从不抱怨。", text))

    return mutate


def with_photo(make: Callable[[Scratch], str], caption: str = "工作照") -> Mutator:
    def mutate(s: Scratch) -> None:
        folder = s.campaign / "honorees" / "li-ce-shi"
        folder.mkdir(parents=True, exist_ok=True)
        name = make(s)
        s.honoree("li-ce-shi", text=record(工作照=f"\n  - {{文件: '{name}', 说明: '{caption}'}}"))

    return mutate


def _folder(s: Scratch) -> str:
    return str(s.campaign / "honorees" / "li-ce-shi")


def _png_bomb(s: Scratch) -> str:
    """A valid PNG header announcing 100000×100000 pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    data = (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    )
    data += struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    with open(os.path.join(_folder(s), "bomb.png"), "wb") as fh:
        fh.write(data)
    return "bomb.png"


def _truncated(s: Scratch) -> str:
    path = os.path.join(_folder(s), "cut.jpg")
    Image.new("RGB", (1200, 900), (10, 120, 200)).save(path, quality=90)
    with open(path, "rb") as fh:
        data = fh.read()
    with open(path, "wb") as fh:
        fh.write(data[: len(data) // 2])
    return "cut.jpg"


def _text_as_jpg(s: Scratch) -> str:
    with open(os.path.join(_folder(s), "fake.jpg"), "w") as fh:
        fh.write("这不是图片")
    return "fake.jpg"


def _heic(s: Scratch) -> str:
    with open(os.path.join(_folder(s), "iphone.heic"), "wb") as fh:
        fh.write(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    return "iphone.heic"


def _symlink(s: Scratch) -> str:
    outside = s.root / "elsewhere.jpg"
    Image.new("RGB", (800, 600)).save(outside)
    os.symlink(outside, os.path.join(_folder(s), "link.jpg"))
    return "link.jpg"


def _gps(s: Scratch) -> str:
    save_jpeg(
        work_photo(1, "快递员", (800, 600)),
        s.campaign / "honorees/li-ce-shi/gps.jpg",
        orientation=6,
        gps=True,
    )
    return "gps.jpg"


def _symlinked_record(s: Scratch) -> None:
    target = s.root / "outside.md"
    target.write_text(record(), "utf-8")
    folder = s.campaign / "honorees" / "li-ce-shi"
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink(target, folder / "index.md")


def _raw(text: bytes) -> Mutator:
    def mutate(s: Scratch) -> None:
        folder = s.campaign / "honorees" / "li-ce-shi"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.md").write_bytes(text)

    return mutate


def _campaign_text(old: str, new: str) -> Mutator:
    def mutate(s: Scratch) -> None:
        s.honoree("li-ce-shi")
        path = s.campaign / "campaign.yaml"
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")

    return mutate


XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"
BOMB = (
    "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    + "".join(
        f"{chr(99 + i)}: &{chr(99 + i)} [" + ", ".join([f"*{chr(98 + i)}"] * 9) + "]\n"
        for i in range(7)
    )
    + "---\n"
)

CASES: dict[str, Case] = {
    # Executable markup in every text field renders as text.
    "xss-name": Case(honoree(姓名=f'"{XSS}"')),
    "xss-unit": Case(honoree(单位及职务=f'"{XSS}"')),
    "xss-summary": Case(honoree(事迹简介=f'"</p>{XSS}"')),
    "xss-honour": Case(honoree(获得荣誉='\n  - {名称: "\\"><svg onload=alert(1)>"}')),
    "xss-media-title": Case(honoree(媒体宣传情况='\n  - {标题: "<iframe src=//evil.example>"}')),
    "xss-badge": Case(honoree(标记='["<b onclick=alert(1)>推荐</b>"]')),
    "xss-ethnicity": Case(honoree(民族='"\\" onmouseover=\\"alert(1)"')),
    "xss-story-script": Case(story("<script>alert(1)</script>正文")),
    "xss-story-js-link": Case(
        story("[点我](javascript:alert(1)) 与 <a href='JaVaScRiPt:alert(1)'>x</a>")
    ),
    "xss-story-data-url": Case(story("<a href='data:text/html;base64,PHNjcmlwdD4='>x</a>")),
    "xss-story-iframe": Case(story("<iframe src='https://evil.example'></iframe>正文")),
    "xss-story-style": Case(story("<style>*{display:none}</style><p style='position:fixed'>x</p>")),
    "xss-story-handlers": Case(story("<p onclick='alert(1)' onmouseover=alert(2)>x</p>")),
    "xss-story-form": Case(story("<form action='https://evil.example'><input name=p></form>")),
    "xss-story-object": Case(story("<object data='x.swf'></object><embed src='x.swf'>")),
    "xss-story-svg": Case(
        story("<svg><script>alert(1)</script><a xlink:href='javascript:alert(1)'>x</a></svg>")
    ),
    "xss-caption": Case(with_photo(lambda s: _gps(s), caption='\\" onerror=\\"alert(1)')),
    "xss-campaign-title": Case(_campaign_text("活动名称: 测试市", f'活动名称: "</title>{XSS}"\n#')),
    "media-javascript-url": Case(
        honoree(媒体宣传情况='\n  - {标题: x, 链接: "javascript:alert(1)"}'),
        "链接“javascript:alert(1)”无效",
    ),
    # Private data where it does not belong.
    "id-in-story": Case(story(f"他的身份证号是 {valid_id(7)}。"), "公开内容里出现了身份证号"),
    "old-id-in-story": Case(story("旧身份证 110105491231002。"), "身份证号（15 位）"),
    "phone-in-unit": Case(
        honoree(单位及职务="测试公司 电话13912345678"), "单位及职务 — 公开内容里出现了手机号码"
    ),
    "fullwidth-phone-in-summary": Case(
        honoree(事迹简介="联系１３９ １２３４ ５６７８"), "手机号码“139****5678”"
    ),
    "plus86-in-honour": Case(
        honoree(获得荣誉='\n  - "热线 +86 139-1234-5678"'), "获得荣誉 — 公开内容里出现了手机号码"
    ),
    "contact-person-in-story": Case(story("感谢王联系同志的推荐。"), "不公开字段的内容"),
    "address-in-story": Case(story("他家住测试市幸福路88号3单元。"), "详细地址"),
    "phone-in-campaign-summary": Case(
        _campaign_text("年度: 2024", "年度: 2024\n简介: 咨询 13987654321"),
        "生成的文件里出现了手机号码",
    ),
    "gps-photo": Case(with_photo(_gps)),
    # Paths.
    "photo-traversal": Case(with_photo(lambda s: "../../../site.yaml"), "指向本人文件夹之外"),
    "photo-absolute": Case(with_photo(lambda s: "/etc/passwd"), "指向本人文件夹之外"),
    "photo-symlink": Case(with_photo(_symlink), "是符号链接"),
    "record-symlink": Case(_symlinked_record, "不允许使用符号链接"),
    "slug-injection": Case(honoree(网址名='"../../etc"'), "网址名“../../etc”含有不允许的字符"),
    # Broken or malicious files.
    "alias-bomb": Case(_raw(BOMB.encode()), "不支持 YAML 锚点和别名"),
    "oversized": Case(
        _raw(b"---\n" + "姓名: 李\n".encode() + b"#" * 1_100_000 + b"\n---\n"), "文件过大"
    ),
    "gbk": Case(_raw(record().encode("gbk")), "不是 UTF-8 编码"),
    "invalid-utf8": Case(_raw(b"---\n\xff\xfe\xfa name: x\n---\n"), "不是 UTF-8 编码"),
    "duplicate-key": Case(honoree(姓名="李测试\n姓名: 李另"), "字段重复出现"),
    "bad-date": Case(honoree(出生年月="1990.13"), "月份“13”不存在"),
    "tab": Case(_raw("---\n姓名: 李\n\t性别: 男\n---\n".encode()), "Tab"),
    "bom-crlf": Case(_raw(b"\xef\xbb\xbf" + record().replace("\n", "\r\n").encode())),
    "truncated-jpeg": Case(with_photo(_truncated), "照片无法解码"),
    "text-named-jpg": Case(with_photo(_text_as_jpg), "不是有效的图片文件"),
    "decompression-bomb": Case(with_photo(_png_bomb), "超过上限"),
    "broken-heic": Case(with_photo(_heic), "不是有效的图片文件"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(name: str, scratch: Scratch) -> None:
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    scratch.build()
    before = scratch.tree()
    case = CASES[name]
    case.mutate(scratch)
    started = time.perf_counter()
    if case.error is not None:
        with pytest.raises(ContentError) as info:
            scratch.build()
        messages = "\n".join(str(p) for p in info.value.problems)
        assert case.error in messages, messages
        assert scratch.tree() == before, "a failed build changed output/"
        assert time.perf_counter() - started < 20
        return
    scratch.build()
    assert_safe(scratch)


def assert_safe(scratch: Scratch) -> None:
    secrets = [valid_id(sum(map(ord, n))) for n in ("李测试", "王测试")] + ["幸福路88号", "王联系"]
    for path, data in scratch.tree().items():
        text = data.decode("utf-8", errors="ignore")
        for secret in secrets:
            assert secret not in text, (path, secret)
        if not path.endswith(".html"):
            continue
        soup = without_qr_code(BeautifulSoup(text, "html.parser"), path)
        scripts = soup.find_all("script")
        assert all(
            s.get("src", "").split("/")[-1].startswith(("site.", "prefs.")) and not s.string
            for s in scripts
        ), path
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                assert not attr.lower().startswith("on"), (path, tag.name, attr)
                if attr in ("href", "src", "action", "data", "xlink:href"):
                    v = str(value).strip().lower()
                    assert not v.startswith(("javascript:", "data:", "vbscript:")), (path, v)
            ours = tag.name == "form" and tag.has_attr(
                "data-filters"
            )  # the theme's own filter form
            assert ours or tag.name not in ("iframe", "object", "embed", "form", "style", "svg"), (
                path,
                tag.name,
            )
    for path in scratch.output.rglob("*"):
        if path.suffix in (".jpg", ".webp"):
            with Image.open(path) as im:
                assert not im.getexif() and not im.info.get("exif") and not im.info.get("xmp"), path


def test_the_pixel_limit_is_configurable(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from site_builder.cli import main

    folder = scratch.campaign / "honorees" / "li-ce-shi"
    folder.mkdir(parents=True)
    Image.new("RGB", (2000, 1000)).save(folder / "big.jpg")
    scratch.honoree("li-ce-shi", text=record(工作照="\n  - {文件: big.jpg, 说明: 大图}"))
    monkeypatch.chdir(scratch.root)
    assert main(["check", "--max-megapixels", "1"]) == 1
    assert "超过上限 1 百万像素" in capsys.readouterr().out
    assert main(["build", "--max-megapixels", "2", "--output", "output", "--cache", "cache"]) == 0
