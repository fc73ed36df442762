"""The call for nominations (征集) on the site: its page, its blank forms made from the
campaign's settings, its contacts published on purpose and nothing else."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from site_builder.errors import ContentError, Problems
from site_builder.forms.blank import blank_form, quota_table, summary_template
from site_builder.load.content import load_site

from .conftest import ROOT, Scratch

JZ = "2024-jiaozuo-xinjiuye"


@pytest.fixture
def jiaozuo(copy_site) -> Scratch:  # type: ignore[no-untyped-def]
    return copy_site(ROOT / "examples/jiaozuo-2024/content")


def test_the_call_page_and_its_forms(jiaozuo: Scratch) -> None:
    jiaozuo.build()
    page = jiaozuo.html(f"{JZ}/tongzhi/index.html")
    assert page.h1.get_text() == "关于开展焦作“最美新就业形态劳动者”（示例）推荐工作的通知"
    assert page.select_one(".doc-number").get_text() == "焦工文〔2024〕16号（示例）"
    story = page.select_one(".story")
    assert story is not None and "一、推荐对象" in story.get_text()  # from 征集通知.md
    # the notice's own headings right under the title: h1, then h2 (axe's heading-order)
    levels = [int(h.name[1]) for h in page.select("main h1, main h2, main h3, main h4")]
    assert levels[:2] == [1, 2] and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    status = page.select_one("[data-call-deadline]")
    assert status["data-call-deadline"] == "2024-03-26" and "2024年3月26日" in status.get_text()
    channels = page.select_one(".channels").get_text()
    assert "张静（示例）" in channels and "jzgh@example.org" in channels
    quotas = page.select(".quota-list tbody tr")
    site = load_site(jiaozuo.content, Problems())
    assert site is not None
    config = next(c for c in site.campaigns if c.id == JZ).config
    assert len(quotas) == len(config.units)
    links = [a["href"] for a in page.select("section[aria-labelledby=s-forms] a[download]")]
    assert len(links) == 5  # three forms, two posters
    made = {"tuijianbiao.docx": blank_form(config), "tuijian-huizongbiao.xlsx": summary_template(config),
            "minge-fenpeibiao.xlsx": quota_table(config)}  # fmt: skip
    for link in links:
        name = link.rsplit("/", 1)[-1]
        if name in made:
            assert (jiaozuo.output / JZ / "tongzhi" / name).read_bytes() == made[name]
    campaign = jiaozuo.html(f"{JZ}/index.html")
    assert campaign.select_one("a[href$='tongzhi/']") is not None
    assert "tongzhi/" in (jiaozuo.output / "sitemap.xml").read_text("utf-8")


def test_a_mobile_number_is_published_only_where_it_is_the_calls_contact(jiaozuo: Scratch) -> None:
    path = jiaozuo.content / JZ / "campaign.yaml"
    text = path.read_text("utf-8").replace(
        '电话: ["0391-0000000"]\n    邮箱: jzgh', '电话: ["13800001111"]\n    邮箱: jzgh'
    )
    path.write_text(text, "utf-8")
    jiaozuo.build()  # the call's own contact: published on purpose
    assert "13800001111" in (jiaozuo.output / JZ / "tongzhi" / "index.html").read_text("utf-8")
    story = next((jiaozuo.content / JZ / "honorees").glob("*/index.md"))
    story.write_text(story.read_text("utf-8") + "\n联系：13900002222。\n", "utf-8")
    with pytest.raises(ContentError):
        jiaozuo.build()  # another mobile in a story is still a leak


def test_the_notice_file_must_be_in_the_campaign_folder(jiaozuo: Scratch, tmp_path: Path) -> None:
    notice = jiaozuo.content / JZ / "征集通知.md"
    outside = tmp_path / "secret.md"
    outside.write_text("不该发布的内容", "utf-8")
    notice.unlink()
    os.symlink(outside, notice)
    with pytest.raises(ContentError) as caught:
        jiaozuo.build()
    assert any("链接" in str(p) or "符号链接" in str(p) for p in caught.value.problems)
    notice.unlink()
    with pytest.raises(ContentError) as caught:
        jiaozuo.build()
    assert any("找不到通知文件“征集通知.md”" in str(p) for p in caught.value.problems)
    assert not (jiaozuo.output / JZ / "tongzhi").exists() or "不该发布" not in (
        jiaozuo.output / JZ / "tongzhi" / "index.html"
    ).read_text("utf-8")


def test_the_call_poster_opens_the_notice_page(jiaozuo: Scratch) -> None:

    import pypdf
    import zxingcpp
    from PIL import Image

    jiaozuo.build()
    folder = jiaozuo.output / JZ / "tongzhi"
    address = "https://www.example.org/jiaozuo/2024/" + f"{JZ}/tongzhi/"
    with Image.open(folder / "poster-1080x1920.png") as im:
        assert im.size == (1080, 1920)
        (found,) = zxingcpp.read_barcodes(im)
        assert found.text == address
    pdf = pypdf.PdfReader(folder / "poster-a4.pdf")
    (sheet,) = pdf.pages
    width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    image = next(iter(sheet.images)).image
    (found,) = zxingcpp.read_barcodes(image)
    assert found.text == address
    before = (folder / "poster-a4.pdf").read_bytes()
    jiaozuo.build(force=True)
    assert (folder / "poster-a4.pdf").read_bytes() == before  # the same settings, the same file


def test_the_notice_board_poster_lists_everyone_and_opens_the_online_notice(
    copy_site,  # type: ignore[no-untyped-def]
) -> None:
    import pypdf
    import zxingcpp
    from PIL import Image

    from .conftest import record

    site = copy_site(ROOT / "examples/jiaozuo-2024/content")
    path = site.content / JZ / "campaign.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text[: text.index("规则:")] + text[text.index("# 征集推荐") :], "utf-8"
    )  # no limits
    folder = site.content / JZ / "honorees"
    for i in range(40):  # a long list: it goes on overleaf rather than shrinking
        name = "测试" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "子丑寅卯辰巳午未申酉"[i // 10]
        (folder / f"ce-shi-{i}").mkdir()
        (folder / f"ce-shi-{i}" / "index.md").write_text(
            record(name, 推荐单位="解放区总工会", 类别="快递员"), "utf-8"
        )
    site.build()
    board = site.output / JZ / "notice"
    address = "https://www.example.org/jiaozuo/2024/" + f"{JZ}/notice/"
    with Image.open(board / "board-a4.png") as im:
        assert im.size == (1240, 1754)
    pdf = pypdf.PdfReader(board / "board-a4.pdf")
    assert len(pdf.pages) >= 2  # 45 people: overleaf, at the same size
    for made in (board / "board-a4.pdf", site.output / JZ / "tongzhi" / "poster-a4.pdf"):
        assert b"/CreationDate (D:20000101000000Z)" in made.read_bytes()  # no time of making
    assert all(abs(float(p.mediabox.height) - 841.9) < 2 for p in pdf.pages)
    last = next(iter(pdf.pages[-1].images)).image
    (found,) = zxingcpp.read_barcodes(last)
    assert found.text == address
    # The page printed from the PDF is the PNG's page with hardly a speck (JPEG inside).
    from PIL import ImageChops

    first = next(iter(pdf.pages[0].images)).image.convert("L")
    with Image.open(board / "board-a4.png") as png:
        off = ImageChops.difference(png.convert("L"), first).histogram()
    assert sum(off[16:]) < 500, sum(off[16:])  # of 2,174,960 pixels


def _board_texts(rows: list[list[str]], tmp_path: Path) -> dict[str, object]:
    """What a 公示 board is drawn from (``notice_poster.texts``' fields), with ``rows``."""
    from site_builder.media.fonts import find_font

    return {
        "title": "测试市“最美劳动者”拟推荐人选的公示（示例）", "intro": "现予以公示。",
        "period": "2024年3月28日至4月3日", "headers": ["序号", "姓名", "推荐单位", "类别"],
        "rows": rows, "channels": ["电话：0391-0000000"], "issuers": ["测试市总工会"],
        "issued": "2024年3月27日", "url": "https://www.example.org/notice/",
        "font": str(find_font(None, tmp_path)),
    }  # fmt: skip


def test_a_board_lets_go_of_its_pages_once_drawn(tmp_path: Path) -> None:
    """Pillow's PDF writer leaves every page in a reference cycle, freed only when the
    garbage collector happens to run: an image worker drawing the twenty boards of a
    10,000-record archive held all their pages (340 MiB more). None outlives the call."""
    import gc
    import io
    import json

    import pypdf
    from PIL import Image

    from site_builder.media.notice_poster import draw_files

    rows = [[str(i), f"测试{i}", "甲县总工会", "快递员"] for i in range(1, 61)]
    texts = _board_texts(rows, tmp_path)

    def images() -> int:
        return sum(isinstance(o, Image.Image) for o in gc.get_objects())

    made_from = json.dumps(texts).encode()
    draw_files(made_from, ["png", "pdf"])  # once: Pillow makes a few images of its own
    gc.collect()
    gc.disable()
    try:
        before = images()
        png, pdf = draw_files(made_from, ["png", "pdf"])
        assert images() == before
    finally:
        gc.enable()
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) >= 2 and png.startswith(b"\x89PNG")


