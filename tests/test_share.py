"""Stable links, QR codes, posters, meta tags, deploy files; the demo served by nginx."""

from __future__ import annotations

import io
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import zxingcpp
from PIL import Image

from site_builder.errors import ContentError
from site_builder.forms.slugs import assign_slugs, base_slug
from site_builder.media.fonts import default_font, missing_glyphs
from site_builder.media.qr import QR_SVG_SCALE, modules, qr_image, qr_png, qr_svg
from site_builder.model.urls import is_hashed
from site_builder.pipeline import BuildOptions, build

from .conftest import ROOT, Scratch, record

SUBPATH = "/zuimei/2024/"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("张伟", "zhang-wei"),
        ("单国庆", "shan-guoqing"),
        ("曾志伟", "zeng-zhiwei"),
        ("解放", "xie-fang"),
        ("仇英", "qiu-ying"),
        ("区小兰", "ou-xiaolan"),
        ("朴春花", "piao-chunhua"),
        ("查良镛", "zha-liangyong"),
        ("盖聪", "ge-cong"),
        ("尉迟恭", "yuchi-gong"),
        ("欧阳娜娜", "ouyang-nana"),
        ("吕布", "lv-bu"),
        ("阿依古丽·买买提", "ayiguli-maimaiti"),
        ("张 伟", "zhang-wei"),
        ("Ｌｉ Ｍｉｎｇ", "li-ming"),
        ("覃明", "qin-ming"),
        ("乐嘉", "yue-jia"),
    ],
)
def test_slug_table(name: str, slug: str) -> None:
    assert base_slug(name) == slug


def test_homonyms_get_order_independent_suffixes() -> None:
    people = [
        ("张伟", "甲县总工会"),
        ("章伟", "乙区总工会"),
        ("张玮", "甲县总工会"),
        ("李明", "甲县总工会"),
    ]
    forward = assign_slugs(people, taken=[])
    backward = assign_slugs(list(reversed(people)), taken=[])
    assert forward == backward
    assert forward[("李明", "甲县总工会")] == "li-ming"
    zhang = [forward[p] for p in people[:3]]
    assert len(set(zhang)) == 3 and all(s.startswith("zhang-wei-") for s in zhang)
    for s in zhang:
        assert s.replace("-", "").isalnum() and s == s.lower()


