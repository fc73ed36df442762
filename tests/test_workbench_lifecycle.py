"""工作台 lifecycle: delete to the 回收站 and restore, copy a campaign for next year, 序号."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from site_builder.errors import Problems
from site_builder.load.content import load_site
from site_builder.workbench.app import Workbench
from site_builder.workbench.lifecycle import TRASH

from .test_workbench_settings import JZ, ORIGIN, TOKEN, jiaozuo_bench, soup, status_text


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    return jiaozuo_bench(tmp_path)


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def post(bench: Workbench, path: str, **fields: str) -> object:
    return bench.handle(
        "POST", path, {"token": [TOKEN]} | {k: [v] for k, v in fields.items()}, ORIGIN
    )


def test_a_deleted_honouree_goes_to_the_trash_and_comes_back_whole(bench: Workbench) -> None:
    folder = bench.options.content / JZ / "honorees" / "geng-xiaodong"
    before = tree(folder)
    assert any(name.endswith(".jpg") for name in before)  # the photos go with the record
    answer = post(bench, f"{JZ}/geng-xiaodong/_delete")
    assert answer.status == 303 and answer.headers["Location"] == f"/_admin/{JZ}/?deleted=1"
    assert not folder.exists()
    trash = bench.options.content.parent / TRASH
    kept = list(trash.glob("*/geng-xiaodong"))
    assert len(kept) == 1 and tree(kept[0]) == before
    site = load_site(bench.options.content, Problems())
    assert site is not None and "geng-xiaodong" not in {
        h.folder.name for h in site.campaigns[0].honorees
    }
    page = soup(bench.handle("GET", f"{JZ}/", {}, None, {"deleted": ["1"]}).body)
    assert "回收站" in page.select_one("[role=status]").get_text()
    listed = soup(bench.handle("GET", "_trash", {}, None).body)
    rows = listed.select("tbody tr")
    assert len(rows) == 1 and "人选：耿晓东" in rows[0].get_text()
    item = rows[0].select_one("input[name=item]")["value"]
    restored = post(bench, "_trash", item=item)
    assert "已恢复：耿晓东" in status_text(restored.body)
    assert tree(folder) == before and not list(trash.iterdir())
    again = post(bench, "_trash", item=item)
    assert again.status == 409 and "没有这一项" in status_text(again.body)


def test_restore_never_overwrites_a_record_made_meanwhile(bench: Workbench) -> None:
    folder = bench.options.content / JZ / "honorees" / "shen-li"
    post(bench, f"{JZ}/shen-li/_delete")
    made = post(bench, f"{JZ}/_new", name="沈丽", unit="解放区总工会", category="网约车司机")
    assert made.headers["Location"] == f"/_admin/{JZ}/shen-li/"
    new = (folder / "index.md").read_text("utf-8")
    item = soup(bench.handle("GET", "_trash", {}, None).body).select_one("input[name=item]")[
        "value"
    ]
    refused = post(bench, "_trash", item=item)
    assert refused.status == 409 and "原来的位置已有同名的人选" in status_text(refused.body)
    assert (folder / "index.md").read_text("utf-8") == new


def test_a_campaign_is_deleted_only_when_confirmed_and_restored_whole(bench: Workbench) -> None:
    folder = bench.options.content / JZ
    before = tree(folder)
    assert post(bench, f"{JZ}/_delete").status == 400 and folder.is_dir()
    assert post(bench, f"{JZ}/_delete", confirm="wrong").status == 400 and folder.is_dir()
    gone = post(bench, f"{JZ}/_delete", confirm=JZ)
    assert gone.status == 303 and not folder.exists()
    home = soup(bench.handle("GET", "", {}, None, {"deleted": ["1"]}).body)
    assert "回收站" in home.select_one("[role=status]").get_text()
    item = soup(bench.handle("GET", "_trash", {}, None).body).select_one("input[name=item]")[
        "value"
    ]
    post(bench, "_trash", item=item)
    assert tree(folder) == before


def test_a_campaign_copied_for_next_year_keeps_its_settings_not_its_people(
    bench: Workbench,
) -> None:
    refused = post(bench, f"{JZ}/_copy", id=JZ)
    assert refused.status == 400
    made = post(bench, f"{JZ}/_copy", id="2025-jiaozuo-xinjiuye")
    assert made.headers["Location"] == "/_admin/2025-jiaozuo-xinjiuye/_settings"
    problems = Problems()
    site = load_site(bench.options.content, problems)
    assert site is not None and not problems.errors, [str(p) for p in problems]
    old, new = (next(c for c in site.campaigns if c.id == i) for i in (JZ, "2025-jiaozuo-xinjiuye"))
    assert new.config.year == 2025 and new.honorees == [] and new.config.notice is None
    assert new.config.call is None  # this year's call and its dates stay with this year
    assert new.config.published is None
    assert new.config.units == old.config.units and new.config.categories == old.config.categories
    assert new.config.rules == old.config.rules
    assert new.config.title == old.config.title  # no year in this title: kept as it is


def test_order_is_set_from_the_campaign_page(bench: Workbench) -> None:
    page = soup(bench.handle("GET", f"{JZ}/", {}, None).body)
    form: dict[str, list[str]] = {"token": [TOKEN], "action": ["seq"]}
    for control in page.select("form input[name^='seq.'], form input[name^='digest.']"):
        form[str(control["name"])] = [str(control.get("value", ""))]
    assert len([k for k in form if k.startswith("seq.")]) == 5
    form["seq.geng-xiaodong"], form["seq.shen-li"] = ["9"], ["二"]
    answer = bench.handle("POST", f"{JZ}/", form, ORIGIN)
    text = soup(answer.body).get_text()
    assert "已更新 1 位人选的序号" in text and "沈丽没有改" in text
    record = (bench.options.content / JZ / "honorees/geng-xiaodong/index.md").read_text("utf-8")
    assert "序号: 9\n" in record
    assert bench.history.undo(bench.options.content / JZ / "honorees/geng-xiaodong/index.md")


def test_every_save_is_listed_and_any_version_can_be_restored(bench: Workbench) -> None:
    from .test_workbench_settings import form_of

    campaign = bench.options.content / JZ / "campaign.yaml"
    first = campaign.read_text("utf-8")
    versions = []
    for year in ("2025", "2026"):
        form = form_of(bench, f"{JZ}/_settings", "settings-form")
        form["c.year"] = [year]
        assert bench.handle("POST", f"{JZ}/_settings", form, ORIGIN).status == 303
        versions.append(campaign.read_text("utf-8"))
    site_form = form_of(bench, "_site", "site-form")
    site_form["s.footer.contact"] = ["0391-3999920"]
    assert bench.handle("POST", "_site", site_form, ORIGIN).status == 303
    page = soup(bench.handle("GET", "_history", {}, None).body)
    rows = page.select("tbody tr")
    labels = [r.find_all("td")[1].get_text() for r in rows]
    assert labels == [
        "网站设置（site.yaml）",
        "活动设置：焦作“最美新就业形态劳动者”（示例）",
        "活动设置：焦作“最美新就业形态劳动者”（示例）",
    ]
    oldest = rows[2].select_one("form")
    fields = {str(i["name"]): [str(i["value"])] for i in oldest.select("input")}
    answer = bench.handle("POST", "_history", fields, ORIGIN)
    assert "已恢复 活动设置" in status_text(answer.body)
    assert campaign.read_text("utf-8") == first
    # the version it replaced is listed too: the restore can itself be undone
    assert len(soup(answer.body).select("tbody tr")) == 4
    assert bench.history.undo(campaign) and campaign.read_text("utf-8") == versions[-1]
    for bad in ({"file": ["../site.yaml"], "version": [fields["version"][0]]},
                {"file": fields["file"], "version": ["../../x.bak"]}):  # fmt: skip
        refused = bench.handle("POST", "_history", {"token": [TOKEN]} | bad, ORIGIN)
        assert refused.status == 404


def test_the_notice_and_the_wechat_articles_are_downloaded_through_the_gate(
    bench: Workbench,
) -> None:
    import io
    import zipfile

    import docx

    notice = bench.handle("GET", f"{JZ}/_notice.docx", {}, None)
    assert notice.status == 200 and "attachment" in notice.headers["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(notice.body)).paragraphs)
    assert "公示" in text and "沈丽" in "".join(
        c.text
        for t in docx.Document(io.BytesIO(notice.body)).tables
        for r in t.rows
        for c in r.cells
    )
    articles = bench.handle("GET", f"{JZ}/_wechat.zip", {}, None)
    assert articles.status == 200 and articles.content_type == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(articles.body)).namelist()
    assert "公众号/index.html" in names and "公众号/shen-li/article.html" in names
    assert "公众号/campaign.html" in names and "公众号/notice.html" in names

    # a phone number in a story: neither leaves, and the page says where to fix it
    record = bench.options.content / JZ / "honorees/shen-li/index.md"
    record.write_text(record.read_text("utf-8") + "\n联系她：139 0009 0222。\n", "utf-8")
    for path in (f"{JZ}/_wechat.zip", f"{JZ}/_notice.docx"):
        refused = bench.handle("GET", path, {}, None)
        assert refused.content_type.startswith("text/html"), path
        page = soup(refused.body)
        assert "139****0222" in page.get_text() and "13900090222" not in page.get_text()
        assert page.select_one("ul.todo a")["href"].startswith(f"/_admin/{JZ}/shen-li/")
