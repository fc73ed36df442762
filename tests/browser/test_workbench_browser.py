"""The workbench in Chromium, as an officer uses it: approve in bulk, fix a record from its
form, and see the preview (the same files) change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect

from site_builder.dev.serve import start
from site_builder.pipeline import BuildOptions

from ..test_intake import form_2024, summary_xlsx
from .conftest import AXE, DESKTOP, PHONE, ROOT, new_page

pytestmark = pytest.mark.browser
SHOTS = ROOT / "bench" / "screenshots"


def test_officer_approves_and_fixes_records_in_the_browser(
    browser: Browser, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", content)
    campaign = "2024-jiaozuo-xinjiuye"
    server = start(
        BuildOptions(content=content, output=tmp_path / "output", cache=tmp_path / "cache"),
        port=0,
        log=lambda _: None,
    )
    context, page = new_page(browser, DESKTOP, bypass_csp=True)
    try:
        assert server.wait_ready(timeout=300)
        page.goto(server.admin_url)
        page.get_by_role("link", name="焦作“最美新就业形态劳动者”（示例）").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("焦作")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "workbench-campaign-1280.png"), full_page=True)

        # three people back to 拟推荐, then approved again, in bulk
        for name in ("董鹏", "杨萌", "沈丽"):
            page.get_by_label(f"选择{name}").check()
        page.get_by_label("把选中的人选改为").select_option("拟推荐")
        page.get_by_role("button", name="修改状态").click()
        expect(page.get_by_role("status")).to_contain_text("已把 3 位人选的状态改为“拟推荐”")
        for folder in ("dong-peng", "yang-meng", "shen-li"):
            text = (content / campaign / "honorees" / folder / "index.md").read_text("utf-8")
            assert "状态: 拟推荐" in text

        # a record with an error is fixed from its form; the preview shows the fix
        page.goto(server.admin_url + f"{campaign}/geng-xiaodong/")
        page.get_by_label("出生年月").fill("1990.13")
        page.get_by_role("button", name="保存").click()
        expect(page.locator(".problem").first).to_contain_text("月份“13”不存在")
        page.get_by_label("出生年月").fill("1990.10")
        page.get_by_label("单位及职务").fill("焦作示例物流有限公司 货车司机（工作台修改）")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        page.screenshot(path=str(SHOTS / "workbench-record-1280.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [v["id"] for v in result["violations"]] == []

        preview = server.url + f"{campaign}/geng-xiaodong/"
        page.goto(preview)
        expect(page.locator("main")).to_contain_text("（工作台修改）", timeout=20_000)

        # the portrait's focal point: a click sets it and shows the 5:7 crop at once
        page.goto(server.admin_url + f"{campaign}/geng-xiaodong/")
        image = page.locator("#focus-image")
        box = image.bounding_box()
        assert box is not None
        before = page.locator("#focus-crop").bounding_box()
        image.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.9})
        focus = page.get_by_label("焦点（左右,上下，0 到 1；不写则取上方居中）").input_value()
        assert focus.startswith("0.5") and float(focus.split(",")[1]) > 0.8
        after = page.locator("#focus-crop").bounding_box()
        assert before is not None and after is not None
        assert abs(after["width"] / after["height"] - 5 / 7) < 0.02
        # the frame stays on the photo (the demo portraits are 5:7 already, so it fills it)
        shown = image.bounding_box()  # measured again: the click scrolled the page
        assert shown is not None
        assert after["x"] >= shown["x"] - 1 and after["y"] >= shown["y"] - 1
        assert after["y"] + after["height"] <= shown["y"] + shown["height"] + 1
        page.get_by_role("button", name="更新照片").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        record = (content / campaign / "honorees" / "geng-xiaodong" / "index.md").read_text()
        assert "焦点: " in record

        # import the summary table through a real upload: preview first, then confirm
        page.goto(server.admin_url + f"{campaign}/")
        files = [summary_xlsx(tmp_path / "汇总表.xlsx"), form_2024(tmp_path / "推荐表.docx")]
        page.set_input_files("#import-files", [str(f) for f in files])
        page.get_by_role("button", name="上传并预览").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("导入预览")
        expect(page.locator("table")).to_contain_text("张伟")
        expect(page.locator("table")).to_contain_text("陈示例")
        assert not (content / campaign / "honorees" / "zhang-wei").exists()
        page.get_by_role("button", name="确认导入").click()
        expect(page.get_by_role("status")).to_contain_text("已写入")
        assert (content / campaign / "honorees" / "zhang-wei" / "index.md").is_file()
        assert (content / campaign / "honorees" / "chen-shili" / "index.md").is_file()

        # a work photo uploaded from the record page
        page.goto(server.admin_url + f"{campaign}/geng-xiaodong/")
        photo = tmp_path / "工作照.jpg"
        Image.new("RGB", (1600, 1200), (40, 120, 90)).save(photo, quality=85)
        page.set_input_files("#photo-file", str(photo))
        page.get_by_label("说明（工作照必填，读屏软件会读出）").fill(
            "在物流园区检查车辆（工作台上传）"
        )
        page.get_by_role("button", name="上传照片").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")

        # the notice: one more working day, the period recomputed as it is typed
        page.goto(server.admin_url + f"{campaign}/_notice")
        days = page.get_by_label("工作日数", exact=True)
        end = page.get_by_label("结束（与“工作日数”二选一）")
        if end.input_value():
            end.fill("")
        days.fill("7")
        expect(page.locator("#period")).to_contain_text("（7个工作日）")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")

        # the three approved again, in bulk
        page.goto(server.admin_url + f"{campaign}/")
        for name in ("董鹏", "杨萌", "沈丽"):
            page.get_by_label(f"选择{name}").check()
        page.get_by_label("把选中的人选改为").select_option("已审定")
        page.get_by_role("button", name="修改状态").click()
        expect(page.get_by_role("status")).to_contain_text("已把 3 位人选的状态改为“已审定”")

        # a new campaign from the home page
        page.goto(server.admin_url)
        page.get_by_label(
            "活动编号（小写字母、数字和 -，也是网址的一部分，如 2026-shili-zuimei）"
        ).fill("2026-jiaozuo-zuimei")
        page.get_by_role("button", name="新建活动").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("活动设置")
        expect(page.get_by_label("活动名称")).to_have_value(re.compile("^请填写活动名称"))

        # and the site built from the workbench shows exactly that
        page.goto(server.admin_url)
        page.get_by_role("button", name="生成网站").click()
        expect(page.get_by_role("status")).to_contain_text("已生成", timeout=60_000)
        built = tmp_path / "output" / campaign
        profile = (built / "geng-xiaodong" / "index.html").read_text("utf-8")
        assert "（工作台修改）" in profile and "在物流园区检查车辆（工作台上传）" in profile
        assert "（7个工作日）" in (built / "notice" / "index.html").read_text("utf-8")
        for folder in ("dong-peng", "yang-meng", "shen-li"):
            assert (built / folder / "index.html").is_file()
        assert not (built / "zhang-wei").exists()  # imported as 拟推荐: not published
    finally:
        context.close()

    context, phone = new_page(browser, PHONE)
    try:
        phone.goto(server.admin_url + f"{campaign}/geng-xiaodong/")
        phone.screenshot(path=str(SHOTS / "workbench-record-375.png"), full_page=True)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
    finally:
        context.close()
        server.shutdown()
