"""The preview and the workbench as a web server under attack: a foreign host name (DNS
rebinding), two saves at once, uploads that are broken or carry GPS, a symlinked photo,
a phone on the local network seeing an error page."""

from __future__ import annotations

import http.client
import io
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from site_builder.dev.serve import Server, start
from site_builder.media.metadata import strip_metadata
from site_builder.pipeline import BuildOptions
from site_builder.workbench.app import Workbench

from .conftest import ROOT
from .test_workbench import _record_form

CAMPAIGN = "2024-shili-xinjiuye"
TOKEN = "t0ken"
ORIGIN = "http://127.0.0.1:8000"


def _get(port: int, path: str, host: str | None) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("web")
    shutil.copytree(ROOT / "content", root / "content")
    server = start(
        BuildOptions(content=root / "content", cache=root / "cache"), port=0, log=lambda _: None
    )
    assert server.wait_ready(timeout=600)
    yield server
    server.shutdown()


PRIVATE_PAGES = [
    "/_admin/",
    f"/_admin/{CAMPAIGN}/chen-lixin/",  # the record's form: ID number, phone, address
    f"/_admin/{CAMPAIGN}/chen-lixin/_photo/portrait.jpg",  # the original
    f"/_admin/{CAMPAIGN}/_export.xlsx",
]


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}", "", None]
)
def test_a_foreign_host_name_gets_421_and_nothing_else(server: Server, host: str | None) -> None:
    port = int(server.httpd.server_address[1])
    name = host.format(port=port) if host is not None else None
    for path in [*PRIVATE_PAGES, "/", server.url.removeprefix(f"http://127.0.0.1:{port}")]:
        status, body, _ = _get(port, path, name)
        assert (status, body) == (421, b""), (path, name)


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}"]
)
def test_this_computers_names_are_answered(server: Server, host: str) -> None:
    port = int(server.httpd.server_address[1])
    status, body, headers = _get(port, f"/_admin/{CAMPAIGN}/chen-lixin/", host.format(port=port))
    assert status == 200 and "陈立新" in body.decode()
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, headers = _get(port, server.url.split(str(port), 1)[1], host.format(port=port))
    assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    options = BuildOptions(content=tmp_path / "content", cache=tmp_path / "cache")
    return Workbench(options, TOKEN, {ORIGIN})


def _form(bench: Workbench, slug: str) -> dict[str, list[str]]:
    return _record_form(bench, CAMPAIGN, slug)


