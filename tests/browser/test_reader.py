"""What a reader sees on a phone in WeChat (and on a desktop), in real Chromium."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from .conftest import AXE, DESKTOP, PHONE, new_page

pytestmark = pytest.mark.browser

CAMPAIGN = "2024-shili-xinjiuye/"
PAGES = {
    "home": "",
    "campaign": CAMPAIGN,
    "profile": CAMPAIGN + "chen-lixin/",
    "notice": CAMPAIGN + "notice/",
    "tongzhi": CAMPAIGN + "tongzhi/",  # the call for nominations (征集通知)
    "404": "no-such-page/",
}
DEVICES = {"phone": PHONE, "desktop": DESKTOP}

SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += 300) {
    window.scrollTo(0, y); await new Promise(r => setTimeout(r, 40));
  }
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
    new Promise(r => { img.onload = img.onerror = r; })));
  window.scrollTo(0, 0);
}"""

IMAGES = """() => Array.from(document.images).map(img => ({
  src: img.currentSrc || img.src, complete: img.complete, natural: img.naturalWidth,
  rendered: img.getBoundingClientRect().width, alt: img.getAttribute('alt')}))"""


def visit(page: Page, url: str) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="load")
    page.evaluate(SCROLL_THROUGH)
    page.wait_for_load_state("networkidle")
    return errors, requests


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind", PAGES)
def test_page_renders_cleanly(browser: Browser, site_url: str, kind: str, device: str) -> None:
    context, page = new_page(browser, DEVICES[device])
    try:
        errors, requests = visit(page, site_url + PAGES[kind])
        if kind == "404":  # the document itself answers 404 by design
            errors = [e for e in errors if "404" not in e]
        assert errors == []
        origin = re.match(r"https?://[^/]+", site_url).group()  # type: ignore[union-attr]
        assert [r for r in requests if not r.startswith(origin)] == []
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"horizontal overflow of {overflow}px"
        for img in page.evaluate(IMAGES):
            assert img["alt"], img["src"]
            assert img["complete"] and img["natural"] > 0, f"not loaded: {img['src']}"
            assert img["natural"] <= 3 * img["rendered"] + 1, img
    finally:
        context.close()


def test_filter_and_search_by_touch_and_typing(
    phone: Page, site_url: str, demo_output: Path
) -> None:
    visit(phone, site_url + CAMPAIGN)
    cards = phone.locator("[data-card]")
    total = cards.count()
    assert total >= 12

    def visible() -> list[dict[str, str]]:
        return phone.evaluate(
            "() => Array.from(document.querySelectorAll('[data-card]')).filter(c => !c.hidden)"
            ".map(c => ({slug: c.dataset.slug, category: c.dataset.category, unit: c.dataset.unit}))"
        )

    phone.select_option("#f-category", "快递员")
    shown = visible()
    assert 0 < len(shown) < total and {c["category"] for c in shown} == {"快递员"}
    phone.select_option("#f-unit", shown[0]["unit"])
    assert {c["unit"] for c in visible()} == {shown[0]["unit"]}
    phone.tap("button[type=reset]")
    expect(phone.locator("[data-card]:not([hidden])")).to_have_count(total)

    # a word that appears in exactly one story (not in any card's own text) finds that honouree
    index = search_index(demo_output, CAMPAIGN)
    word, slug = _unique_story_word(index, phone)
    phone.fill("#f-q", word)
    expect(phone.locator("[data-card]:not([hidden])")).to_have_count(1)
    assert [c["slug"] for c in visible()] == [slug]
    assert "找到 1 位" in phone.inner_text("[data-count]")

    phone.fill("#f-q", "不可能出现的词语组合")
    assert phone.is_visible("[data-empty]")
    phone.click("[data-clear]")
    expect(phone.locator("[data-card]:not([hidden])")).to_have_count(total)


def search_index(output: Path, campaign: str) -> list[dict[str, str]]:
    """The entries of a campaign's search script (siteBuilderSearchLoaded([...]);)."""
    script = next((output / "assets" / campaign).glob("search.*.js")).read_text("utf-8")
    body = script.strip().removeprefix("siteBuilderSearchLoaded(").removesuffix(");")
    entries: list[dict[str, str]] = json.loads(body)
    return entries


def _unique_story_word(index: list[dict[str, str]], page: Page) -> tuple[str, str]:
    card_texts = page.evaluate(
        "() => Array.from(document.querySelectorAll('[data-card]')).map(c => c.dataset.text).join(' ')"
    )
    for entry in index:
        text = entry["text"]
        for i in range(len(text) - 4):
            word = text[i : i + 4]
            if (
                re.fullmatch(r"[\u4e00-\u9fff]{4}", word)
                and word not in card_texts
                and sum(word in e["text"] for e in index) == 1
            ):
                return word, entry["slug"]
    raise AssertionError("no unique word in the stories")


