"""发布 in Chromium as the officer does it: a target added in the form with its password,
the preview, the publication followed on its progress bar, the live address and its QR
code, the history and 回退 — against the FTP test server, with a test credential store."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from playwright.sync_api import Browser, expect

import site_builder.deploy.run as deploy_run
from site_builder.dev.serve import start
from site_builder.pipeline import BuildOptions

from ..test_deploy import FTP_PASSWORD, Server
from ..test_deploy import ftp_server as ftp_server  # the fixture
from ..test_workbench_publish import MemoryKeyring
from .conftest import DESKTOP, PHONE, ROOT, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:The asyncore module is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The asynchat module is deprecated:DeprecationWarning"),
]
SHOTS = ROOT / "bench" / "screenshots"
PAUSE_AT = "uploaded-3"  # the publication waits here until the page has shown its progress


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.delenv("SITE_BUILDER_FTP_PASSWORD", raising=False)
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


def test_publish_from_the_workbench(
    browser: Browser, tmp_path: Path, ftp_server: Server, store: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    content = tmp_path / "content"
    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", content)
    reached, release = threading.Event(), threading.Event()

    def pause(name: str) -> None:
        if name == PAUSE_AT and not release.is_set():
            reached.set()
            assert release.wait(60)

    monkeypatch.setattr(deploy_run, "checkpoint", pause)
    server = start(BuildOptions(content=content, output=tmp_path / "output", cache=tmp_path / "cache"),
                   port=0, log=lambda _: None)  # fmt: skip
    context, page = new_page(browser, DESKTOP)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        assert server.wait_ready(timeout=300)
        page.goto(server.admin_url)
        page.get_by_role("link", name="发布", exact=True).click()
        page.get_by_role("link", name="添加发布目标").click()
        page.get_by_label("类型").select_option("ftp")
        expect(page.get_by_label("存储桶")).to_be_hidden()  # the fields of FTP only
        page.get_by_label("名称").fill("单位网站")
        page.get_by_label("主机").fill("127.0.0.1")
        page.get_by_label("端口").fill(str(ftp_server.port))
        page.get_by_label("用户名").fill("officer")
        page.get_by_label("目录").fill("site")
        page.get_by_label("登录密码").fill(FTP_PASSWORD)
        page.screenshot(path=str(SHOTS / "workbench-target-1280.png"), full_page=True)
        page.get_by_role("button", name="保存").click()
        expect(page.locator("main")).to_contain_text("密码已保存在这台电脑的系统密码保管里")
        assert list(store.kept.values()) == [FTP_PASSWORD]

        page.goto(server.admin_url + "_publish")
        expect(page.locator("tbody")).to_contain_text("已保存（系统密码保管）")
        page.get_by_role("button", name="预览发布到单位网站").click()
        expect(page.get_by_role("status")).to_contain_text("还没有发送任何文件", timeout=60_000)
        assert ftp_server.files() == {}
        page.screenshot(path=str(SHOTS / "workbench-publish-preview-1280.png"), full_page=True)

        page.get_by_role("button", name="发布", exact=True).click()
        assert reached.wait(60)
        bar = page.get_by_label("发布进度")
        expect(bar).to_have_attribute("value", "3")  # fed live from the server
        expect(page.get_by_role("status")).to_contain_text("正在发送：3 / ")
        page.screenshot(path=str(SHOTS / "workbench-publish-progress-1280.png"), full_page=True)
        release.set()
        expect(page.get_by_role("status")).to_contain_text("已发布", timeout=60_000)
        qr = page.get_by_role("img", name="用手机扫码打开 https://www.example.org/jiaozuo/2024/")
        expect(qr).to_be_visible()
        page.screenshot(path=str(SHOTS / "workbench-publish-done-1280.png"), full_page=True)
        first = ftp_server.files()
        assert first["index.html"] == (tmp_path / "output" / "index.html").read_bytes()

        # a change made in the workbench, published; then 回退
        page.goto(server.admin_url + "2024-jiaozuo-xinjiuye/shen-li/")
        page.get_by_label("单位及职务").fill("示例出行服务有限公司 网约车司机（新版）")
        page.get_by_role("button", name="保存", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        page.goto(server.admin_url + "_publish")
        page.get_by_role("button", name="预览发布到单位网站").click()
        page.get_by_role("button", name="发布", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("已发布", timeout=60_000)
        profile = "2024-jiaozuo-xinjiuye/shen-li/index.html"
        assert "（新版）" in ftp_server.files()[profile].decode()
        page.goto(server.admin_url + "_publish")
        page.get_by_role("button", name="把单位网站回退到上一次发布").click()
        expect(page.get_by_role("status")).to_contain_text("已发布", timeout=60_000)
        assert ftp_server.files()[profile] == first[profile]
        page.goto(server.admin_url + "_publish")
        rows = page.locator("table").nth(1).locator("tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.first).to_contain_text("回退")
        page.screenshot(path=str(SHOTS / "workbench-publish-1280.png"), full_page=True)
    finally:
        context.close()
    try:
        context, phone = new_page(browser, PHONE)
        phone.goto(server.admin_url + "_publish")
        phone.screenshot(path=str(SHOTS / "workbench-publish-375.png"), full_page=True)
        assert (
            phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            <= 0
        )
        context.close()
        secret = FTP_PASSWORD.encode()
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert secret not in path.read_bytes(), path
    finally:
        release.set()
        server.shutdown()
