"""Names of any length — 2, 4, 12, 38 and 60 characters — on posters, covers, pages and
the 公示: wrapped after “·” (or anywhere in a long run) at a legible size, never cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from site_builder.media.fonts import find_font
from site_builder.media.posters import PosterJob, _name, draw_cover, draw_moments, name_lines

from .conftest import Scratch, record

UYGHUR = "阿卜杜热合曼·买买提艾力·库尔班江·阿不都克力木·吐尔逊·艾合买提江·热合曼"  # 38
NAMES = [
    "李明",
    "欧阳明月",
    "阿依古丽·买买提·吐尔逊",
    UYGHUR,
    UYGHUR + "·阿不力孜·艾尔肯·吾斯曼江·买买提明·阿卜",
]


def test_the_names_are_the_lengths_the_issue_asks_for() -> None:
    assert [len(n) for n in NAMES] == [2, 4, 12, 38, 60]


def job(name: str, kind: str, size: tuple[int, int]) -> PosterJob:
    return PosterJob(
        kind, size[0], size[1], name, "焦作示例物流有限公司运输部", "货车司机", "十二年安全行车零事故。",
        "焦作“最美新就业形态劳动者”", "焦作市总工会", "https://www.example.org/a/", str(find_font(None, Path("."))),
        None, (0.0, 0.0, 1.0, 1.0), "",
    )  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_name_lines_never_cut_and_break_after_the_dot(name: str) -> None:
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    for kind, size, least, width, most in (
        ("moments", (1080, 1920), 52, 960, 2),
        ("cover", (900, 383), 34, 444, 1),
    ):
        font, lines = _name(
            job(name, kind, size), draw, 96 if kind == "moments" else 72, least, width, most
        )
        assert "".join(lines) == name  # every character, in order: never cut, no “…”
        assert font.size >= least  # never shrunk below a legible size
        assert all(draw.textlength(line, font=font) <= width for line in lines)
        for line in lines[:-1]:  # a line ends after a “·” whenever the name has one to break at
            if "·" in name and all(len(part) * font.size <= width for part in name.split("·")):
                assert line.endswith("·"), (line, name)
    assert name_lines(draw, name, font, 10_000) == [name]


@pytest.mark.parametrize("name", NAMES)
def test_posters_and_covers_with_long_names_are_drawn(name: str) -> None:
    poster = draw_moments(job(name, "moments", (1080, 1920)))
    cover = draw_cover(job(name, "cover", (900, 383)))
    assert poster.size == (1080, 1920) and cover.size == (900, 383)


def test_pages_break_a_long_name_after_its_dots(scratch: Scratch) -> None:
    scratch.write(
        "site.yaml", "网站标题: 测试\n主办单位: 测试市总工会\n网址: https://t.example.org/\n"
    )
    scratch.write(
        "2024-test/campaign.yaml",
        "活动名称: 测试活动\n年度: 2024\n类别: [快递员]\n推荐单位: [甲县总工会]\n"
        '公示:\n  开始: 2024-03-28\n  工作日数: 5\n  受理渠道: {电话: ["0391-1234567"]}\n'
        "  发布单位: [测试市总工会]\n  发布日期: 2024-03-27\n",
    )
    scratch.honoree("long", text=record(UYGHUR, 事迹简介="示例事迹。"))
    scratch.honoree("short", text=record("李明", 事迹简介="示例事迹。"))
    scratch.build()
    profile = (scratch.output / "2024-test/long/index.html").read_text("utf-8")
    assert f"<h1>{UYGHUR.replace('·', '·<wbr>')}</h1>" in profile
    notice = scratch.html("2024-test/notice/index.html")
    cells = {td.get_text(): td.get("class") for td in notice.select("td[data-label='姓名']")}
    assert cells[UYGHUR] == ["long-name"] and cells["李明"] == ["nowrap"]