@pytest.mark.parametrize("kind", ["home", "campaign", "profile", "notice", "tongzhi"])
def test_keyboard_reaches_every_control_with_visible_focus(
    browser: Browser, site_url: str, kind: str
) -> None:
    context, page = new_page(browser, DESKTOP)
    try:
        visit(page, site_url + PAGES[kind])
        controls = page.evaluate(
            "() => Array.from(document.querySelectorAll('a[href], button, select, input, [tabindex=\"0\"]'))"
            ".filter(e => !e.closest('[hidden]') && e.getClientRects().length).length"
        )
        reached = set()
        for _ in range(controls + 3):
            page.keyboard.press("Tab")
            info = page.evaluate(
                """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {key: e.outerHTML.slice(0, 120), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""
            )
            if info["key"].startswith("<body"):
                continue
            assert info["outline"] != "none" and info["width"] >= 2, info
            reached.add(info["key"])
        assert len(reached) >= controls
    finally:
        context.close()


@pytest.mark.parametrize("kind", PAGES)
def test_axe_reports_no_violations(browser: Browser, site_url: str, kind: str) -> None:
    context, page = new_page(browser, PHONE, bypass_csp=True)
    try:
        visit(page, site_url + PAGES[kind])
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [
            (v["id"], v["help"], [n["html"][:100] for n in v["nodes"]])
            for v in result["violations"]
        ]
        assert violations == []
    finally:
        context.close()


def test_profile_weight_before_scrolling(phone: Page, site_url: str) -> None:
    phone.goto(site_url + PAGES["profile"], wait_until="load")
    phone.wait_for_load_state("networkidle")
    transferred = phone.evaluate(
        """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
        .reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0)"""
    )
    assert transferred < 150_000, transferred


@pytest.mark.parametrize("kind", ["home", "campaign", "profile", "notice", "tongzhi", "404"])
def test_html_css_js_under_50kb_compressed(demo_output: Path, kind: str) -> None:
    path = (
        demo_output
        / (PAGES[kind] if kind != "404" else "")
        / ("index.html" if kind != "404" else "404.html")
    )
    html = path.read_bytes()
    assets = re.findall(rb'(?:href|src)="([^"]+\.(?:css|js))"', html)
    total = len(gzip.compress(html))
    for ref in assets:
        asset = (path.parent / ref.decode()).resolve() if not ref.startswith(b"/") else None
        if asset is None:
            asset = demo_output / ref.decode().split("/zuimei/", 1)[-1]
        total += len(gzip.compress(asset.read_bytes()))
    assert total < 50_000, total


TOPS = """() => [...document.querySelectorAll('main > *')].map(e =>
  `${e.tagName}.${e.className}: ${Math.round(e.getBoundingClientRect().top + scrollY)}`)"""


@pytest.mark.parametrize("kind", ["home", "campaign", "profile", "notice", "tongzhi"])
def test_nothing_moves_once_shown(browser: Browser, site_url: str, kind: str) -> None:
    """What scripts reveal (the filters, the phase on the reader's day) has its place
    from the first paint: Lighthouse counted the page sliding down under the reader
    (cumulative layout shift 0.24 on home and campaign) when they appeared later. The
    page is looked at with site.js held back (a slow phone), then once it has run."""
    context, page = new_page(browser, PHONE)
    held: list[Route] = []
    try:
        page.route(re.compile(r"/site\.[0-9a-f]+\.js$"), lambda route: held.append(route))
        page.goto(site_url + PAGES[kind], wait_until="commit")
        page.wait_for_function("() => performance.getEntriesByType('paint').length > 0")
        page.wait_for_function("() => document.readyState !== 'loading'")  # parsed
        assert len(held) == 1
        before = page.evaluate(TOPS)
        held[0].continue_()
        page.wait_for_load_state("load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-phase]')].every(e => e.dataset.state)"
        )
        assert page.evaluate(TOPS) == before
    finally:
        context.close()


BASE_URL = "https://www.example.org/zuimei/"  # the demo's base_url


@pytest.mark.parametrize("kind", ["home", "campaign", "profile", "notice", "tongzhi"])
def test_the_qr_code_a_page_draws_scans_to_its_address(
    browser: Browser, site_url: str, kind: str
) -> None:
    """The code a friend scans off the reader's phone is the page's own published
    address: read from a screenshot of the page in Chromium, as a phone's camera would,
    with a reader that shares no code with the encoder. (Print leaves the share section
    out, as it does every control.)"""
    import io

    import zxingcpp
    from PIL import Image

    context, page = new_page(browser, PHONE)
    try:
        page.goto(site_url + PAGES[kind], wait_until="load")
        code = page.locator("svg.qr")
        expect(code).to_have_count(1)
        expect(code).to_have_attribute("aria-label", "本页网址的二维码")
        box = code.bounding_box()
        assert box is not None and box["width"] >= 100  # big enough to scan off a screen
        shot = Image.open(io.BytesIO(code.screenshot()))
        (found,) = zxingcpp.read_barcodes(shot)
        assert found.text == BASE_URL + PAGES[kind]
    finally:
        context.close()
