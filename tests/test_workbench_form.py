"""The record form as a guided form: sections as on the 推荐表, choices from the campaign,
and the build's messages worded for the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.workbench.app import Workbench
from site_builder.workbench.record_form import SECTIONS, form_fields
from site_builder.workbench.wording import for_form

from .test_workbench_settings import JZ, ORIGIN, form_of, jiaozuo_bench, soup


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    return jiaozuo_bench(tmp_path)


def test_every_field_is_in_exactly_one_section() -> None:
    placed = [key for _, shown, more in SECTIONS for key in shown + more]
    assert sorted(placed) == sorted(d.key for d in form_fields())
    assert len(placed) == len(set(placed))


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("请添加一行“性别: …”", "请填写“性别”"),
        ("请与 campaign.yaml 的“推荐单位”一致（注意全称和简称）", "请与活动设置里的“推荐单位”一致（注意全称和简称）"),
        ("本活动要求人选为工会会员；如已入会，请写“工会会员: 是”", "本活动要求人选为工会会员；如已入会，请在“工会会员”里填写“是”"),
        ("请写“说明: …”，描述照片内容", "请填写“说明”，描述照片内容"),
        ("或在 index.md 里写“网址名: …”", "或填写“网址名”"),
        ("月份“13”不存在", "月份“13”不存在"),
    ],
)  # fmt: skip
def test_messages_are_worded_for_the_form(said: str, shown: str) -> None:
    assert for_form(said) == shown


def test_category_and_unit_are_the_campaigns_choices(bench: Workbench) -> None:
    record = bench.options.content / JZ / "honorees/shen-li/index.md"
    record.write_text(
        record.read_text("utf-8").replace("推荐单位: 解放区总工会", "推荐单位: 解放区工会"), "utf-8"
    )
    page = soup(bench.handle("GET", f"{JZ}/shen-li/", {}, None).body)
    category = page.select_one("select#f-category")
    assert [o.get_text() for o in category.select("option")] == [
        "货车司机",
        "网约车司机",
        "快递员",
        "外卖配送员",
    ]
    assert category.select_one("option[selected]").get_text() == "网约车司机"
    unit = page.select_one("select#f-nominating_unit")
    chosen = unit.select_one("option[selected]")
    # the file's value, said to be outside the list: never another unit shown in its place
    assert chosen["value"] == "解放区工会" and "不在活动设置里" in chosen.get_text()
    assert unit.get("aria-invalid") == "true"
    summary = page.select_one(".summary-box")
    assert summary is not None and "推荐单位" in summary.get_text()
    assert "campaign.yaml" not in page.get_text() and "index.md" not in page.get_text()
    assert "活动设置里的“推荐单位”" in page.get_text()


def test_a_refused_save_lists_the_problems_and_marks_the_fields(bench: Workbench) -> None:
    form = form_of(bench, f"{JZ}/shen-li/", "record-form")
    form["f.birth"] = ["1990年13月"]
    form["f.summary"] = ["事" * 501]
    answer = bench.handle("POST", f"{JZ}/shen-li/", form, ORIGIN)
    assert answer.status == 422
    page = soup(answer.body)
    links = [a["href"] for a in page.select(".summary-box a")]
    assert "#f-birth" in links and "#f-summary" in links
    for key in ("birth", "summary"):
        assert page.select_one(f"#f-{key}").get("aria-invalid") == "true"
    assert page.select_one("#f-name").get("aria-invalid") is None
    legends = [f.legend.get_text() for f in page.select("#record-form fieldset")]
    assert legends[:4] == ["基本信息", "单位与类别", "审定", "事迹简介"]
    assert legends[-1].startswith("不公开信息")


def test_dates_are_accepted_as_people_type_them(bench: Workbench) -> None:
    for typed in ("1990.05", "1990-05", "1990年5月"):
        form = form_of(bench, f"{JZ}/shen-li/", "record-form")
        form["f.birth"] = [typed]
        answer = bench.handle("POST", f"{JZ}/shen-li/", form, ORIGIN)
        assert answer.status in (200, 303), typed
        page = soup(bench.handle("GET", f"{JZ}/shen-li/", {}, None).body)
        assert page.select_one("#f-birth")["value"] == "1990.05"


@pytest.mark.parametrize(
    "path",
    ["", f"{JZ}/", f"{JZ}/_settings", f"{JZ}/_notice", f"{JZ}/_call", f"{JZ}/shen-li/", "_site",
     "_publish", "_publish/target", "_history", "_trash", "_phone", f"{JZ}/_wechat"],
)  # fmt: skip
def test_every_page_has_a_plain_title(bench: Workbench, path: str) -> None:
    """The browser tab says what the page is, nothing else (a block once swallowed forms)."""
    page = soup(bench.handle("GET", path, {}, None).body)
    title = page.title.get_text()
    assert title.endswith(" — site-builder") and "<" not in title and "\n" not in title, title
