"""朗读 for older readers: the page's text read block by block by the browser's own speech
synthesis, the block being read highlighted, with pause and stop; hidden where the
browser cannot speak. A stand-in speechSynthesis makes each step observable."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from .conftest import PHONE, new_page

pytestmark = pytest.mark.browser
PROFILE = "2024-shili-xinjiuye/chen-lixin/"

# Speaks nothing: it records what it was asked to say, and a test moves it on.
FAKE_SPEECH = """(() => {
  const queue = [];
  let current = null;
  window.__spoken = [];
  class Utterance { constructor(text) { this.text = text; } }
  function next() {
    current = queue.shift() || null;
    if (current) { window.__spoken.push({text: current.text, lang: current.lang, voice: current.voice && current.voice.lang}); if (current.onstart) current.onstart(); }
  }
  window.SpeechSynthesisUtterance = Utterance;
  window.__advance = () => { const done = current; if (done && done.onend) done.onend(); next(); };
  const speech = {
    paused: false, onvoiceschanged: null,
    speak(u) { queue.push(u); if (!current) next(); },
    cancel() { queue.length = 0; current = null; },
    pause() { this.paused = true; }, resume() { this.paused = false; },
    getVoices() { return [{lang: "en-US", name: "en"}, {lang: "zh-CN", name: "普通话"}]; },
  };
  Object.defineProperty(window, "speechSynthesis", {value: speech, configurable: true});
})();"""


def test_read_aloud_reads_highlights_pauses_and_stops(browser: Browser, site_url: str) -> None:
    context, page = new_page(browser, PHONE)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.add_init_script(FAKE_SPEECH)
        page.goto(site_url + PROFILE)
        start = page.get_by_role("button", name="朗读本页")
        expect(start).to_be_visible()
        box = start.bounding_box()
        assert box is not None and box["height"] >= 44  # a touch target for older hands
        requests.clear()
        start.click()
        expect(page.locator(".reading")).to_have_count(1)
        first = page.evaluate("window.__spoken[0]")
        assert first["text"] == "陈立新" and first["lang"] == "zh-CN" and first["voice"] == "zh-CN"
        expect(page.locator("h1.reading")).to_have_count(1)
        page.evaluate("window.__advance()")
        second = page.evaluate("window.__spoken[1].text")
        expect(page.locator(".reading")).to_have_text(second)
        page.get_by_role("button", name="暂停").click()
        assert page.evaluate("window.speechSynthesis.paused") is True
        page.get_by_role("button", name="继续").click()
        assert page.evaluate("window.speechSynthesis.paused") is False
        page.get_by_role("button", name="停止").click()
        expect(page.locator(".reading")).to_have_count(0)
        expect(page.get_by_role("button", name="暂停")).to_be_hidden()
        spoken = " ".join(page.evaluate("window.__spoken.map(s => s.text)"))
        assert "分享给朋友" not in spoken
        assert requests == []  # reading aloud fetches nothing
    finally:
        context.close()


@pytest.mark.parametrize("page_url", ["2024-shili-xinjiuye/notice/", PROFILE])
def test_without_speech_synthesis_there_is_no_button(
    browser: Browser, site_url: str, page_url: str
) -> None:
    context, page = new_page(browser, PHONE)
    try:
        page.add_init_script(
            "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"
        )
        page.goto(site_url + page_url)
        assert page.locator("[data-read-aloud]").count() == 1
        expect(page.locator("[data-read-aloud]")).to_be_hidden()
    finally:
        context.close()


def test_the_share_block_speaks_to_readers(browser: Browser, site_url: str) -> None:
    context, page = new_page(browser, PHONE)
    try:
        page.goto(site_url + PROFILE)
        share = page.locator("section.share")
        expect(share.get_by_role("heading")).to_have_text("分享给朋友")
        text = share.inner_text()
        assert "公众号" not in text and "印刷" not in text and "封面" not in text
        assert share.locator("a[href$='.svg']").count() == 0
        expect(share.get_by_role("link", name="保存分享图片")).to_be_visible()
    finally:
        context.close()
