"""工作台 settings: the campaign, the site, a first 公示 and a file that does not read, all
changed through the forms, written line by line and read back exactly as the build reads
them."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import bs4
import pytest

from site_builder.errors import Problems
from site_builder.load.content import load_site
from site_builder.pipeline import BuildOptions
from site_builder.workbench.app import Workbench
from site_builder.workbench.record_form import typed_date

from .conftest import ROOT

ORIGIN = "http://127.0.0.1:8000"
TOKEN = "t0ken-for-tests"
JZ = "2024-jiaozuo-xinjiuye"


def jiaozuo_bench(tmp_path: Path) -> Workbench:
    """A workbench on a copy of the Jiaozuo example."""
    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", tmp_path / "content")
    options = BuildOptions(
        content=tmp_path / "content", output=tmp_path / "output", cache=tmp_path / "cache"
    )  # never the working directory's output/
    return Workbench(options, TOKEN, {ORIGIN})


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    return jiaozuo_bench(tmp_path)


def soup(html: bytes) -> bs4.BeautifulSoup:
    return bs4.BeautifulSoup(html.decode(), "html.parser")


def form_of(bench: Workbench, path: str, form_id: str) -> dict[str, list[str]]:
    """The form as the browser sends it back unchanged: every control's value."""
    page = soup(bench.handle("GET", path, {}, None).body)
    form: dict[str, list[str]] = {}
    for c in page.select(
        f"#{form_id} input[name], #{form_id} textarea[name], #{form_id} select[name]"
    ):
        if c.name == "textarea":
            value = c.get_text()
        elif c.name == "select":
            chosen = c.select_one("option[selected]") or c.select_one("option")
            value = str(chosen.get("value", chosen.get_text())) if chosen else ""
        elif c.get("type") == "checkbox" and not c.has_attr("checked"):
            continue  # a browser sends a checkbox only when it is ticked
        else:
            value = str(c.get("value", ""))
        form.setdefault(str(c["name"]), []).append(value)
    assert form.get("token") == [TOKEN]
    return form


def changed(before: str, after: str) -> list[str]:
    return [
        line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]  # fmt: skip


def status_text(html: bytes) -> str:
    found = soup(html).select_one("[role=status]")
    return found.get_text() if found else ""


def test_typed_dates_become_the_files_dates() -> None:
    for typed in ("2024.4.7", "2024/04/07", "2024年4月7日", " 2024-4-7 ", "2024-04-07"):
        assert typed_date(typed) == "2024-04-07"
    assert typed_date("2024.2.30") == "2024.2.30"  # left for the reading to name
    assert typed_date("下周一") == "下周一"


def test_the_unchanged_campaign_form_changes_nothing(bench: Workbench) -> None:
    path = bench.options.content / JZ / "campaign.yaml"
    before = path.read_text("utf-8")
    form = form_of(bench, f"{JZ}/_settings", "settings-form")
    assert form["c.title"] == ["焦作“最美新就业形态劳动者”（示例）"]
    assert form["units.12.name"] == ["市属基层工会（示例）"] and form["units.12.quota"] == ["2"]
    assert form["r.per_category"] == ["错误"] and form["r.per_category.max"] == ["2"]
    assert form["r.honours"] == [""]  # not written: not checked
    answer = bench.handle("POST", f"{JZ}/_settings", form, ORIGIN)
    assert "没有改动" in status_text(answer.body)
    assert path.read_text("utf-8") == before