def test_existing_slugs_never_change() -> None:
    later = assign_slugs([("章伟", "乙区总工会")], taken=["zhang-wei"])
    assert later[("章伟", "乙区总工会")].startswith("zhang-wei-")
    assert assign_slugs([("李明", "甲")], taken=["zhang-wei"]) == {("李明", "甲"): "li-ming"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("share") / "output"
    build(
        BuildOptions(
            content=ROOT / "content",
            output=out,
            cache=out.parent / "cache",
            zip=out.parent / "site.zip",
            precompress=True,
        )
    )
    return out


BASE = "https://www.example.org/zuimei/"


PAGES = [
    "",
    "2024-shili-xinjiuye/",
    "2024-shili-xinjiuye/notice/",
    "2024-shili-xinjiuye/chen-lixin/",
    "2024-shili-xinjiuye/ayiguli-maimaiti/",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_qr_decodes_to_its_absolute_url(demo: Path, page: str) -> None:
    """Every page draws its code (a browser test reads it off a screenshot), and also
    publishes it as qr.png: what a pasted 公众号 article fetches from the site, and what
    a project theme's share section copied from an earlier version shows."""
    html = (demo / page / "index.html").read_text("utf-8")
    (svg,) = re.findall(r'<svg [^>]*class="qr".*?</svg>', html)
    big = _svg_modules(svg).resize((400, 400))
    assert zxingcpp.read_barcode(big).text == BASE + page  # type: ignore[union-attr]
    assert not (demo / page / "qr.svg").exists()
    with Image.open(demo / page / "qr.png") as im:
        (result,) = zxingcpp.read_barcodes(im)
    assert result.text == BASE + page


def test_a_page_drawing_its_code_reads_clean_to_the_privacy_scan(demo: Path) -> None:
    """The code's path is numbers (drawing coordinates), and the scan reads every
    attribute of a page: no run of them may look like a phone or an ID number, for any
    address (a long one makes a large code)."""
    from site_builder.checks.privacy import Detector
    from site_builder.checks.reading import readable

    pages = list(demo.rglob("index.html"))
    assert len(pages) >= len(PAGES)
    detector = Detector()
    for page in pages:
        assert detector.find(readable("index.html", page.read_bytes())) == [], page
    for url in QR_URLS:
        assert detector.find(readable("index.html", f"<p>{qr_svg(url)}</p>".encode())) == []


QR_URLS = [
    "https://example.org/",
    "https://www.example.org/zuimei/2024-shili-xinjiuye/ayiguli-maimaiti/",
    "http://10.0.0.1:8080/a&b/<c>/'d'/\"e\"/",  # escaped in the SVG's title
    "https://example.org/最美劳动者/2024/",  # UTF-8
    "https://example.org/" + "zuimei-2024/" * 40,  # a large version
]


def _svg_modules(svg: str) -> Image.Image:
    """Our SVG's strokes drawn back as modules (one pixel each), to be decoded."""
    size = int(re.search(r'viewBox="0 0 (\d+) ', svg)[1])  # type: ignore[index]
    assert f'width="{size * QR_SVG_SCALE}"' in svg
    image = Image.new("L", (size, size), 255)
    x, y = 0.0, 0.0
    path = re.search(r' d="([^"]+)"', svg)[1]  # type: ignore[index]
    for command, dx, dy, length in re.findall(r"([Mm])(-?[\d.]+) (-?[\d.]+)h(\d+)", path):
        x, y = (float(dx), float(dy)) if command == "M" else (x + float(dx), y + float(dy))
        for module in range(int(length)):
            image.putpixel((int(x) + module, int(y - 0.5)), 0)
        x += int(length)
    return image


@pytest.mark.parametrize("url", QR_URLS)
def test_qr_png_svg_and_poster_image_decode_to_the_url(url: str) -> None:
    png = qr_png(url)
    assert png == qr_png(url) and png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as im:
        assert im.mode == "1" and im.width == (modules(url).side + 8) * 8
        assert zxingcpp.read_barcode(im).text == url  # type: ignore[union-attr]
    svg = qr_svg(url, "本页网址的二维码")
    assert ElementTree.fromstring(svg).get("aria-label") == "本页网址的二维码"
    assert 'aria-hidden="true"' in qr_svg(url) and url not in svg  # not read aloud
    big = _svg_modules(svg).resize((400, 400) if len(url) < 100 else (1200, 1200))
    assert zxingcpp.read_barcode(big).text == url  # type: ignore[union-attr]
    assert zxingcpp.read_barcode(qr_image(url).resize((400, 400))).text == url  # type: ignore[union-attr]


def test_posters_have_their_sizes_and_decodable_qr(demo: Path) -> None:
    folder = demo / "assets" / "2024-shili-xinjiuye" / "chen-lixin"
    (moments,) = folder.glob("moments-1080x1920.*.png")
    (cover,) = folder.glob("cover-900x383.*.png")
    (square,) = folder.glob("square-500x500.*.png")
    with Image.open(moments) as im:
        assert im.size == (1080, 1920) and not im.getexif()
        (qr,) = zxingcpp.read_barcodes(im)
        assert qr.text == BASE + "2024-shili-xinjiuye/chen-lixin/"
    for path, size in ((cover, (900, 383)), (square, (500, 500))):
        with Image.open(path) as im:
            assert im.size == size
            assert zxingcpp.read_barcodes(im) == []  # a cover is not scanned: no QR code on it


def test_font_covers_every_name_and_unit_and_tofu_is_detected() -> None:
    font = default_font()
    assert font is not None, "pylopdf-fonts-zh-cn should ship Noto Sans SC"
    text = "".join(p.read_text("utf-8") for p in (ROOT / "content").rglob("index.md"))
    names = "阿依古丽·买买提单国庆示例速递有限公司青山营业部“最美新就业形态劳动者”"
    assert missing_glyphs(font, names) == []
    assert missing_glyphs(font, text.split("---")[1]) == []
    assert missing_glyphs(font, "李😀") == ["😀"]


def test_a_name_the_font_cannot_draw_is_an_error(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi", text=record("李\U0001f600"))
    with pytest.raises(ContentError, match="缺少“😀”的字形"):
        scratch.build()


def test_posters_are_cached(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi", photos=1)
    first = scratch.build()
    second = scratch.build(force=True)
    # one photo × 2 widths × 2 formats, the portrait placeholder's posters: moments, cover, square
    assert first.images.made == 9 and second.images.made == 0 and second.images.reused == 9


def test_meta_tags(demo: Path) -> None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(
        (demo / "2024-shili-xinjiuye/chen-lixin/index.html").read_text("utf-8"), "html.parser"
    )

    def meta(prop: str) -> str:
        return str(soup.find("meta", property=prop)["content"])

    assert soup.title.get_text() == "陈立新 — 示例市“最美新就业形态劳动者”（示例）"
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith(
        "（示例人物）陈立新"
    )
    assert soup.find("link", rel="canonical")["href"] == BASE + "2024-shili-xinjiuye/chen-lixin/"
    assert meta("og:url") == BASE + "2024-shili-xinjiuye/chen-lixin/"
    assert meta("og:image").startswith(BASE) and meta("og:image").endswith(".jpg")
    assert (demo / meta("og:image").removeprefix(BASE)).is_file()
    assert meta("og:image:width") == "480" and meta("og:image:height") == "672"
    footer = soup.find("footer", class_="footer")
    assert footer.find("a", href="https://beian.miit.gov.cn/") is not None
    assert "示例市总工会" in footer.get_text()


def test_deploy_files(demo: Path) -> None:
    headers = (demo / "_headers").read_text("utf-8")
    # Two rules whatever the size (Cloudflare Pages takes at most 100); both hosts join the
    # values of a header set by two matching rules, so pages get no Cache-Control of ours.
    rules = [line for line in headers.splitlines() if line.startswith("/")]
    assert rules == ["/zuimei/*", "/zuimei/assets/*"]
    assert "/zuimei/assets/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert headers.count("Cache-Control") == 1
    hashed = [p.relative_to(demo).as_posix() for p in demo.rglob("*") if is_hashed(p.name)]
    assert len(hashed) > 100 and all(p.startswith("assets/") for p in hashed)
    assert not any(p.endswith(".html") for p in hashed)
    assert (
        "Sitemap: https://www.example.org/zuimei/sitemap.xml" in (demo / "robots.txt").read_text()
    )
    sitemap = (demo / "sitemap.xml").read_text()
    # home, campaign, 公示, 通知 (征集) and the twelve profiles
    assert sitemap.count("<loc>") == 1 + 1 + 1 + 1 + 12
    assert "<loc>https://www.example.org/zuimei/2024-shili-xinjiuye/tongzhi/</loc>" in sitemap
    assert (demo / "2024-shili-xinjiuye/index.html.gz").is_file()
    archive = demo.parent / "site.zip"
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
    on_disk = {p.relative_to(demo).as_posix() for p in demo.rglob("*") if p.is_file()}
    assert names == on_disk - {".site-builder-output"}


def test_zip_is_byte_identical_across_builds(tmp_path: Path) -> None:
    archives = []
    for i in range(2):
        out = tmp_path / f"out{i}"
        build(
            BuildOptions(
                content=ROOT / "examples/jiaozuo-2024/content",
                output=out,
                cache=tmp_path / "cache",
                zip=tmp_path / f"site{i}.zip",
            )
        )
        archives.append((tmp_path / f"site{i}.zip").read_bytes())
    assert archives[0] == archives[1]


# --- nginx --------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "src", "data-search"):
                self.links.append(value)
            if value and name == "srcset":
                self.links.extend(part.strip().split(" ")[0] for part in value.split(","))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo built for a sub-path, served by Debian's nginx with the generated snippet."""
    work = tmp_path_factory.mktemp("nginx")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    site = (content / "site.yaml").read_text("utf-8")
    (content / "site.yaml").write_text(
        site.replace("https://www.example.org/zuimei/", f"https://www.example.org{SUBPATH}"),
        "utf-8",
    )
    www = work / "www"
    output = www / SUBPATH.strip("/")
    build(BuildOptions(content=content, output=output, cache=work / "cache"))
    port = _free_port()
    conf = work / "nginx.conf"
    conf.write_text(f"""
user root;
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
    uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {www};
        include {output}/nginx-site-builder.conf;
    }}
}}
""")
    (work / "tmp").mkdir()
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen(
        [nginx_bin, "-c", str(conf), "-p", str(work)], stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}{SUBPATH}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    else:
        proc.kill()
        raise AssertionError(f"nginx did not start: {(work / 'error.log').read_text()}")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_nginx_serves_every_link_under_a_subpath(nginx: str) -> None:
    seen: set[str] = set()
    queue = [nginx]
    origin = nginx.split(SUBPATH)[0]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        with urllib.request.urlopen(url, timeout=5) as resp:
            assert resp.status == 200, url
            body = resp.read()
            cache = resp.headers.get("Cache-Control", "")
            if url.endswith("/") or url.endswith(".html"):
                assert cache == "no-cache", url
            elif "." in url.rsplit("/", 1)[-1] and len(url.rsplit(".", 2)[-2]) == 10:
                assert "immutable" in cache, url
            if resp.headers.get_content_type() != "text/html":
                continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            if link.startswith(("http://", "https://", "mailto:", "tel:", "#")):
                continue
            target = urllib.parse.urljoin(url, link).split("#")[0]
            assert target.startswith(origin + SUBPATH), (url, link)
            queue.append(target)
    assert len(seen) > 150  # pages, images, posters, QR codes, assets


def test_nginx_answers_missing_pages_with_the_404_page(nginx: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(nginx + "no-such-person/", timeout=5)
    assert info.value.code == 404
    assert "页面不存在" in info.value.read().decode("utf-8")


@pytest.mark.parametrize("workers", [2, 1])  # in worker processes, or in this one
def test_codes_drawn_in_the_pool_make_the_same_pages(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """An archive's pages get their codes from the worker pool, put in after rendering:
    the pages are byte for byte those with every code drawn as the page renders, and no
    mark is left in any file."""
    import site_builder.media.jobs as jobs_module
    import site_builder.pipeline as pipeline_module

    for i in range(5):
        scratch.honoree(f"ce-shi-{i}", text=record(f"测试{'一二三四五'[i]}"))
    monkeypatch.setattr(pipeline_module, "QR_IN_POOL_FROM", 10**9)
    scratch.build()
    drawn = scratch.tree()
    monkeypatch.setattr(pipeline_module, "QR_IN_POOL_FROM", 1)
    monkeypatch.setattr(jobs_module.os, "cpu_count", lambda: workers)
    made: list[str] = []
    real = jobs_module.make_qr
    monkeypatch.setattr(jobs_module, "make_qr", lambda job: made.append(job.url) or real(job))
    scratch.build(force=True)
    assert scratch.tree() == drawn
    pages = [
        name for name in drawn if name.endswith("index.html") and "<svg" in drawn[name].decode()
    ]
    assert len(pages) >= 8 and not any(b"<!--qr-" in data for data in drawn.values())
    if workers == 1:  # run here, so seen here: one code a page, each page once
        assert sorted(made) == sorted({BASE_TEST + p.removesuffix("index.html") for p in pages})


BASE_TEST = "https://example.org/zuimei/2024/"  # the scratch site's 网址


def test_a_mark_is_only_ever_this_builds_and_a_code_missing_is_drawn() -> None:
    from site_builder.pages.render import PoolCodes

    codes = PoolCodes()
    mark = codes.mark("https://example.org/a/")
    other = PoolCodes().mark("https://example.org/a/")  # another build's token
    files = {"a/index.html": f"<p>{mark}</p><p>{other}</p>".encode(), "x.css": b"p{}"}
    codes.fill(files, {})  # the pool made none: drawn here
    page = files["a/index.html"].decode()
    assert page.startswith(f"<p>{qr_svg('https://example.org/a/', '本页网址的二维码')}</p>")
    assert page.endswith(f"<p>{other}</p>") and files["x.css"] == b"p{}"