def test_a_board_drawn_a_character_at_a_time_has_the_pixels_of_whole_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names of ideographs only are stamped a character at a time (a list of hundreds
    shares a few hundred characters); the pages are pixel for pixel those drawn a whole
    text at a time, with names of one to four characters, a name with ·, and cells with
    Latin letters and digits (which are still drawn whole)."""
    import re

    from site_builder.media import notice_poster

    family, given = "周杨韩宋萧李王张刘陈", "英涛娟杰艳红燕静伟磊"
    rows = [
        [str(i), family[i % 10] + given[(i * 7) % 10] * (i % 3) + "国"[: i % 2],
         f"示例{'东西南北'[i % 4]}区总工会", "快递员"]
        for i in range(1, 71)
    ]  # fmt: skip
    rows[3][1] = "阿卜杜热合曼·买买提艾力"
    rows[4][2] = "ABC Vantage 科技有限公司（示例）"
    texts = _board_texts(rows, tmp_path)
    by_character = [page.tobytes() for page in notice_poster._pages(texts)]
    monkeypatch.setattr(notice_poster, "_IDEOGRAPHS", re.compile("(?!)"))  # never: whole texts
    whole = [page.tobytes() for page in notice_poster._pages(texts)]
    assert len(whole) >= 2 and by_character == whole


def test_boards_drawn_one_after_another_share_their_characters_and_stay_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The boards an image worker draws (an archive's campaigns, one after another) share
    each character's mask and each cell's lines: a second board draws only what the
    first did not, pixel for pixel as if it were drawn first; past ``LIMIT`` bytes of
    masks the next board starts afresh."""
    from site_builder.media import notice_poster

    first = _board_texts(
        [[str(i), f"王测{i % 7}", "甲县总工会", "快递员"] for i in range(40)], tmp_path
    )
    second = _board_texts(
        [[str(i), f"李测{i % 5}", "乙县总工会", "快递员"] for i in range(40)], tmp_path
    )

    def drawn(texts: dict[str, object]) -> tuple[list[bytes], int]:
        before = len(notice_poster._shared.stamps)
        pages = [page.tobytes() for page in notice_poster._pages(texts)]
        return pages, len(notice_poster._shared.stamps) - before

    monkeypatch.setattr(notice_poster, "_shared", notice_poster._Shared())
    alone, made_alone = drawn(second)
    monkeypatch.setattr(notice_poster, "_shared", notice_poster._Shared())
    drawn(first)
    after, made_after = drawn(second)
    assert after == alone and 0 < made_after < made_alone
    assert drawn(second) == (alone, 0)  # drawn again: every mask is shared
    monkeypatch.setattr(notice_poster._Shared, "LIMIT", 1)
    kept = notice_poster._shared
    assert drawn(second)[0] == alone and notice_poster._shared is not kept
