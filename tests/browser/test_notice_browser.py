"""The notice's live status under a faked clock, and its A4 print layout."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from .conftest import DESKTOP, PHONE, ROOT, new_page, serve

pytestmark = pytest.mark.browser

NOTICE = "2024-shili-xinjiuye/notice/"


@pytest.mark.parametrize(
    ("now", "state", "label"),
    [
        ("2024-03-20T10:00:00+08:00", "upcoming", "未开始"),
        ("2024-03-28T08:00:00+08:00", "open", "公示中（剩余5个工作日）"),
        ("2024-03-30T10:00:00+08:00", "open", "公示中（剩余3个工作日）"),  # a Saturday
        ("2024-04-03T23:00:00+08:00", "open", "公示中（剩余1个工作日）"),
        (
            "2024-04-03T16:30:00Z",
            "ended",
            "已结束",
        ),  # 00:30 on 04-04 in China, whatever the phone thinks
        ("2025-01-01T10:00:00+08:00", "ended", "已结束"),
    ],
)
def test_status_is_computed_on_the_readers_day(
    browser: Browser, site_url: str, now: str, state: str, label: str
) -> None:
    context, page = new_page(browser, PHONE, timezone_id="America/New_York")
    try:
        page.clock.set_fixed_time(now)
        for url in (site_url + NOTICE, site_url + "2024-shili-xinjiuye/"):
            page.goto(url)
            status = page.locator("[data-notice-status]").first
            assert status.get_attribute("data-state") == state
            assert status.locator("[data-status-label]").inner_text() == label
    finally:
        context.close()


def test_without_javascript_the_period_is_still_shown(browser: Browser, site_url: str) -> None:
    context, page = new_page(browser, PHONE, java_script_enabled=False)
    try:
        page.goto(site_url + NOTICE)
        assert "2024年3月28日至4月3日（5个工作日）" in page.inner_text("main")
    finally:
        context.close()


def test_channels_are_tappable(browser: Browser, site_url: str) -> None:
    context, page = new_page(browser, PHONE)
    try:
        page.goto(site_url + NOTICE)
        assert page.locator('a[href^="tel:"]').count() >= 1
        assert page.locator('a[href^="mailto:"]').count() == 1
    finally:
        context.close()


def test_prints_as_a_clean_a4_notice(browser: Browser, site_url: str) -> None:
    context, page = new_page(browser, DESKTOP)
    try:
        page.goto(site_url + NOTICE)
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert 1 <= len(pdf.pages) <= 2
        # NFKC: the PDF maps some glyphs to Kangxi radicals (⽰ for 示)
        compact = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\n", "")
        assert "拟表彰人选的公示" in compact and "陈立新" in compact
        assert "最美劳动者风采" not in compact  # no masthead
        assert "返回" not in compact and "跳到正文" not in compact
        assert compact.rstrip().endswith("2024年3月27日")  # issuers and date close the notice
        mediabox = pdf.pages[0].mediabox
        assert abs(float(mediabox.width) - 595) < 2 and abs(float(mediabox.height) - 842) < 2
    finally:
        context.close()


def test_whole_notice_table_is_readable_on_a_phone(browser: Browser, site_url: str) -> None:
    """375 px: no column cut off and no sideways swipe needed; each cell says its column."""
    context, page = new_page(browser, PHONE)
    try:
        page.goto(site_url + NOTICE)
        width = page.evaluate("document.documentElement.clientWidth")
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
        cells = page.locator(".notice-list td")
        assert cells.count() == 12 * 6
        for box in cells.evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())"):
            assert box["left"] >= 0 and box["right"] <= width + 0.5, box
        headers = page.locator(".notice-list th").all_inner_texts()
        first_row = page.locator(".notice-list tbody tr").first
        labels = first_row.locator("td").evaluate_all(
            "els => els.map(e => getComputedStyle(e, '::before').content.replaceAll('\"', ''))"
        )
        assert labels == headers
        assert "单位及职务" in headers and "类别" in headers
        # the table still is a table to a screen reader
        assert page.get_by_role("table").count() == 1
        assert page.get_by_role("columnheader").count() == len(headers)
    finally:
        context.close()


@pytest.fixture(scope="module")
def jiaozuo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from site_builder.pipeline import BuildOptions, build

    out = tmp_path_factory.mktemp("jiaozuo") / "output"
    build(
        BuildOptions(
            content=ROOT / "examples/jiaozuo-2024/content", output=out, cache=out.parent / "c"
        )
    )
    server, url = serve(out)
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("now", "state", "label"),
    [
        ("2024-03-20T09:00:00+08:00", "open", "距截止还有 6 天"),
        ("2024-03-26T23:30:00+08:00", "open", "今天截止"),
        ("2024-03-26T16:30:00Z", "ended", "已截止"),  # 00:30 on 03-27 in China
    ],
)
def test_the_calls_deadline_is_counted_on_the_readers_day(
    browser: Browser, jiaozuo_url: str, now: str, state: str, label: str
) -> None:
    context, page = new_page(browser, PHONE, timezone_id="America/New_York")
    try:
        page.clock.set_fixed_time(now)
        for url in (
            jiaozuo_url + "2024-jiaozuo-xinjiuye/tongzhi/",
            jiaozuo_url + "2024-jiaozuo-xinjiuye/",
        ):
            page.goto(url)
            status = page.locator("[data-call-deadline]").first
            assert status.get_attribute("data-state") == state, url
            assert status.locator("[data-status-label]").inner_text() == label
        page.goto(jiaozuo_url + "2024-jiaozuo-xinjiuye/tongzhi/")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        if label.startswith("距截止"):
            (ROOT / "bench/screenshots").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ROOT / "bench/screenshots/call-375.png"), full_page=True)
    finally:
        context.close()
