"""三级公示: each nominee's 所在单位 and 县级 公示, recorded on the record, checked by the
same working-day calendar as the city's — short, missing and out-of-order levels."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.checks.privacy import privacy_detector
from site_builder.checks.site import check_site
from site_builder.errors import Problem, Problems
from site_builder.load.content import load_site

from .conftest import ROOT, Scratch
from .test_workbench_settings import ORIGIN, form_of, jiaozuo_bench, soup

JZ = "2024-jiaozuo-xinjiuye"  # its 公示 starts on 2024-04-08
GOOD_UNIT = "{开始: 2024-03-11, 结束: 2024-03-15, 地点: 单位公告栏}"
GOOD_COUNTY = "{开始: 2024-03-25, 工作日数: 5, 地点: 县总工会网站}"


@pytest.fixture
def jiaozuo(copy_site) -> Scratch:  # type: ignore[no-untyped-def]
    site = copy_site(ROOT / "examples/jiaozuo-2024/content")
    path = site.content / JZ / "campaign.yaml"
    path.write_text(
        path.read_text("utf-8").replace("规则:\n", "规则:\n  三级公示: 错误\n", 1), "utf-8"
    )
    return site


def set_levels(site: Scratch, slug: str, unit: str | None, county: str | None) -> None:
    record = site.content / JZ / "honorees" / slug / "index.md"
    text = record.read_text("utf-8")
    lines = [f"单位公示: {unit}"] if unit else []
    lines += [f"县级公示: {county}"] if county else []
    head, _, rest = text.partition("\n")
    record.write_text(head + "\n" + "".join(line + "\n" for line in lines) + rest, "utf-8")


def findings(site: Scratch) -> list[Problem]:
    problems = Problems(display_root=site.content.resolve())
    loaded = load_site(site.content, problems)
    assert loaded is not None
    check_site(loaded, problems, privacy_detector(loaded))
    return [p for p in problems if p.field in ("单位公示", "县级公示")]


def test_short_missing_and_out_of_order_levels(jiaozuo: Scratch) -> None:
    folders = sorted(p.name for p in (jiaozuo.content / JZ / "honorees").iterdir())
    good, short, missing, order, late = folders[:5]
    set_levels(jiaozuo, good, GOOD_UNIT, GOOD_COUNTY)
    set_levels(jiaozuo, short, "{开始: 2024-03-11, 工作日数: 3}", GOOD_COUNTY)
    set_levels(jiaozuo, missing, GOOD_UNIT, None)
    set_levels(jiaozuo, order, "{开始: 2024-03-11, 结束: 2024-03-27}", GOOD_COUNTY)
    set_levels(jiaozuo, late, GOOD_UNIT, "{开始: 2024-04-01, 工作日数: 6}")
    found = findings(jiaozuo)
    by = {f: [p for p in found if f"/{f}/" in p.path] for f in folders}
    assert by[good] == []
    assert len(by[short]) == 1 and "只有 3 个工作日，少于规定的 5 个" in by[short][0].message
    assert [p.message for p in by[missing]] == ["没有县级公示的记录"]
    assert any("早于所在单位公示结束" in p.message for p in by[order])
    assert any("晚于市级公示开始（2024-04-08）" in p.message for p in by[late])
    assert all(p.severity == "error" for f in (short, missing, order, late) for p in by[f])
    for f in folders[5:]:  # no levels recorded at all: both said
        assert sorted(p.field for p in by[f]) == ["单位公示", "县级公示"]


def test_a_draft_gets_warnings_and_a_warning_rule_never_stops_the_build(jiaozuo: Scratch) -> None:
    record = next((jiaozuo.content / JZ / "honorees").glob("*/index.md"))
    record.write_text(record.read_text("utf-8").replace("状态: 已审定", "状态: 拟推荐"), "utf-8")
    found = [p for p in findings(jiaozuo) if f"/{record.parent.name}/" in p.path]
    assert found and all(p.severity == "warning" for p in found)
    path = jiaozuo.content / JZ / "campaign.yaml"
    path.write_text(
        path.read_text("utf-8").replace("三级公示: 错误", "三级公示: {级别: 警告, 最少工作日: 3}"),
        "utf-8",
    )
    jiaozuo.build()  # warnings only


def test_the_workbench_records_the_levels_and_lists_the_gaps(tmp_path: Path) -> None:
    bench = jiaozuo_bench(tmp_path)
    path = bench.options.content / JZ / "campaign.yaml"
    path.write_text(
        path.read_text("utf-8").replace("规则:\n", "规则:\n  三级公示: 错误\n", 1), "utf-8"
    )
    dashboard = soup(bench.handle("GET", f"{JZ}/", {}, None).body)
    gaps = [
        li for li in dashboard.select("ul.todo li") if "没有所在单位公示的记录" in li.get_text()
    ]
    assert gaps and gaps[0].a["href"].endswith("/#f-unit_notice")
    form = form_of(bench, f"{JZ}/shen-li/", "record-form")
    form |= {"unit_notice.start": ["2024年3月11日"], "unit_notice.end": ["2024.3.15"],
             "unit_notice.place": ["单位公告栏"], "county_notice.start": ["2024-03-25"],
             "county_notice.working_days": ["5"], "county_notice.place": ["县总工会网站"]}  # fmt: skip
    answer = bench.handle("POST", f"{JZ}/shen-li/", form, ORIGIN)
    assert answer.status == 303, soup(answer.body).get_text()[:400]
    text = (bench.options.content / JZ / "honorees/shen-li/index.md").read_text("utf-8")
    assert "单位公示: {开始: 2024-03-11, 结束: 2024-03-15, 地点: 单位公告栏}" in text
    assert "县级公示: {开始: 2024-03-25, 工作日数: 5, 地点: 县总工会网站}" in text
    page = soup(bench.handle("GET", f"{JZ}/shen-li/", {}, None).body)
    assert page.select_one("#f-unit_notice")["value"] == "2024-03-11"
    assert not [
        p for p in page.select(".problem") if "公示" in p.get_text() and "单位" in p.get_text()
    ]


def test_the_city_notice_says_the_lower_levels_were_held(copy_site) -> None:  # type: ignore[no-untyped-def]
    site = copy_site(ROOT / "examples/jiujiang-2022/content")  # the 2022 seed asks for 三级公示
    site.build()
    notice = site.html("2022-jiujiang-zuimei/notice/index.html").select_one(".notice").get_text()
    assert "上述人选均已经所在单位和县级公示。" in notice
    record = next((site.content / "2022-jiujiang-zuimei/honorees").glob("*/index.md"))
    text = record.read_text("utf-8")
    record.write_text(
        "\n".join(line for line in text.split("\n") if not line.startswith("县级公示")), "utf-8"
    )
    rules = site.content / "2022-jiujiang-zuimei/campaign.yaml"
    rules.write_text(rules.read_text("utf-8").replace("三级公示: 错误", "三级公示: 警告"), "utf-8")
    site.build()  # a warning now, and the sentence is no longer true: it is not said
    notice = site.html("2022-jiujiang-zuimei/notice/index.html").select_one(".notice").get_text()
    assert "上述人选均已经所在单位和县级公示" not in notice
