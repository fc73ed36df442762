"""The officer's real habits (Excel's Alt+Enter, the Chinese input method, scaffolds left as
they are, Windows file names): each is named at once, and none crashes the build or preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PIL import Image

from site_builder.cli import main
from site_builder.dev.serve import DevSite
from site_builder.errors import ContentError
from site_builder.forms.intake import read_xlsx
from site_builder.media.fonts import default_font
from site_builder.media.posters import PosterJob, render_poster
from site_builder.pipeline import BuildOptions

from .conftest import Scratch, record


def test_line_break_in_a_one_line_field_is_folded_and_the_poster_drawn(scratch: Scratch) -> None:
    """Alt+Enter in an Excel cell, then import: 示例速递有限公司↵快递员 (was exit 70)."""
    scratch.honoree("li-ce-shi", 单位及职务='"示例速递有限公司\\n快递员\\t\\t（兼职）"')
    scratch.build()
    profile = scratch.html("2024-test/li-ce-shi/index.html")
    assert "示例速递有限公司 快递员 （兼职）" in profile.get_text()
    posters = list((scratch.output / "assets/2024-test/li-ce-shi").glob("moments-*.png"))
    assert len(posters) == 1


def test_poster_worker_draws_whatever_text_reaches_it(tmp_path: Path) -> None:
    """Defence in depth: the worker itself folds texts, so no content can raise in Pillow."""
    font = default_font()
    assert font is not None
    job = PosterJob(
        kind="moments",
        width=1080,
        height=1920,
        name="李\n测试",
        unit="示例\r\n公司\t快递员",
        category="快递员",
        line="第一句\n第二句",
        campaign="示例\n活动",
        organiser="示例市总工会",
        url="https://example.org/a/",
        font=str(font),
        portrait=None,
        crop=(0.0, 0.0, 1.0, 1.0),
        cache_path=str(tmp_path / "p.png"),
    )
    render_poster(job)
    with Image.open(tmp_path / "p.png") as im:
        assert im.size == (1080, 1920)


def test_preview_survives_an_internal_error_and_recovers(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch.honoree("li-ce-shi")
    site = DevSite(
        BuildOptions(content=scratch.content, cache=scratch.root / "cache"), log=lambda _: None
    )
    site.rebuild()
    assert "2024-test/li-ce-shi/index.html" in site.state.files

    import site_builder.dev.serve as serve

    real = serve.render

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(serve, "render", broken)
    site.rebuild()  # must not raise: the thread that calls it would die
    assert [p.field for p in site.state.problems] == ["程序内部错误"]
    assert "a bug of ours" in site.state.problems[0].message

    monkeypatch.setattr(serve, "render", real)
    site.rebuild()
    assert site.state.problems == []
    assert "2024-test/li-ce-shi/index.html" in site.state.files


def test_every_scaffold_placeholder_is_named_and_none_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "site", "-q"]) == 0
    assert main(["new", "campaign", "2026-shili", "-q"]) == 0
    assert main(["new", "honoree", "2026-shili", "张伟", "-q"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0  # only warnings: nothing is published yet
    out = capsys.readouterr().out
    campaign = "content/2026-shili/campaign.yaml"
    honoree = "content/2026-shili/honorees/zhang-wei/index.md"
    for where, label in [
        (campaign, "活动名称"),
        (campaign, "简介"),
        (campaign, "推荐单位 第1项 名称"),
        (campaign, "公示 受理渠道 受理部门"),
        (campaign, "公示 受理渠道 电话 第1项"),
        (campaign, "公示 发布单位 第1项"),
        (honoree, "单位及职务"),
        (honoree, "类别"),
        (honoree, "推荐单位"),
        (honoree, "事迹简介"),
        (honoree, "事迹正文"),
    ]:
        assert any(
            line.startswith(where) and f"警告：{label} — " in line and "提示文字" in line
            for line in out.splitlines()
        ), f"{where} {label}\n{out}"
    assert "请填写" not in (tmp_path / "content/site.yaml").read_text("utf-8").split("页脚")[1]
    # no realistic value is pre-filled for the officer to forget
    text = (tmp_path / honoree).read_text("utf-8")
    for prefilled in ("性别: 男", "出生年月: 1990", "参加工作时间: 2015", "民族: 汉族"):
        assert prefilled not in text

    # approved as it is, the record's placeholders stop the build
    (tmp_path / honoree).write_text(text.replace("状态: 拟推荐", "状态: 已审定"), "utf-8")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert f"{honoree}:9: 单位及职务 — “请填写单位全称及具体岗位”还是模板里的提示文字" in err
    assert not (tmp_path / "output").exists()


def test_placeholder_in_a_draft_is_only_a_warning(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    scratch.honoree("wang-ce-shi", text=record("王测试", 单位及职务="请填写单位", 状态="拟推荐"))
    result = scratch.build()
    assert any("提示文字" in p.message for p in result.warnings)


def test_summary_table_number_that_may_be_october_is_flagged(tmp_path: Path) -> None:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(["序号", "姓名", "性别", "出生年月", "参加工作时间"])
    sheet.append([1, "李测试", "男", 1990.1, 2012.05])  # typed 1990.10 in a General cell
    wb.save(tmp_path / "t.xlsx")
    people, notes = read_xlsx(tmp_path / "t.xlsx")
    assert people[0].fields["出生年月"] == "1990.1"
    assert people[0].fields["参加工作时间"] == "2012.5"
    (note,) = notes
    assert note.doubtful and "D 列" in note.place
    assert "1990.10（10 月）" in note.reason and "请核对" in note.reason


def test_photo_named_in_another_case_is_suggested_not_offered_as_work_photo(
    scratch: Scratch,
) -> None:
    folder = scratch.honoree("li-ce-shi", 证件照="{文件: portrait.jpg}")
    Image.new("RGB", (500, 700), (200, 180, 160)).save(folder / "Portrait.JPG")
    with pytest.raises(Exception) as caught:
        scratch.build()
    messages = [str(p) for p in caught.value.problems + caught.value.warnings]  # type: ignore[attr-defined]
    assert any("您是否指“Portrait.JPG”" in m for m in messages)
    assert not any("没有列在“工作照”中" in m for m in messages)


def test_portrait_file_in_capitals_is_found_without_being_listed(scratch: Scratch) -> None:
    folder = scratch.honoree("li-ce-shi")
    Image.new("RGB", (500, 700), (200, 180, 160)).save(folder / "PORTRAIT.JPG")
    result = scratch.build()
    assert not result.warnings
    assert list((scratch.output / "assets/2024-test/li-ce-shi").glob("portrait-*.webp"))


def test_fullwidth_colon_in_campaign_yaml(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    campaign = scratch.campaign / "campaign.yaml"
    lines = campaign.read_text("utf-8").splitlines()
    lines.insert(2, "简介：一次示例活动")
    campaign.write_text("\n".join(lines) + "\n", "utf-8")
    monkeypatch.chdir(scratch.root)
    assert main(["check", "--content", "content"]) == 1
    out = capsys.readouterr().out
    assert "content/2024-test/campaign.yaml:3: 这一行用了中文冒号“：”" in out


def test_a_draft_missing_its_category_is_not_counted_as_a_category(scratch: Scratch) -> None:
    """An imported draft with no 类别 holds a stand-in; the per-category rule must not count
    it (it did: “在“？”类别推荐了 4 人” stopped the build)."""
    campaign = scratch.campaign / "campaign.yaml"
    campaign.write_text(
        campaign.read_text("utf-8") + "规则:\n  每类每单位最多: {人数: 1, 级别: 错误}\n", "utf-8"
    )
    scratch.honoree("li-ce-shi")
    for slug, name in (("a", "甲测试"), ("b", "乙测试")):
        scratch.honoree(slug, text=record(name, 类别=None, 状态="拟推荐"))
    result = scratch.build()
    assert not any("？" in p.message for p in result.warnings)


def test_a_site_address_too_long_for_a_qr_code_is_named(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pasted from a share link with its tracking tail: every page's QR code would overflow."""
    scratch.honoree("li-ce-shi")
    site = scratch.root / "content" / "site.yaml"
    long_url = "https://example.org/zuimei/" + "x" * 3000
    site.write_text(site.read_text("utf-8").replace("https://example.org/zuimei/2024/", long_url))
    monkeypatch.chdir(scratch.root)
    assert main(["build", "--content", "content", "--output", "output"]) == 1
    out = capsys.readouterr().err
    assert "content/site.yaml:3: 网址 — 网址过长（3027 个字符）" in out
    assert "不超过 200 个字符" in out


