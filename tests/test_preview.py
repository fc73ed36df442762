"""The preview server as the officer meets it: at once on a cold cache, HEAD for link
checkers, and on the local network only behind its token."""

from __future__ import annotations

import http.client
import shutil
import time
from pathlib import Path

import zxingcpp
from PIL import Image

from site_builder.dev.serve import start
from site_builder.media.qr import HALF_BLOCKS, terminal_qr
from site_builder.pipeline import BuildOptions

from .conftest import ROOT


def _request(url: str, method: str = "GET") -> tuple[int, bytes, dict[str, str]]:
    host, _, rest = url.removeprefix("http://").partition("/")
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.request(method, "/" + rest)
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def test_cold_cache_answers_at_once_then_shows_the_site(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)  # 40 photos: tens of seconds on a cold cache
    started = time.perf_counter()
    server = start(BuildOptions(content=content, cache=tmp_path / "cache"), port=0, log=print)
    try:
        status, body, _ = _request(server.url)
        assert time.perf_counter() - started < 2.0
        assert status == 200
        text = body.decode()
        assert "正在准备预览" in text or "陈立新" in text
        assert server.wait_ready(timeout=300)
        status, body, _ = _request(server.url + "2024-shili-xinjiuye/chen-lixin/")
        assert status == 200 and "陈立新" in body.decode()
    finally:
        server.shutdown()


def test_head_answers_like_get_without_a_body(tmp_path: Path) -> None:
    server = start(
        BuildOptions(content=ROOT / "examples/jiaozuo-2024/content", cache=tmp_path / "c"),
        port=0,
        log=lambda _: None,
    )
    try:
        assert server.wait_ready(timeout=300)
        status, body, headers = _request(server.url, "HEAD")
        get_status, get_body, _ = _request(server.url)
        assert status == get_status == 200 and body == b""
        assert int(headers["Content-Length"]) == len(get_body) > 0
        assert _request(server.url + "no-such-page/", "HEAD")[:2] == (404, b"")
    finally:
        server.shutdown()


def test_lan_preview_serves_nothing_without_its_token(tmp_path: Path) -> None:
    server = start(
        BuildOptions(content=ROOT / "examples/jiaozuo-2024/content", cache=tmp_path / "c"),
        host="127.0.0.1",  # tests bind loopback only; --lan binds every interface
        port=0,
        log=lambda _: None,
        token="s3cret-Token",
    )
    try:
        assert server.wait_ready(timeout=300)
        port = server.httpd.server_address[1]
        base = f"http://127.0.0.1:{port}"
        for path in ("/", "/zuimei/", "/zuimei/2024/", "/s3cret/", "/__site_builder/events"):
            status, body, _ = _request(base + path)
            assert (status, body) == (404, b""), path
        assert server.url.startswith(f"{base}/s3cret-Token/")
        status, body, _ = _request(server.url)
        assert status == 200 and "焦作" in body.decode()
        assert "/s3cret-Token/" in body.decode()  # the reload script carries the token too
        # private fields never reach the preview either
        assert "身份证" not in body.decode()
    finally:
        server.shutdown()


def test_terminal_qr_decodes_to_the_url() -> None:
    url = "http://192.168.1.23:8000/s3cret-Token/zuimei/2024/"
    text = terminal_qr(url)
    assert set(text) <= set("".join(HALF_BLOCKS.values()) + "\n")
    decode = {char: pair for pair, char in HALF_BLOCKS.items()}
    rows: list[list[bool]] = []
    for line in text.split("\n"):
        top, bottom = zip(*(decode[ch] for ch in line), strict=True)
        rows += [list(top), list(bottom)]
    scale = 6
    image = Image.new("L", (len(rows[0]) * scale, len(rows) * scale))
    image.putdata(
        [
            255 if rows[y // scale][x // scale] else 0
            for y in range(image.height)
            for x in range(image.width)
        ]
    )
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text == url