def test_campaign_settings_write_only_what_changed(bench: Workbench) -> None:
    path = bench.options.content / JZ / "campaign.yaml"
    before = path.read_text("utf-8")
    form = form_of(bench, f"{JZ}/_settings", "settings-form")
    form["c.year"] = ["2025"]
    form["c.published"] = ["2024年4月9日"]
    form["units.1.quota"] = ["3"]
    form["units.13.name"], form["units.13.quota"] = ["焦作示例新区总工会"], ["2"]
    form["r.total"] = ["警告"]
    form["r.union_member"] = [""]
    form["r.honours"] = ["警告"]
    answer = bench.handle("POST", f"{JZ}/_settings", form, ORIGIN)
    assert answer.status == 303, status_text(answer.body)
    after = path.read_text("utf-8")
    assert changed(before, after) == [
        "-年度: 2024",
        "+年度: 2025",
        "-  - {名称: 中站区总工会, 名额: 4}",
        "+  - {名称: 中站区总工会, 名额: 3}",
        "+  - {名称: 焦作示例新区总工会, 名额: 2}",
        "-  总人数: {人数: 20, 级别: 错误}",
        "+  总人数: {人数: 20, 级别: 警告}",
        "-  须为工会会员: 错误",
        "+  须有荣誉: 警告",
        "+发布日期: 2024-04-09",
    ]
    site = load_site(bench.options.content, Problems())
    assert site is not None
    config = site.campaigns[0].config
    assert config.year == 2025 and config.rules is not None
    assert config.rules.union_member is None and config.rules.honours is not None
    assert config.rules.total is not None and config.rules.total.level == "warning"
    assert [u.quota for u in config.units[:2]] == [4, 3]
    # and 撤销 of the record-level history brings the file back
    assert bench.history.undo(path) and path.read_text("utf-8") == before


def test_rules_are_added_to_a_campaign_that_has_none(bench: Workbench) -> None:
    bench.handle("POST", "_new", {"token": [TOKEN], "id": ["2026-shili-zuimei"]}, ORIGIN)
    path = bench.options.content / "2026-shili-zuimei" / "campaign.yaml"
    form = form_of(bench, "2026-shili-zuimei/_settings", "settings-form")
    form["c.title"] = ["焦作市“最美劳动者”（示例）"]
    form["r.per_category"], form["r.per_category.max"] = ["错误"], ["2"]
    form["r.quotas"] = ["错误"]
    answer = bench.handle("POST", "2026-shili-zuimei/_settings", form, ORIGIN)
    assert answer.status == 303, status_text(answer.body)
    text = path.read_text("utf-8")
    assert "规则:\n  推荐名额: 错误\n  每类每单位最多: {人数: 2, 级别: 错误}\n" in text
    site = load_site(bench.options.content, Problems())
    assert site is not None
    made = next(c for c in site.campaigns if c.id == "2026-shili-zuimei")
    assert made.config.rules is not None and made.config.rules.per_category is not None
    assert made.config.rules.per_category.max == 2


def test_renaming_a_unit_and_a_category_renames_them_in_the_records_once_confirmed(
    bench: Workbench,
) -> None:
    content = bench.options.content / JZ
    records = {p.parent.name: p.read_text("utf-8") for p in content.glob("honorees/*/index.md")}
    assert records
    campaign = (content / "campaign.yaml").read_text("utf-8")
    form = form_of(bench, f"{JZ}/_settings", "settings-form")
    assert form["units.0.name"] == ["解放区总工会"] and form["categories.0.name"] == ["货车司机"]
    form["units.0.name"] = ["焦作市解放区总工会"]
    form["categories.0.name"] = ["货运司机"]
    asked = bench.handle("POST", f"{JZ}/_settings", form, ORIGIN)
    assert asked.status == 200 and "再按一次" in status_text(asked.body)
    listed = [tr.get_text(" ", strip=True) for tr in soup(asked.body).select("#renames tbody tr")]
    uses_unit = [s for s, t in records.items() if "推荐单位: 解放区总工会\n" in t]
    uses_category = [s for s, t in records.items() if "类别: 货车司机\n" in t]
    assert uses_unit and uses_category
    assert len(listed) == len(uses_unit) + len(uses_category)
    assert any("解放区总工会 焦作市解放区总工会" in row for row in listed)
    # nothing is written until confirmed
    assert (content / "campaign.yaml").read_text("utf-8") == campaign
    assert {
        p.parent.name: p.read_text("utf-8") for p in content.glob("honorees/*/index.md")
    } == records

    confirm = {k: v for k, v in form.items()}
    page = soup(asked.body)
    assert page.select_one("input[name=confirm]") is not None
    confirm["confirm"] = ["1"]
    done = bench.handle("POST", f"{JZ}/_settings", confirm, ORIGIN)
    assert done.status == 303 and "renamed=" in done.headers["Location"]
    for slug, text in records.items():
        now = (content / "honorees" / slug / "index.md").read_text("utf-8")
        expected = []
        if slug in uses_unit:
            expected += ["-推荐单位: 解放区总工会", "+推荐单位: 焦作市解放区总工会"]
        if slug in uses_category:
            expected += ["-类别: 货车司机", "+类别: 货运司机"]
        assert sorted(changed(text, now)) == sorted(expected), slug
    problems = Problems()
    site = load_site(bench.options.content, problems)
    assert site is not None and not problems.errors
    from site_builder.checks.privacy import privacy_detector
    from site_builder.checks.site import check_site

    check_site(site, problems, privacy_detector(site))
    assert not [p for p in problems.errors if "推荐单位" in p.field or "类别" in p.field]
    shown = bench.handle("GET", f"{JZ}/_settings", {}, None, {"saved": ["1"], "renamed": ["3"]})
    assert "3 位人选" in status_text(shown.body)


