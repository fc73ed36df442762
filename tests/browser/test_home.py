"""The home page of a site with several campaigns: the current campaign first, with its
people's faces, its phase on the reader's day and the ways in; the years below."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from site_builder.pipeline import BuildOptions, build

from .conftest import AXE, DESKTOP, PHONE, ROOT, new_page, serve

pytestmark = pytest.mark.browser
SHOTS = ROOT / "bench" / "screenshots"


@pytest.fixture(scope="module")
def two_campaigns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("two")
    content = work / "content"
    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", content)
    shutil.copytree(
        ROOT / "examples/jiujiang-2022/content/2022-jiujiang-zuimei",
        content / "2022-jiujiang-zuimei",
    )
    build(BuildOptions(content=content, output=work / "output", cache=work / "cache"))
    server, url = serve(work / "output")
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("today", "phase"),
    [
        ("2024-03-20T10:00:00+08:00", "征集推荐中"),  # before the call's deadline, 3月26日
        ("2024-04-01T10:00:00+08:00", "评审中"),
        ("2024-04-09T10:00:00+08:00", "公示中"),  # 4月8日 to 4月12日
        ("2024-05-01T10:00:00+08:00", "宣传展示"),
    ],
)
def test_the_current_campaign_leads_with_its_phase(
    browser: Browser, two_campaigns: str, today: str, phase: str
) -> None:
    context, page = new_page(browser, PHONE, timezone_id="Europe/London")
    try:
        page.clock.set_fixed_time(today)
        page.goto(two_campaigns)
        feature = page.locator("section.feature")
        expect(feature.get_by_role("heading", level=2)).to_contain_text("焦作")
        expect(feature.locator("[data-phase]")).to_have_text(phase)
        faces = feature.locator(".faces li")
        assert 1 <= faces.count() <= 6
        expect(feature.get_by_role("link", name="征集通知")).to_be_visible()
        expect(page.locator(".year-group h2")).to_have_text(["2024年", "2022年"])
        # the older campaign's own phase is said in the list
        expect(page.locator(".year-group").nth(1).locator("[data-phase]")).to_have_text("宣传展示")
    finally:
        context.close()


def test_the_home_page_is_light_accessible_and_fits_a_phone(
    browser: Browser, two_campaigns: str
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for device, name in ((PHONE, "375"), (DESKTOP, "1280")):
        context, page = new_page(browser, device, bypass_csp=True)  # for axe's script
        try:
            page.goto(two_campaigns, wait_until="load")
            page.wait_for_load_state("networkidle")
            transferred = page.evaluate(
                """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                .reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0)"""
            )
            assert transferred < 150_000, transferred  # the first screen, DPR 3 on the phone
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            assert [v["id"] for v in result["violations"]] == []
            page.screenshot(path=str(SHOTS / f"home-{name}.png"), full_page=True)
        finally:
            context.close()