def test_a_full_width_colon_inside_a_list_item_is_named(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'- 名称：焦作市马村区总工会' is one string to YAML: it was taken as a unit named
    '名称：…'. It is the key line's mistake inside a list item, and named as one."""
    campaign = scratch.campaign / "campaign.yaml"
    text = campaign.read_text("utf-8")
    campaign.write_text(
        text.replace("  - {名称: 乙区总工会, 名额: 4}", "  - 名称：焦作市马村区总工会"), "utf-8"
    )
    monkeypatch.chdir(scratch.root)
    assert main(["check", "--content", "content"]) == 1
    out = capsys.readouterr().out
    assert "推荐单位 第2项" in out and "中文冒号" in out and "名称: " in out


def test_a_notice_phone_with_its_label_typed_in_is_named(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'电话：0391-3999920' was published as tel:电话：03913999920."""
    campaign = scratch.campaign / "campaign.yaml"
    campaign.write_text(
        campaign.read_text("utf-8").replace(
            '电话: ["0000-1234567"]', '电话: ["电话：0391-3999920"]'
        ),
        "utf-8",
    )
    monkeypatch.chdir(scratch.root)
    assert main(["check", "--content", "content"]) == 1
    assert "号码以外的文字" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("issued", "severity"), [("2024-04-20", "error"), ("2024-03-29", "warning")]
)
def test_a_notice_issued_after_its_period_is_refused(
    scratch: Scratch, issued: str, severity: str
) -> None:
    """公示 from 2024-03-28 for five working days: issued after it ends is an error, after
    it starts a warning."""
    scratch.honoree("li-ce-shi")
    campaign = scratch.campaign / "campaign.yaml"
    campaign.write_text(
        campaign.read_text("utf-8").replace("发布日期: 2024-03-27", f"发布日期: {issued}"), "utf-8"
    )
    from site_builder import check

    found = [p for p in check(scratch.options()) if p.field == "公示 发布日期"]
    assert [p.severity for p in found] == [severity]


def test_a_work_photo_too_small_for_a_phone_is_a_warning(scratch: Scratch) -> None:
    from PIL import Image

    folder = scratch.honoree("li-ce-shi", record(工作照="\n  - {文件: tiny.jpg, 说明: 在站点分拣}"))
    Image.new("RGB", (120, 160), (200, 60, 60)).save(folder / "tiny.jpg")
    result = scratch.build()
    said = [str(w) for w in result.warnings if "tiny.jpg" in str(w)]
    assert said and "120×160" in said[0] and "模糊" in said[0]


def test_the_page_count_is_the_sites_whatever_was_rendered_again(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    scratch.honoree("wang-ce-shi", record("王测试"))  # her page does not show his story
    full = scratch.build()
    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    story.write_text(story.read_text("utf-8") + "\n补充。\n", "utf-8")
    again = scratch.build()
    assert again.pages == full.pages and again.rendered < full.pages
    assert again.files == full.files


def test_a_fresh_site_says_what_is_still_the_scaffolds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`new site` passed check with 0 warnings and its QR codes pointed at example.org."""
    monkeypatch.chdir(tmp_path)
    assert main(["new", "site"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "网址还是模板里的示例" in out and "“请填写主办单位”还是模板里的提示文字" in out
    site = tmp_path / "content/site.yaml"
    site.write_text(
        site.read_text("utf-8")
        + f"发布:\n  - {{名称: www, 类型: 文件夹, 路径: '{tmp_path / 'www'}'}}\n",
        "utf-8",
    )
    assert main(["build"]) == 0
    capsys.readouterr()
    assert main(["deploy", "--write"]) == 2
    assert "网址”还是模板里的示例" in capsys.readouterr().err
    assert not (tmp_path / "www").exists()


def test_a_campaign_with_scaffold_text_is_not_published(scratch: Scratch) -> None:
    """An approved person makes the campaign's pages public: its name and 公示 must be real."""
    scratch.honoree("li-ce-shi")
    campaign = scratch.campaign / "campaign.yaml"
    campaign.write_text(
        campaign.read_text("utf-8").replace(
            "活动名称: 测试市“最美劳动者”（示例）", "活动名称: 请填写活动名称"
        ),
        "utf-8",
    )
    with pytest.raises(ContentError) as caught:
        scratch.build()
    assert any("请填写活动名称" in str(p) for p in caught.value.problems)