def test_an_invalid_campaign_form_is_not_written_and_says_where(bench: Workbench) -> None:
    path = bench.options.content / JZ / "campaign.yaml"
    before = path.read_text("utf-8")
    form = form_of(bench, f"{JZ}/_settings", "settings-form")
    form["c.year"] = ["二〇二四"]
    form["categories.1.name"] = ["货车司机"]
    answer = bench.handle("POST", f"{JZ}/_settings", form, ORIGIN)
    assert answer.status == 422 and path.read_text("utf-8") == before
    page = soup(answer.body)
    fields = [p.find_parent("fieldset").find("legend").get_text() for p in page.select(".problem")]
    assert "基本信息" in fields
    text = page.get_text()
    assert "“二〇二四”不是整数" in text
    assert "campaign.yaml" not in " ".join(p.get_text() for p in page.select(".problem"))
    assert page.select_one("#c-year")["value"] == "二〇二四"  # what was typed stays in the form


def test_a_campaign_changed_meanwhile_is_not_overwritten(bench: Workbench) -> None:
    path = bench.options.content / JZ / "campaign.yaml"
    form = form_of(bench, f"{JZ}/_settings", "settings-form")
    path.write_text(path.read_text("utf-8") + "# 别处的修改\n", "utf-8")
    form["c.year"] = ["2030"]
    answer = bench.handle("POST", f"{JZ}/_settings", form, ORIGIN)
    assert answer.status == 409
    assert path.read_text("utf-8").endswith("# 别处的修改\n") and "年度: 2024" in path.read_text()


def test_site_settings_from_a_new_site(tmp_path: Path) -> None:
    bench = Workbench(
        BuildOptions(content=tmp_path / "content", cache=tmp_path / "c"), TOKEN, {ORIGIN}
    )
    made = bench.handle("POST", "_new_site", {"token": [TOKEN]}, ORIGIN)
    assert made.status == 303
    first = soup(bench.handle("GET", "_site", {}, None).body)
    said = " ".join(p.get_text() for p in first.select(".warning, .problem"))
    assert "主办单位" in said and "网址" in said
    form = form_of(bench, "_site", "site-form")
    form["s.title"] = ["焦作市总工会 · 最美劳动者风采（示例）"]
    form["s.organiser"] = ["焦作市总工会（示例）"]
    form["s.base_url"] = ["https://zgh.example.cn/zuimei"]
    form["s.description"] = ["焦作市总工会“最美劳动者”选树宣传（示例）。"]
    form["s.footer.icp"] = ["豫ICP备12345678号-1"]
    form["s.posters"] = ["否"]
    answer = bench.handle("POST", "_site", form, ORIGIN)
    assert answer.status == 303, status_text(answer.body)
    problems = Problems()
    site = load_site(bench.options.content, problems)
    assert site is not None and not problems.errors
    assert site.config.base_url == "https://zgh.example.cn/zuimei/"
    assert site.config.footer.icp == "豫ICP备12345678号-1" and site.config.posters is False
    after = soup(bench.handle("GET", "_site", {}, None, {"saved": ["1"]}).body)
    assert "已保存" in after.select_one("[role=status]").get_text()
    assert not after.select(".problem, .warning"), [p.get_text() for p in after.select(".warning")]

    form = form_of(bench, "_site", "site-form")
    text = (bench.options.content / "site.yaml").read_text("utf-8")
    form["s.base_url"] = ["zgh.example.cn"]
    refused = bench.handle("POST", "_site", form, ORIGIN)
    assert refused.status == 422 and "网址“zgh.example.cn”无效" in soup(refused.body).get_text()
    assert (bench.options.content / "site.yaml").read_text("utf-8") == text


