"""The officer's edit shows in the open browser by itself; a typo shows an overlay, not a dead page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from site_builder.dev.serve import start
from site_builder.pipeline import BuildOptions

from .conftest import PHONE, ROOT, new_page

pytestmark = pytest.mark.browser


def test_edit_break_and_fix_a_story_in_the_open_browser(browser: Browser, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    server = start(
        BuildOptions(content=content, cache=tmp_path / "cache"), port=0, log=lambda _: None
    )
    assert server.wait_ready()
    context, page = new_page(browser, PHONE)
    try:
        page.goto(server.url + "2024-shili-xinjiuye/chen-lixin/")
        expect(page.locator("h1")).to_have_text("陈立新")
        story = content / "2024-shili-xinjiuye" / "honorees" / "chen-lixin" / "index.md"
        original = story.read_text("utf-8")

        story.write_text(original + "\n这是刚刚保存的一句新事迹。\n", "utf-8")
        expect(page.locator("main")).to_contain_text("这是刚刚保存的一句新事迹。", timeout=10_000)

        story.write_text(original.replace("姓名: 陈立新", "姓名: [陈立新"), "utf-8")
        overlay = page.locator("[data-site-builder-errors]")
        expect(overlay).to_be_visible(timeout=10_000)
        expect(overlay).to_contain_text("chen-lixin/index.md")
        expect(overlay).to_contain_text("YAML 格式错误")

        story.write_text(original, "utf-8")
        expect(page.locator("h1")).to_have_text("陈立新", timeout=10_000)
        expect(page.locator("[data-site-builder-errors]")).to_have_count(0)
    finally:
        context.close()
        server.shutdown()
