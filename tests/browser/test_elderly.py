"""The older reader on a phone: 大字 on every page, 200 % text, Chinese lines joined without
stray spaces, and search that works when the site is opened from a folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from .conftest import AXE, PHONE, new_page
from .test_reader import CAMPAIGN, PAGES, search_index

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Partly cut off at either edge (an element wholly off-screen to the left is the usual way of
# keeping something for screen readers only, like the notice's header row on a phone).
CLIPPED = """() => Array.from(document.querySelectorAll('main *')).filter(el => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.right > 0 &&
    (r.right > document.documentElement.clientWidth + 1 || r.left < -1);
}).map(el => el.tagName + '.' + el.className)"""


@pytest.mark.parametrize("kind", PAGES)
def test_large_text_on_every_page(browser: Browser, site_url: str, kind: str) -> None:
    context, page = new_page(browser, PHONE, bypass_csp=True)  # bypass: to inject axe only
    try:
        page.goto(site_url)
        button = page.get_by_role("button", name="大字")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        page.goto(site_url + PAGES[kind])  # the setting survives navigation
        assert page.evaluate("document.documentElement.classList.contains('large-text')")
        expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 1.5 * 16 - 0.5
        assert page.evaluate(OVERFLOW) <= 0
        assert page.evaluate(CLIPPED) == []
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [v["id"] for v in result["violations"]] == []
    finally:
        context.close()


# The 2021 ageing rules' numbers, measured on the page as laid out: every visible text's
# computed size, and every control's box (links on their own line included; a link inside
# a sentence is exempt, as WCAG 2.5.8 exempts it).
SMALL_TEXT = """() => { const small = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const el = walk.currentNode.parentElement;
    if (!walk.currentNode.textContent.trim() || !el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 18) small.push(`${el.tagName}.${el.className} ${size}px ${el.textContent.trim().slice(0, 16)}`);
  }
  return small; }"""
SMALL_TARGETS = """() => Array.from(document.querySelectorAll('a[href], button, input, select, summary'))
  .filter(el => el.getClientRects().length && !el.closest('[hidden]'))
  .filter(el => !(getComputedStyle(el).display === 'inline' &&
    el.parentElement.textContent.trim() !== el.textContent.trim()))  // inside a sentence
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width < 44 || r.height < 44)
  .map(([el, r]) => `${el.tagName}.${el.className} ${Math.round(r.width)}×${Math.round(r.height)} ${el.textContent.trim().slice(0, 16)}`)"""


@pytest.mark.parametrize("kind", PAGES)
def test_ageing_rules_text_size_and_touch_targets(
    browser: Browser, site_url: str, kind: str
) -> None:
    """At 375 px: every control at least 44×44 px, with 大字 off and on; with 大字 on, no
    text anywhere on the page (footer, labels, table captions included) below 18 px."""
    context, page = new_page(browser, PHONE)
    try:
        page.goto(site_url + PAGES[kind])
        assert page.evaluate(SMALL_TARGETS) == []
        sizer = page.get_by_role("button", name="大字").bounding_box()
        assert sizer is not None and sizer["height"] < 50  # on one line, not 大 over 字
        page.get_by_role("button", name="大字").click()
        assert page.evaluate(SMALL_TEXT) == []
        assert page.evaluate(SMALL_TARGETS) == []
    finally:
        context.close()


@pytest.mark.parametrize("kind", PAGES)
def test_every_page_holds_up_at_200_percent_text(
    browser: Browser, site_url: str, kind: str
) -> None:
    context, page = new_page(browser, PHONE)
    try:
        page.goto(site_url + PAGES[kind])
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate(OVERFLOW) <= 0
        assert page.evaluate(CLIPPED) == []
        if kind == "notice":  # every cell of the list still readable in full
            width = page.evaluate("document.documentElement.clientWidth")
            boxes = page.locator(".notice-list td").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().toJSON())"
            )
            assert boxes and all(b["right"] <= width + 0.5 for b in boxes)
    finally:
        context.close()


def test_story_lines_are_joined_without_a_space(browser: Browser, site_url: str) -> None:
    """The demo story breaks 刚入行时，↵陈立新… inside a paragraph, as a .docx import does."""
    context, page = new_page(browser, PHONE)
    try:
        page.goto(site_url + PAGES["profile"])
        story = page.locator(".story").inner_text()
        assert "刚入行时，陈立新对这份工作" in story
        assert "刚入行时， 陈立新" not in story and "时，\n陈" not in story
    finally:
        context.close()


def test_search_finds_a_story_word_when_opened_from_a_folder(
    browser: Browser, demo_output: Path
) -> None:
    context, page = new_page(browser, PHONE)
    try:
        page.goto((demo_output / CAMPAIGN / "index.html").as_uri())
        index = search_index(demo_output, CAMPAIGN)
        cards = {c: page.locator(f'[data-card][data-slug="{c}"]').get_attribute("data-text") or ""
                 for c in (e["slug"] for e in index)}  # fmt: skip
        for entry in index:  # a word of one story that no card shows and no other story has
            others = " ".join(e["text"] for e in index if e is not entry)
            word = next(
                (entry["text"][i : i + 4] for i in range(0, len(entry["text"]) - 4)
                 if entry["text"][i : i + 4] not in others
                 and entry["text"][i : i + 4] not in cards[entry["slug"]]
                 and " " not in entry["text"][i : i + 4]),
                None,
            )  # fmt: skip
            if word:
                break
        assert word
        page.fill("#f-q", word)
        expect(page.locator("[data-card]:not([hidden])")).to_have_count(1)
        assert page.locator("[data-card]:not([hidden])").get_attribute("data-slug") == entry["slug"]
        assert page.locator("[data-search-note]").is_hidden()
    finally:
        context.close()