def test_two_saves_at_once_never_lose_one(bench: Workbench) -> None:
    """Both opened the same version: one is saved, the other refused (409) with what its
    user typed listed, every round, whichever comes first."""
    path = bench.options.content / CAMPAIGN / "honorees/chen-lixin/index.md"
    for round_ in range(10):
        forms = [_form(bench, "chen-lixin"), _form(bench, "chen-lixin")]
        values = [f"回族{round_}", f"满族{round_}"]
        for form, value in zip(forms, values, strict=True):
            form["f.ethnicity"] = [value]
        start = threading.Barrier(2)
        statuses: dict[str, int] = {}

        def save(
            form: dict[str, list[str]],
            value: str,
            start: threading.Barrier = start,
            statuses: dict[str, int] = statuses,
        ) -> None:
            start.wait(timeout=30)
            statuses[value] = bench.handle("POST", f"{CAMPAIGN}/chen-lixin/", form, ORIGIN).status

        threads = [
            threading.Thread(target=save, args=pair) for pair in zip(forms, values, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(statuses.values()) == [303, 409], statuses
        winner = next(v for v, s in statuses.items() if s == 303)
        assert f"民族: {winner}" in path.read_text("utf-8")


def _upload(bench: Workbench, data: bytes, caption: str = "在站点分拣快件") -> int:
    form = _form(bench, "chen-lixin")
    fields = {"token": [TOKEN], "digest": form["digest"], "kind": ["work"], "caption": [caption]}
    url = f"{CAMPAIGN}/chen-lixin/_photos"
    return bench.handle("POST", url, fields, ORIGIN, files={"photo": [("x.jpg", data)]}).status


def _photo_with_gps(size: tuple[int, int] = (640, 480)) -> bytes:
    im = Image.new("RGB", size, (200, 40, 40))
    for x in range(0, size[0], 7):
        im.putpixel((x, x % size[1]), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: the build turns it upright
    exif[0x013B] = "Wang Shili"  # Artist: the phone owner's name
    gps = exif.get_ifd(0x8825)
    gps[2] = (34.0, 48.0, 10.0)  # latitude
    gps[4] = (113.0, 39.0, 20.0)  # longitude
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", exif=exif, quality=90, comment=b"secret comment")
    return buffer.getvalue()


def test_an_upload_is_kept_without_its_gps_and_with_its_pixels(bench: Workbench) -> None:
    data = _photo_with_gps()
    assert b"secret comment" in data and b"Wang Shili" in data
    assert _upload(bench, data) == 303
    folder = bench.options.content / CAMPAIGN / "honorees/chen-lixin"
    stored = (folder / "work-3.jpg").read_bytes()
    assert b"secret comment" not in stored and b"Wang Shili" not in stored
    with Image.open(io.BytesIO(stored)) as kept, Image.open(io.BytesIO(data)) as sent:
        exif = kept.getexif()
        assert dict(exif) == {0x0112: 6}  # only the orientation is left
        assert not exif.get_ifd(0x8825)
        assert kept.tobytes() == sent.tobytes()  # the very same pixels: nothing re-encoded
    assert strip_metadata(stored) == stored  # stripping again changes nothing


def test_a_png_upload_loses_its_text_chunks(bench: Workbench) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "示例路 1 号")
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 60)).save(buffer, "PNG", pnginfo=info)
    data = buffer.getvalue()
    stripped = strip_metadata(data)
    assert "示例路".encode() in data and "示例路".encode() not in stripped
    with Image.open(io.BytesIO(stripped)) as im:
        assert im.size == (300, 200) and not im.info.get("Location")


def test_a_truncated_photo_is_refused_and_nothing_is_stored(bench: Workbench) -> None:
    folder = bench.options.content / CAMPAIGN / "honorees/chen-lixin"
    before = sorted(p.name for p in folder.iterdir())
    whole = _photo_with_gps((1200, 900))
    assert _upload(bench, whole[: len(whole) * 2 // 3]) == 422
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_symlinked_photo_is_never_served(bench: Workbench, tmp_path: Path) -> None:
    secret = tmp_path / "leak.jpg"
    secret.write_bytes(_photo_with_gps())
    folder = bench.options.content / CAMPAIGN / "honorees/chen-lixin"
    os.symlink(secret, folder / "leak.jpg")
    response = bench.handle("GET", f"{CAMPAIGN}/chen-lixin/_photo/leak.jpg", {}, None)
    assert response.status == 404 and response.body[:2] != b"\xff\xd8"


def test_the_lan_error_page_says_how_many_problems_and_not_what(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    record = tmp_path / "content" / CAMPAIGN / "honorees/chen-lixin/index.md"
    text = record.read_text("utf-8")
    record.write_text(text.replace("状态: 已审定", "状态: 已审定\n工会会员: 可能"), "utf-8")
    server = start(
        BuildOptions(content=tmp_path / "content", cache=tmp_path / "cache"),
        host="127.0.0.1",
        port=0,
        log=lambda _: None,
        token="s3cret-Token",
    )
    try:
        assert server.wait_ready(timeout=600)
        port = int(server.httpd.server_address[1])
        assert server.site.state.problems  # the preview really has a problem to show
        status, body, _ = _get(port, server.url.split(str(port), 1)[1], f"127.0.0.1:{port}")
        page = body.decode()
        assert status == 200 and "data-site-builder-errors" in page
        assert "个错误" in page and "可能" not in page and "工会会员" not in page
        assert "index.md" not in page
        # a wrong token of the same length is refused like no token
        status, body, _ = _get(port, "/s3cret-Tokex/", f"127.0.0.1:{port}")
        assert (status, body) == (404, b"")
    finally:
        server.shutdown()
