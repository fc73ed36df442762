"""What the WeChat editor gets: an article pasted through the real clipboard into an
editable page keeps its text and images; the preview's 复制公众号版 puts it there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Route, expect

from site_builder.cli import main
from site_builder.dev.serve import start
from site_builder.pipeline import BuildOptions

from .conftest import DESKTOP, ROOT, new_page

pytestmark = pytest.mark.browser

EDITOR = '<!doctype html><meta charset="utf-8"><div id="editor" contenteditable="true"></div>'
WRITE_CLIPBOARD = """async (html) => {
  const item = new ClipboardItem({"text/html": new Blob([html], {type: "text/html"})});
  await navigator.clipboard.write([item]);
}"""
READ_CLIPBOARD = """async () => {
  for (const item of await navigator.clipboard.read()) {
    if (item.types.includes("text/html")) return await (await item.getType("text/html")).text();
  }
  return "";
}"""


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_an_article_pasted_into_an_editor_keeps_text_and_images(
    browser: Browser, site_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "公众号"
    args = ["--content", str(ROOT / "content"), "--cache", str(tmp_path / "cache")]
    assert main(["wechat", "2024-shili-xinjiuye", *args, "-o", str(target), "-q"]) == 0
    article = (target / "chen-lixin" / "article.html").read_text("utf-8")
    expected = BeautifulSoup(article, "html.parser")

    context, page = new_page(browser, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    try:
        editor_url = site_url + "__editor__.html"  # an editable page on a trusted origin

        def serve_editor(route: Route) -> None:
            route.fulfill(body=EDITOR, content_type="text/html; charset=utf-8")

        page.route(editor_url, serve_editor)
        page.goto(editor_url)
        page.evaluate(WRITE_CLIPBOARD, article)
        page.click("#editor")
        page.keyboard.press("Control+V")
        editor = page.locator("#editor")
        expect(editor.locator("h2")).to_have_text("陈立新")
        assert _squash(editor.inner_text()) == _squash(expected.get_text())
        pasted = editor.locator("img").evaluate_all("els => els.map(e => e.getAttribute('src'))")
        assert pasted == [img["src"] for img in expected.find_all("img")]
        # the look came along, inline: the editor has no stylesheet of ours
        colour = editor.locator("h2").evaluate("e => getComputedStyle(e).color")
        assert colour == "rgb(166, 27, 27)"
    finally:
        context.close()


def test_preview_profile_copies_its_wechat_version(browser: Browser, tmp_path: Path) -> None:
    server = start(
        BuildOptions(content=ROOT / "examples/jiaozuo-2024/content", cache=tmp_path / "cache"),
        port=0,
        log=lambda _: None,
    )
    context, page = new_page(browser, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    try:
        assert server.wait_ready(timeout=300)
        page.goto(server.url + "2024-jiaozuo-xinjiuye/dong-peng/")
        button = page.get_by_role("button", name="复制公众号版")
        button.click()
        expect(page.get_by_role("status").filter(has_text="已复制")).to_be_visible()
        copied = page.evaluate(READ_CLIPBOARD)
        soup = BeautifulSoup(copied, "html.parser")
        assert soup.find("h2") is not None and "style" in soup.find("h2").attrs  # type: ignore[union-attr]
        assert not soup.find_all("a") and not soup.find_all(attrs={"class": True})
        # the campaign page and the notice have no such button: only profiles have articles
        page.goto(server.url + "2024-jiaozuo-xinjiuye/notice/")
        assert page.get_by_role("button", name="复制公众号版").count() == 0
    finally:
        context.close()
        server.shutdown()


def test_the_folder_page_copies_an_article_that_pastes_unchanged(
    browser: Browser, site_url: str, tmp_path: Path
) -> None:
    """From the 公众号 folder the editor opens: its index.html's 复制正文, then a paste into
    an editor. The wrapping <section> and its line-height arrive; no browser font does."""
    target = tmp_path / "公众号"
    args = ["--content", str(ROOT / "content"), "--cache", str(tmp_path / "cache")]
    assert main(["wechat", "2024-shili-xinjiuye", *args, "-o", str(target), "-q"]) == 0
    expected = BeautifulSoup(
        (target / "chen-lixin" / "article.html").read_text("utf-8"), "html.parser"
    )
    wrapper = expected.find("section")
    assert wrapper is not None and "line-height" in str(wrapper.get("style"))

    context, page = new_page(browser, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    try:
        page.goto((target / "index.html").as_uri())
        block = page.locator("article").filter(
            has=page.locator("a[href='chen-lixin/article.html']")
        )
        block.get_by_role("button", name="复制正文").click()
        expect(block.get_by_role("status")).to_contain_text("已复制正文")

        editor_url = site_url + "__editor__.html"
        page.route(
            editor_url,
            lambda route: route.fulfill(body=EDITOR, content_type="text/html; charset=utf-8"),
        )
        page.goto(editor_url)
        page.click("#editor")
        page.keyboard.press("Control+V")
        editor = page.locator("#editor")
        expect(editor.locator("h2")).to_have_text("陈立新")
        first = editor.locator(":scope > *").first
        assert first.evaluate("e => e.tagName") == "SECTION"
        assert "line-height" in (first.get_attribute("style") or "")
        styles = editor.locator("[style]").evaluate_all(
            "els => els.map(e => e.getAttribute('style'))"
        )
        assert styles and not any("Times New Roman" in s for s in styles)
        assert _squash(editor.inner_text()) == _squash(expected.get_text())
        pasted = editor.locator("img").evaluate_all("els => els.map(e => e.getAttribute('src'))")
        assert pasted == [img["src"] for img in expected.find_all("img")]
    finally:
        context.close()
