"""Pure functions: YAML reading, dates, privacy detection, story sanitising."""

from __future__ import annotations

import datetime as dt

import pytest

from site_builder.checks.privacy import Detector
from site_builder.errors import FieldError, TextFileError
from site_builder.load.text import decode, parse_yaml, split_front_matter
from site_builder.model.dates import YearMonth, chinese_period, parse_year_month
from site_builder.model.identifiers import id_checksum_ok, id_number_problem, mask
from site_builder.model.story import render_story


def test_yaml_keeps_numbers_as_written_and_knows_lines() -> None:
    doc = parse_yaml(
        "出生年月: 1990.10\n邮编: 044000\n开始: 2024-03-28\n列表:\n  - a\n  - b\n", first_line=2
    )
    assert doc.data == {
        "出生年月": "1990.10",
        "邮编": "044000",
        "开始": dt.date(2024, 3, 28),
        "列表": ["a", "b"],
    }
    assert doc.lines[("邮编",)] == 3
    assert doc.lines[("列表", 1)] == 7


def test_yaml_refuses_duplicates_aliases_and_tabs() -> None:
    assert parse_yaml("a: 1\na: 2\n").problems[0][:2] == (2, "a")
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"
    assert "锚点" in parse_yaml(bomb).problems[0][2]
    assert "Tab" in parse_yaml("a: 1\n\tb: 2\n").problems[0][2]


def test_decode_accepts_bom_and_crlf_and_names_gbk() -> None:
    assert decode("\ufeff姓名: 李\r\n".encode()) == "姓名: 李\n"
    with pytest.raises(TextFileError, match="GBK"):
        decode("姓名: 李明\n".encode("gbk"))


def test_front_matter_split_reports_story_line() -> None:
    yaml_text, body, line = split_front_matter("---\na: 1\nb: 2\n---\n正文\n")
    assert yaml_text == "a: 1\nb: 2\n" and body == "正文\n" and line == 5


@pytest.mark.parametrize(
    "text", ["1990.5", "1990.05", "1990年5月", "1990-05", "1990/5", "199005", "１９９０．０５"]
)
def test_year_month_spellings(text: str) -> None:
    assert parse_year_month(text) == YearMonth(1990, 5)


def test_year_month_october_is_not_january() -> None:
    assert parse_year_month("1990.10") == YearMonth(1990, 10)
    with pytest.raises(FieldError):
        parse_year_month("1990.13")
    with pytest.raises(FieldError):
        parse_year_month("去年")


def test_chinese_period() -> None:
    assert chinese_period(dt.date(2024, 3, 28), dt.date(2024, 4, 3)) == "2024年3月28日至4月3日"
    assert (
        chinese_period(dt.date(2024, 12, 30), dt.date(2025, 1, 6)) == "2024年12月30日至2025年1月6日"
    )


def test_id_checksum() -> None:
    assert id_checksum_ok("11010519491231002X")
    assert not id_checksum_ok("110105194912310021")
    assert id_number_problem("11010519491231002X") is None
    problem = id_number_problem("110105194912310021")
    assert problem is not None and "校验位" in problem[0] and "110105********0021" in problem[0]


@pytest.mark.parametrize(
    "text",
    [
        "电话13912345678",
        "+86 139 1234 5678",
        "0086-139-1234-5678",
        "１３９１２３４５６７８",
        "139 1234 5678",
    ],
)
def test_mobile_numbers_found_however_written(text: str) -> None:
    assert [f.kind for f in Detector().find(text)] == ["手机号码"]


def test_detector_ignores_ordinary_numbers_and_allowed_contacts() -> None:
    det = Detector(allowed=["139-1234-5678"])
    assert det.find("2024年3月28日，共 12 人，编号 20240328，电话 139-1234-5678") == []
    assert det.find("身份证 11010519491231002X")[0].masked == "110105********002X"


def test_detector_finds_known_private_values() -> None:
    det = Detector({"测试市幸福路88号3单元": "li/index.md 详细地址"})
    (hit,) = det.find("他家住测试市幸福路88号3单元，")
    assert hit.source == "li/index.md 详细地址"


def test_mask() -> None:
    assert mask("13912345678") == "139****5678"
    assert mask("11010519491231002X") == "110105********002X"


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "<iframe src='https://evil.example'></iframe>",
        "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
        "<style>body{display:none}</style>",
        "<div onclick='alert(1)'>x</div>",
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_story_is_sanitised(evil: str) -> None:
    html = render_story(f"正文\n\n{evil}\n").lower()
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "data:",
        "<style",
        "<img",
        "<svg",
    ):
        assert bad not in html


def test_story_keeps_formatting_and_demotes_headings() -> None:
    html = render_story("# 标题\n\n**重点** [链接](https://example.org)\n")
    assert "<h3>标题</h3>" in html
    assert "<h3>小标题</h3>" in render_story(
        "## 小标题\n\n### 更小\n"
    ) and "<h4>更小</h4>" in render_story("## 小标题\n\n### 更小\n")
    assert '<a href="https://example.org" rel="noopener noreferrer">链接</a>' in html


def test_one_story_leaves_nothing_behind_for_the_next() -> None:
    """The parser is reused: a link reference or raw HTML of one story is not the next's."""
    first = render_story("见[报道][新闻]。\n\n[新闻]: https://example.org/a\n\n<div>块</div>\n")
    assert '<a href="https://example.org/a"' in first
    second = render_story("只写了[新闻]，没有定义。\n")
    assert "<a" not in second and "[新闻]" in second
    assert render_story("正文\n") == "<p>正文</p>"


def test_readme_documents_every_record_field() -> None:
    from pathlib import Path

    from site_builder.model.fields import fields_of
    from site_builder.model.record import Record

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    for key, labels, *_ in fields_of(Record):
        assert f"| {' / '.join(labels)} | `{key}` |" in readme, key


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("𠮷昌明", "u20bb7-changming"),  # Extension B: no reading, its code point instead
        ("王𠮷", "wang-u20bb7"),
        ("南宫博", "nangong-bo"),
        ("钟离春", "zhongli-chun"),
        ("西门庆华", "ximen-qinghua"),
        ("张伟", "zhang-wei"),
    ],
)
def test_slugs_for_rare_characters_and_compound_surnames(name: str, slug: str) -> None:
    from site_builder.forms.slugs import base_slug

    assert base_slug(name) == slug


def test_rare_character_slugs_differ_per_person() -> None:
    from site_builder.forms.slugs import base_slug

    assert base_slug("王𠮷") != base_slug("王𡈼") and "renxuan" not in base_slug("𠮷")


def test_chinese_lines_join_without_a_space_latin_words_keep_theirs() -> None:
    from site_builder.model.fields import paragraphs

    assert render_story("他每天送件，\n从不抱怨。") == "<p>他每天送件，从不抱怨。</p>"
    assert render_story("**师傅**\n教他") == "<p><strong>师傅</strong>教他</p>"
    assert render_story("Hello\nworld") == "<p>Hello\nworld</p>"
    assert (
        paragraphs("本次活动。\n经各单位推荐\nWeChat\narticle")
        == "本次活动。经各单位推荐\nWeChat\narticle"
    )
    folded = parse_yaml("简介: >\n  本次活动。\n  经各单位推荐\n  and more\n").data
    assert folded == {"简介": "本次活动。经各单位推荐 and more\n"}
    assert parse_yaml("单位: 示例公司 快递员\n").data == {
        "单位": "示例公司 快递员"
    }  # one line: kept