def test_a_first_notice_is_written_from_the_form(bench: Workbench) -> None:
    bench.handle("POST", "_new", {"token": [TOKEN], "id": ["2026-shili-zuimei"]}, ORIGIN)
    path = bench.options.content / "2026-shili-zuimei" / "campaign.yaml"
    text = path.read_text("utf-8")
    start = text.index("公示:")
    end = text.index("\n", text.index("发布日期:", start))
    path.write_text(text[:start] + text[end + 1 :], "utf-8")  # a campaign without a 公示
    form = form_of(bench, "2026-shili-zuimei/_notice", "notice-form")
    form |= {
        "n.start": ["2026.9.28"], "n.working_days": ["5"], "n.department": ["示例市总工会宣教部"],
        "n.phones": ["0391-3999920"], "n.email": ["gonghui@example.org"],
        "n.issuers": ["示例市总工会"], "n.issued": ["2026年9月27日"],
    }  # fmt: skip
    answer = bench.handle("POST", "2026-shili-zuimei/_notice", form, ORIGIN)
    assert answer.status == 200 and "已保存" in status_text(answer.body), status_text(answer.body)
    site = load_site(bench.options.content, Problems())
    assert site is not None
    notice = next(c for c in site.campaigns if c.id == "2026-shili-zuimei").config.notice
    assert notice is not None and notice.channels.phones == ["0391-3999920"]
    assert notice.start.isoformat() == "2026-09-28" and notice.working_days == 5
    # National Day falls inside: five working days end on 10 October
    assert "2026年9月28日至10月" in soup(answer.body).select_one("#period").get_text()


def test_a_campaign_whose_file_does_not_read_is_shown_with_its_line(bench: Workbench) -> None:
    path = bench.options.content / JZ / "campaign.yaml"
    good = path.read_text("utf-8")
    path.write_text(good.replace("年度: 2024", "年度：2024"), "utf-8")
    home = soup(bench.handle("GET", "", {}, None).body)
    broken = home.select_one("li.problem a")
    assert broken is not None and broken["href"] == f"/_admin/_yaml/{JZ}"
    moved = bench.handle("GET", f"{JZ}/", {}, None)
    assert moved.status == 303 and moved.headers["Location"] == f"/_admin/_yaml/{JZ}"
    page = soup(bench.handle("GET", f"_yaml/{JZ}", {}, None).body)
    assert page.select_one(".problem").get_text().startswith("第 3 行")
    assert page.select_one(".marked").get_text().strip() == "3  年度：2024"
    digest = page.select_one("input[name=digest]")["value"]
    still = bench.handle(
        "POST", f"_yaml/{JZ}", {"token": [TOKEN], "digest": [digest], "text": [good.replace("年度: 2024", "年度 2024")]},
        ORIGIN,
    )  # fmt: skip
    assert still.status == 422 and path.read_text("utf-8") != good
    assert "年度 2024" in soup(still.body).select_one("textarea").get_text()  # typed text kept
    fixed = bench.handle(
        "POST", f"_yaml/{JZ}", {"token": [TOKEN], "digest": [digest], "text": [good.replace("\n", "\r\n")]}, ORIGIN
    )  # fmt: skip
    assert fixed.status == 303 and path.read_text("utf-8") == good
    assert bench.handle("GET", f"{JZ}/", {}, None).status == 200
    assert bench.handle("GET", "_yaml/..", {}, None).status == 404
    assert bench.handle("GET", "_yaml/honorees", {}, None).status == 404


