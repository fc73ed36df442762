"""The site plan: one list of every output, from which rendering, QR codes, the sitemap and
invalidation are all taken; a new page type is one entry and its template."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.model import urls
from site_builder.pages import plan as site_plan
from site_builder.pages.plan import Output, Planning, Template
from site_builder.pipeline import prepare

from .conftest import Scratch, record


def _two(scratch: Scratch) -> None:
    scratch.honoree("li-ming", photos=1)
    scratch.honoree("wang-fang", record("王测试"))


def test_what_an_edit_invalidates_comes_from_the_plan(scratch: Scratch) -> None:
    _two(scratch)
    plan = prepare(scratch.options()).plan
    pages = {o.path for o in plan.pages()}
    assert {"2024-test/notice/index.html", "2024-test/li-ming/index.html"} <= pages

    wanted = plan.affected(["2024-test/honorees/li-ming/index.md"])
    assert wanted is not None
    for page in [
        "2024-test/li-ming/index.html",
        "2024-test/index.html",
        "2024-test/notice/index.html",
        "index.html",
        "404.html",
    ]:
        assert wanted(page), page
    assert not wanted("2024-test/wang-fang/index.html")
    both = plan.affected(
        ["2024-test/honorees/li-ming/index.md", "2024-test/honorees/wang-fang/work-1.jpg"]
    )
    assert both is not None and both("2024-test/wang-fang/index.html")
    assert plan.affected(["2024-test/campaign.yaml"]) is None
    assert plan.affected(["site.yaml"]) is None
    assert plan.affected(None) is None


def test_qr_codes_sitemap_and_links_are_the_plans(scratch: Scratch) -> None:
    _two(scratch)
    plan = prepare(scratch.options()).plan
    with_qr = sorted(o.url for o in plan if o.qr and o.url is not None)
    assert with_qr == sorted(o.url for o in plan if o.is_page and o.url is not None)
    assert {urls.qr_code(u, "png") for u in with_qr if u is not None} <= set(plan.cached)
    base = plan.config.base_url
    pages = ["", "2024-test/", "2024-test/notice/", "2024-test/li-ming/", "2024-test/wang-fang/"]
    assert plan.sitemap() == [base + page for page in pages]  # not 404.html
    photos = [o for o in plan if o.kind == "image"]
    assert photos and all(o.path.startswith("assets/2024-test/") for o in photos)
    assert any(o.path.startswith("assets/2024-test/li-ming/photo-1-") for o in photos)


def people(p: Planning) -> Iterator[Output]:
    """A test page type: each campaign's list of names at <campaign>/people/."""
    for c in p.campaigns:
        yield Output(
            f"{c.id}/people/index.html",
            "people",
            Template("people.html", {"campaign": c}),
            f"{c.id}/people/",
            records=(f"{c.id}/honorees/",),
            qr=True,
            sitemap=True,
            campaign=c.id,
        )


def names_only(p: Planning) -> Iterator[Output]:
    """A page that shows no record: an edit of a story must not render it again."""
    yield Output("about/index.html", "about", Template("about.html"), "about/", campaign=None)


def test_a_new_page_type_is_one_entry_and_is_rebuilt_after_an_edit(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two(scratch)
    templates = scratch.root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (scratch.root / "themes" / "default" / "theme.yml").write_text("继承: default\n", "utf-8")
    (templates / "people.html").write_text(
        "<ul>{% for h in campaign.honorees %}<li>{{ h.name }}：{{ h.summary }}</li>"
        "{% endfor %}</ul>",
        "utf-8",
    )
    (templates / "about.html").write_text("<p>{{ site.title }}</p>", "utf-8")
    monkeypatch.setattr(site_plan, "PAGE_TYPES", [*site_plan.PAGE_TYPES, people, names_only])

    scratch.build()
    page = scratch.output / "2024-test/people/index.html"
    assert "李测试" in page.read_text("utf-8")
    assert (scratch.output / "2024-test/people/qr.png").is_file()
    assert "2024-test/people/" in (scratch.output / "sitemap.xml").read_text("utf-8")

    # an edit of one story: the people page shows it, so it is rendered again; the page
    # that shows no record is reused as it is (same inode: linked, not written)
    about = scratch.output / "about/index.html"
    about_inode = about.stat().st_ino
    story = scratch.campaign / "honorees/li-ming/index.md"
    text = story.read_text("utf-8")
    story.write_text(text.replace("事迹简介: ", "事迹简介: 冒雪送件，"), "utf-8")
    result = scratch.build()
    assert not result.unchanged
    assert "冒雪送件" in page.read_text("utf-8")
    assert about.stat().st_ino == about_inode
    assert result.rendered < result.pages == len(prepare(scratch.options()).plan.pages())


def test_no_page_type_plans_the_same_file_twice_with_other_bytes(scratch: Scratch) -> None:
    _two(scratch)
    prepared = prepare(scratch.options())
    clash = Output("404.html", "404", Template("home.html"))
    with pytest.raises(AssertionError, match="planned twice"):
        prepared.plan.add(clash)


def test_the_demo_plan_lists_every_file_the_build_writes(tmp_path: Path) -> None:
    from site_builder import BuildOptions, build

    from .conftest import ROOT

    options = BuildOptions(
        content=ROOT / "content", output=tmp_path / "out", cache=tmp_path / "cache"
    )
    build(options)
    written = {
        p.relative_to(options.output).as_posix()
        for p in options.output.rglob("*")
        if p.is_file() and not p.name.startswith(".site-builder")
    }
    planned = {o.path for o in prepare(options).plan}
    assert written and written == planned
