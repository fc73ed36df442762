"""手机预览 switched on and off from the workbench: the preview (never the workbench) on
the local network under a fresh token, and nothing at all once it is off."""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import bs4
import pytest

import site_builder.dev.phone as phone
from site_builder.dev.serve import start
from site_builder.pipeline import BuildOptions

from .conftest import ROOT


def get(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_the_phone_preview_is_switched_on_and_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", tmp_path / "content")
    options = BuildOptions(
        content=tmp_path / "content", output=tmp_path / "output", cache=tmp_path / "cache"
    )
    server = start(options, port=0, log=lambda _: None)
    bench = server.workbench
    assert bench is not None
    origin = server.admin_url.removesuffix("/_admin/")
    try:
        assert server.wait_ready(timeout=300)
        monkeypatch.setattr(phone, "lan_addresses", lambda: [])
        refused = bench.handle("POST", "_phone", {"token": [bench.token], "action": ["on"]}, origin)
        assert "没有连接局域网" in refused.body.decode()

        monkeypatch.setattr(phone, "lan_addresses", lambda: ["127.0.0.1"])  # this machine's "LAN"
        answer = bench.handle("POST", "_phone", {"token": [bench.token], "action": ["on"]}, origin)
        page = bs4.BeautifulSoup(answer.body.decode(), "html.parser")
        address = page.select_one("code").get_text()
        match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/([\w-]{16})/jiaozuo/2024/", address)
        assert match is not None, address
        assert page.select_one("img")["src"].startswith("data:image/png;base64,")
        port, token = match.groups()
        assert int(port) != int(server.httpd.server_address[1])
        status, body = get(address)
        assert status == 200 and "焦作" in body.decode()
        assert get(f"http://127.0.0.1:{port}/jiaozuo/2024/")[0] == 404  # no token, nothing
        _, admin = get(f"http://127.0.0.1:{port}/{token}/_admin/")  # the preview's own page
        assert bench.token.encode() not in admin and "本机管理网站内容".encode() not in admin
        assert get(address, host="evil.example:80")[0] == 421  # a rebinding name: refused
        # the workbench itself goes on answering on 127.0.0.1 only
        assert get(server.admin_url)[0] == 200

        off = bench.handle("POST", "_phone", {"token": [bench.token], "action": ["off"]}, origin)
        assert "已关闭手机预览" in off.body.decode()
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(address, timeout=5)
        again = bench.handle("POST", "_phone", {"token": [bench.token], "action": ["on"]}, origin)
        new = bs4.BeautifulSoup(again.body.decode(), "html.parser").select_one("code").get_text()
        assert token not in new  # a new token each time
    finally:
        server.shutdown()
