"""An officer runs a campaign like Jiaozuo's from an empty folder to a built site, in
Chromium, through the workbench only (#30): the site, the campaign with its categories,
units, quotas and the ≤2 rule (units pasted from Excel through the real clipboard), six
honourees (three of them men, one photo from an iPhone), a 公示 across National Day,
approval, a rule broken and seen on the person's own page, a delete and a restore, the
build. The test itself never writes a file under content/.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from site_builder.dev.serve import start
from site_builder.pipeline import BuildOptions

from ..test_heic import iphone_photo
from .conftest import AXE, DESKTOP, PHONE, ROOT, new_page

pytestmark = pytest.mark.browser
SHOTS = ROOT / "bench" / "screenshots"
CAMPAIGN = "2026-jiaozuo-xinjiuye"
UNITS = [("解放区总工会", 4), ("中站区总工会", 4), ("马村区总工会", 3), ("山阳区总工会", 2),
         ("市交通运输产业工会", 4)]  # fmt: skip
PEOPLE = [  # name, 性别, unit, category
    ("赵建军", "男", "市交通运输产业工会", "货车司机"),
    ("钱卫国", "男", "市交通运输产业工会", "货车司机"),
    ("孙志强", "男", "市交通运输产业工会", "货车司机"),  # the third: against the ≤2 rule
    ("李秀梅", "女", "解放区总工会", "快递员"),
    ("周晓燕", "女", "中站区总工会", "外卖配送员"),
    ("吴丽娟", "女", "马村区总工会", "网约车司机"),
]


def jpeg(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", size, colour).save(path, quality=88)
    return path


def shoot(page: Page, name: str, visited: list[tuple[str, str]] | None = None) -> None:
    page.screenshot(path=str(SHOTS / f"workbench-{name}-1280.png"), full_page=True)
    if visited is not None:
        visited.append((name, page.url.split("?")[0]))


def saved(page: Page, text: str = "已保存") -> None:
    expect(page.get_by_role("status")).to_contain_text(text)


def test_a_campaign_from_an_empty_folder_to_a_built_site(browser: Browser, tmp_path: Path) -> None:
    content, output = tmp_path / "content", tmp_path / "output"
    server = start(
        BuildOptions(content=content, output=output, cache=tmp_path / "cache"),
        port=0,
        log=lambda _: None,
    )
    context, page = new_page(browser, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    visited: list[tuple[str, str]] = []  # (screenshot name, address)
    try:
        assert server.wait_ready(timeout=300)
        admin = server.admin_url

        # an empty folder: the workbench offers to make the site
        page.goto(admin)
        expect(page.get_by_role("heading", level=1)).to_have_text("欢迎使用宣传网站工作台")
        shoot(page, "welcome")
        page.get_by_label("主办单位").fill("焦作市总工会（示例）")
        page.get_by_role("button", name="新建网站").click()
        expect(page.get_by_role("link", name=re.compile("网站设置"))).to_be_visible()

        # 网站设置: the address and the footer, never YAML
        page.get_by_role("link", name=re.compile("网站设置")).click()
        expect(page.locator(".warning").first).to_contain_text("网址")  # still the scaffold's
        page.get_by_label("网站标题").fill("焦作市总工会 · 最美劳动者风采（示例）")
        page.get_by_label("网址").fill("https://zgh.example.cn/zuimei/")
        page.get_by_label("简介").fill("焦作市“最美新就业形态劳动者”选树宣传（示例）。")
        page.get_by_label("ICP备案号").fill("豫ICP备12345678号-1")
        page.get_by_role("button", name="保存").click()
        saved(page)
        expect(page.locator(".warning, .problem")).to_have_count(0)
        shoot(page, "site-settings", visited)

        # a new campaign opens on its settings
        page.goto(admin)
        page.get_by_label(re.compile("^活动编号")).fill(CAMPAIGN)
        page.get_by_role("button", name="新建活动").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("活动设置")
        page.get_by_label("活动名称").fill("焦作“最美新就业形态劳动者”（示例）")
        page.get_by_label("年度").fill("2026")
        page.get_by_label("简介").fill("评选 20 名焦作“最美新就业形态劳动者”（示例）。")
        # the units, copied from an Excel sheet (two columns) and pasted into the first cell
        table = "\r\n".join(f"{name}\t{quota}" for name, quota in UNITS) + "\r\n"
        page.evaluate("text => navigator.clipboard.writeText(text)", table)
        first = page.get_by_label("推荐单位 1", exact=True)
        first.click()
        first.press("Control+A")
        page.keyboard.press("Control+V")
        for i, (name, quota) in enumerate(UNITS, start=1):
            expect(page.get_by_label(f"推荐单位 {i}", exact=True)).to_have_value(name)
            expect(page.get_by_label(f"名额 {i}", exact=True)).to_have_value(str(quota))
        page.get_by_label("推荐名额", exact=True).select_option("错误")
        page.get_by_label("每类每单位最多", exact=True).select_option("错误")
        page.get_by_label("每类每单位最多：人数").fill("2")
        page.get_by_role("button", name="保存").click()
        saved(page)
        shoot(page, "campaign-settings", visited)

        # the 公示 across National Day: five working days
        page.goto(admin + f"{CAMPAIGN}/_notice")
        page.get_by_label("开始（如 2024-03-28）").fill("2026-09-28")
        page.get_by_label("结束（与“工作日数”二选一）").fill("")
        page.get_by_label("工作日数", exact=True).fill("5")
        expect(page.locator("#period")).to_contain_text("10月")
        expect(page.locator("#period")).to_contain_text("（5个工作日）")
        period = page.locator("#period").inner_text()
        page.get_by_label("受理部门").fill("焦作市总工会宣教网络部（示例）")
        page.get_by_label("电话（每行一个）").fill("0391-3999920")
        page.get_by_label("邮箱").fill("jzgh@example.org")
        page.get_by_label("发布单位（每行一个）").fill("焦作市总工会（示例）")
        page.get_by_label("发布日期").fill("2026年9月27日")
        page.get_by_role("button", name="保存").click()
        saved(page)
        shoot(page, "notice", visited)

        # six people, each from 新建人选 and their own form, each with a portrait
        for i, (name, gender, unit, category) in enumerate(PEOPLE):
            page.goto(admin + f"{CAMPAIGN}/")
            page.get_by_label("姓名").fill(name)
            page.locator("#new-unit").select_option(unit)
            page.locator("#new-category").select_option(category)
            page.get_by_role("button", name="新建人选").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(name)
            expect(page.get_by_label("性别（必填）")).to_have_value("")  # never shown as 男
            page.get_by_label("性别（必填）").select_option(gender)
            page.get_by_label("出生年月").fill(f"198{i}年5月")
            page.get_by_label("民族").fill("汉族")
            page.get_by_label("单位及职务").fill(f"焦作示例{category}服务有限公司 {category}")
            page.get_by_label("参加工作时间").fill("2015.03")
            page.get_by_label("工会会员").select_option("是")
            summary = f"{name}扎根一线，服务群众（示例）。"
            page.get_by_label("事迹简介").fill(summary)
            expect(page.locator("#summary-count")).to_contain_text(f"{len(summary)} / 500 字")
            page.get_by_label("详细事迹（Markdown：## 小标题，**加粗**）").fill(
                f"## 扎根一线\n\n{name}每天清晨出发，风雨无阻（示例）。"
            )
            page.get_by_role("button", name="保存", exact=True).click()
            saved(page)
            photo = tmp_path / f"p{i}.heic"
            if i == 3:  # from an iPhone
                photo.write_bytes(iphone_photo((700, 500)))
            else:
                photo = jpeg(tmp_path / f"p{i}.jpg", (500, 700), (90 + 20 * i, 120, 150))
            page.get_by_label("用作").select_option("portrait")
            page.set_input_files("#photo-file", str(photo))
            page.get_by_role("button", name="上传照片").click()
            saved(page)
            if i == 0:
                shoot(page, "record", visited)

        # all six approved at once; the third 货车司机 of one unit breaks the ≤2 rule
        page.goto(admin + f"{CAMPAIGN}/")
        for name, *_ in PEOPLE:
            page.get_by_label(f"选择{name}").check()
        page.get_by_label("把选中的人选改为").select_option("已审定")
        page.get_by_role("button", name="修改状态").click()
        expect(page.get_by_role("status")).to_contain_text("已把 6 位人选的状态改为“已审定”")
        page.goto(admin + f"{CAMPAIGN}/")
        broken = "“市交通运输产业工会”在“货车司机”类别推荐了 3 人，每个类别最多 2 人"
        expect(page.locator("ul.todo")).to_contain_text(broken)
        shoot(page, "campaign", visited)
        page.get_by_role("link", name="孙志强").click()
        expect(page.locator("main")).to_contain_text(broken)  # on the person's own page

        # delete the third driver, find them in the 回收站 and restore them
        page.get_by_role("button", name="删除", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("已移到回收站")
        expect(page.locator("main")).not_to_contain_text("孙志强")
        page.get_by_role("link", name="打开回收站").click()
        shoot(page, "trash", visited)
        page.get_by_role("button", name="恢复孙志强").click()
        saved(page, "已恢复：孙志强")
        # and move them to another category from their form: the rule is kept
        page.goto(admin + f"{CAMPAIGN}/")
        page.get_by_role("link", name="孙志强").click()
        page.get_by_label("类别（必填）").select_option("快递员")
        page.get_by_role("button", name="保存", exact=True).click()
        saved(page)
        expect(page.locator("main")).not_to_contain_text(broken)

        page.goto(admin + "_history")
        expect(page.locator("tbody tr").first).to_be_visible()
        shoot(page, "history", visited)

        # the build, from the home page
        page.goto(admin)
        shoot(page, "home", visited)
        page.get_by_role("button", name="生成网站").click()
        expect(page.get_by_role("status")).to_contain_text("已生成", timeout=120_000)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [v["id"] for v in result["violations"]] == []
    finally:
        context.close()

    try:
        # what the build made is what was entered
        built = output / CAMPAIGN
        profiles = sorted(
            p.parent.name for p in built.glob("*/index.html") if p.parent.name != "notice"
        )
        assert len(profiles) == 6, profiles
        notice = (built / "notice" / "index.html").read_text("utf-8")
        for name, *_ in PEOPLE:
            assert name in notice
        assert period.split("（")[0] in notice and "0391-3999920" in notice
        home = (output / "index.html").read_text("utf-8")
        assert "焦作“最美新就业形态劳动者”（示例）" in home and "豫ICP备12345678号-1" in home
        assert "请填写" not in home + notice
        # nothing under content/ but what the workbench wrote
        written = sorted(
            p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file()
        )
        assert written[0] == f"{CAMPAIGN}/campaign.yaml" and written[-1] == "site.yaml"
        assert len([w for w in written if w.endswith("/index.md")]) == 6
        assert len([w for w in written if "/portrait." in w]) == 6
        iphone = next(content.glob(f"{CAMPAIGN}/honorees/*/portrait.jpg"))
        with Image.open(io.BytesIO(iphone.read_bytes())) as im:
            assert im.format == "JPEG"

        # every page at 375 px: no sideways scrolling
        context, phone = new_page(browser, PHONE)
        assert len(visited) == 8
        for name, url in visited:
            phone.goto(url)
            phone.screenshot(path=str(SHOTS / f"workbench-{name}-375.png"), full_page=True)
            overflow = phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, url
        context.close()
    finally:
        server.shutdown()