def test_a_site_file_that_does_not_read_is_fixed_in_the_browser(bench: Workbench) -> None:
    path = bench.options.content / "site.yaml"
    good = path.read_text("utf-8")
    path.write_text(good.replace("网址: ", "网址："), "utf-8")
    for where in ("", f"{JZ}/", "_site"):
        page = soup(bench.handle("GET", where, {}, None).body)
        assert page.select_one("h1").get_text() == "修改 site.yaml（纯文本）"
        assert "中文冒号" in page.select_one(".problem").get_text()
    digest = page.select_one("input[name=digest]")["value"]
    elsewhere = bench.handle(
        "POST",
        "_yaml/site",
        {"token": ["x"], "digest": [digest], "text": [good]},
        "http://evil.example",
    )
    assert elsewhere.status == 403 and path.read_text("utf-8") != good
    fixed = bench.handle(
        "POST", "_yaml/site", {"token": [TOKEN], "digest": [digest], "text": [good]}, ORIGIN
    )
    assert fixed.status == 303 and path.read_text("utf-8") == good


def test_the_dashboard_links_each_problem_to_where_it_is_fixed(bench: Workbench) -> None:
    record = next((bench.options.content / JZ / "honorees").glob("*/index.md"))
    text = record.read_text("utf-8")
    record.write_text(text.replace("状态: 已审定", "状态: 已审定\n出生年月: 1990.13", 1) if "出生年月" not in text else
                      __import__("re").sub(r"出生年月: .*", "出生年月: 1990.13", text, count=1), "utf-8")  # fmt: skip
    page = soup(bench.handle("GET", f"{JZ}/", {}, None).body)
    items = page.select("ul.todo li")
    assert items
    wrong = next(li for li in items if "1990.13" in li.get_text() or "月份" in li.get_text())
    assert wrong.a["href"] == f"/_admin/{JZ}/{record.parent.name}/#f-birth"
    record_page = soup(bench.handle("GET", f"{JZ}/{record.parent.name}/", {}, None).body)
    assert record_page.select_one("#f-birth") is not None
    for li in items:
        assert li.a["href"].startswith("/_admin/")


def test_the_campaign_form_shows_what_the_build_says_of_its_campaign_file(
    bench: Workbench,
) -> None:
    """The settings page checks its own campaign: a prompt left in the campaign's 简介
    (which its approved people publish) is said beside the form."""
    path = bench.options.content / JZ / "campaign.yaml"
    text = path.read_text("utf-8")
    start = text.index("简介:")
    path.write_text(text[:start] + "简介: 请填写活动简介\n" + text[text.index("类别:") :], "utf-8")
    page = soup(bench.handle("GET", f"{JZ}/_settings", {}, None).body).get_text()
    assert "“请填写活动简介”还是模板里的提示文字" in page


def test_the_notice_lists_the_columns_the_officer_ticks(bench: Workbench) -> None:
    form = form_of(bench, f"{JZ}/_notice", "notice-form")
    ticked = form.get("n.columns", [])
    assert ticked == [
        "seq",
        "name",
        "gender",
        "unit_position",
        "category",
        "nominating_unit",
    ] or set(ticked) == {"seq", "name", "gender", "unit_position", "category", "nominating_unit"}
    page = soup(bench.handle("GET", f"{JZ}/_notice", {}, None).body)
    offered = [i["value"] for i in page.select("input[name='n.columns']")]
    assert "id_number" not in offered and "phone" not in offered  # never a private field
    form["n.columns"] = ["seq", "name", "nominating_unit", "category"]
    answer = bench.handle("POST", f"{JZ}/_notice", form, ORIGIN)
    assert "已保存" in status_text(answer.body)
    text = (bench.options.content / JZ / "campaign.yaml").read_text("utf-8")
    assert "  名单字段:\n    - 序号\n    - 姓名\n    - 推荐单位\n    - 类别\n" in text
    site = load_site(bench.options.content, Problems())
    assert site is not None
    assert site.campaigns[0].config.notice.columns == ["序号", "姓名", "推荐单位", "类别"]
    again = soup(bench.handle("GET", f"{JZ}/_notice", {}, None).body)
    assert [i["value"] for i in again.select("input[name='n.columns'][checked]")] == [
        "seq",
        "name",
        "category",
        "nominating_unit",
    ]
