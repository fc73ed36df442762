"""公众号 articles and the printed 公示, from the same records as the site."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from bs4 import BeautifulSoup, Tag
from docx.shared import Mm, Pt
from PIL import Image

from site_builder.cli import main
from site_builder.publicity.wechat import ARTICLE_TAGS

from .conftest import ROOT

CAMPAIGN = "2024-shili-xinjiuye"
BASE = "https://www.example.org/zuimei/"
STYLE_FORBIDDEN = re.compile(r"position\s*:|display\s*:\s*table|@font-face|font-family\s*:[^;]*url")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo built, and its 公众号 articles and notice written beside output/."""
    work = tmp_path_factory.mktemp("publicity")
    shutil.copytree(ROOT / "content", work / "content")
    args = ["--content", str(work / "content")]
    cache = ["--cache", str(work / "cache")]
    assert main(["build", *args, "--output", str(work / "output"), *cache, "-q"]) == 0
    assert main(["wechat", CAMPAIGN, *args, *cache, "-o", str(work / "公众号"), "-q"]) == 0
    assert main(["notice", CAMPAIGN, *args, "-o", str(work / "公示.docx"), "-q"]) == 0
    return work


def _articles(demo: Path) -> list[Path]:
    found = sorted(p for p in (demo / "公众号").rglob("*.html") if p.name != "index.html")
    assert found
    return found


def test_the_folder_page_holds_every_article_exactly(demo: Path) -> None:
    """index.html copies each article as written: its HTML is carried whole, not re-parsed."""
    page = BeautifulSoup((demo / "公众号" / "index.html").read_text("utf-8"), "html.parser")
    blocks = page.find_all("article")
    articles = _articles(demo)
    assert len(blocks) == len(articles) == 14
    for block in blocks:
        path = demo / "公众号" / str(block.find("a")["href"])
        carried = json.loads(block.find("script", type="application/json").string)
        assert carried == path.read_text("utf-8"), path
        assert block["data-link"].startswith(BASE) and len(block["data-title"]) <= 64
    assert not page.find_all("img") and not page.find_all(src=True)  # nothing fetched
    assert [b.find("a")["href"] for b in blocks[:2]] == ["campaign.html", "notice.html"]


def test_every_article_keeps_only_what_the_editor_keeps(demo: Path) -> None:
    articles = _articles(demo)
    assert len(articles) == 12 + 2  # one per approved honouree, the roundup, the notice
    for path in articles:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(True):
            assert isinstance(tag, Tag)
            assert tag.name in ARTICLE_TAGS, (path.name, tag.name)
            assert not {"class", "id"} & set(tag.attrs), (path.name, tag.name, tag.attrs)
            assert not any(a.startswith("on") for a in tag.attrs)
            style = str(tag.get("style", ""))
            assert not STYLE_FORBIDDEN.search(style), (path.name, style)
            blocks = (
                "section",
                "p",
                "h2",
                "h3",
                "h4",
                "blockquote",
                "ul",
                "ol",
                "table",
                "td",
                "th",
            )
            if tag.name in blocks:  # the look is inline on every block, or it is lost
                assert style, f"{path.name}: <{tag.name}> has no inline style"
        assert not soup.find_all(["a", "script", "style", "link"])
        for img in soup.find_all("img"):
            src = str(img["src"])
            assert src.startswith(BASE) and src.endswith((".jpg", ".png")), src
            assert int(str(img["width"])) <= 1080


def test_article_images_are_beside_it_and_fit_the_editor(demo: Path) -> None:
    folder = demo / "公众号" / "chen-lixin"
    soup = BeautifulSoup((folder / "article.html").read_text("utf-8"), "html.parser")
    published = {
        str(img["src"]).removeprefix(BASE): folder for img in soup.find_all("img")
    }  # the article's images, by their path on the published site
    assert len(published) >= 4  # portrait, two work photos, QR code
    for name in published:
        assert (demo / "output" / name).is_file(), name  # the src really exists when published
    files = sorted(p for p in folder.iterdir() if p.suffix in (".jpg", ".png"))
    # each file carries the name the HTML uses (the last part of its address): uploading
    # "the image of the same name" means one name, not a guess
    srcs = {str(img["src"]).rsplit("/", 1)[-1] for img in soup.find_all("img")}
    assert srcs <= {p.name for p in files}, srcs
    covers = [p for p in files if p.name.startswith("cover")]
    assert len(covers) == 1 and covers[0].name not in srcs  # the cover is not in the body
    for path in files:
        assert path.stat().st_size < 1_000_000
        with Image.open(path) as im:
            assert im.format in ("JPEG", "PNG") and im.width <= 1080
            assert not im.getexif()
    with Image.open(covers[0]) as im:
        assert im.size == (900, 383)
    readme = (folder / "README.txt").read_text("utf-8")
    assert readme.startswith(f"阅读原文：{BASE}{CAMPAIGN}/chen-lixin/\n")
    digest = re.search(r"摘要（120 字以内）：(.*)", readme)
    title = re.search(r"建议标题：(.*)", readme)
    assert digest and len(digest.group(1)) <= 120 and title and len(title.group(1)) <= 64


def _text(node: Tag | None) -> str:
    assert node is not None
    return re.sub(r"\s+", "", node.get_text())


def test_article_says_what_the_profile_page_says(demo: Path) -> None:
    for folder in sorted(
        p for p in (demo / "公众号").iterdir() if p.is_dir() and p.name != "images"
    ):
        page = BeautifulSoup(
            (demo / "output" / CAMPAIGN / folder.name / "index.html").read_text("utf-8"),
            "html.parser",
        )
        article = BeautifulSoup((folder / "article.html").read_text("utf-8"), "html.parser")
        text = _text(article)
        story = page.select_one(".story")
        assert story is not None and story.h2 is not None
        story.h2.decompose()
        assert _text(story) in text, folder.name  # the whole story, in order
        for section in ("honours", "media"):
            items = page.select(f"ul.{section} li")
            joined = "".join(_text(li) for li in items)
            assert joined in text, (folder.name, section)
        assert _text(page.select_one(".summary")) in text


def test_roundup_and_notice_articles(demo: Path) -> None:
    roundup = (demo / "公众号" / "campaign.html").read_text("utf-8")
    notice = (demo / "公众号" / "notice.html").read_text("utf-8")
    for name in ("陈立新", "王春燕", "阿依古丽·买买提"):
        assert name in roundup and name in notice
    assert "2024年3月28日至4月3日（5个工作日）" in notice
    assert "gonghui@example.org" in notice
    assert (
        (demo / "公众号" / "notice-README.txt")
        .read_text("utf-8")
        .startswith(f"阅读原文：{BASE}{CAMPAIGN}/notice/")
    )


def test_a_private_value_in_a_story_stops_wechat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", tmp_path / "content")
    story = next((tmp_path / "content").glob("*/honorees/*/index.md"))
    story.write_text(story.read_text("utf-8") + "\n联系他：139 0009 0222。\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    campaign = story.parent.parent.parent.name
    assert main(["wechat", campaign, "--cache", "cache"]) == 1
    err = capsys.readouterr().err
    assert "事迹正文 — 公开内容里出现了手机号码“139****0222”" in err
    assert not (tmp_path / "公众号").exists()


def test_notice_document_is_laid_out_as_an_official_notice(demo: Path) -> None:
    document = docx.Document(str(demo / "公示.docx"))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(
        0.5
    )
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert all(abs(a - Mm(b)) < Mm(0.5) for a, b in zip(margins, (37, 35, 28, 26), strict=True))
    grid = section._sectPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docGrid"
    )
    assert (  # lines only: a character grid is read differently by Word, WPS and LibreOffice
        grid is not None
        and grid.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type")
        == "lines"
    )
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert "拟表彰人选的公示" in title.text
    assert title.runs[0].font.size == Pt(22) and title.runs[0].font.name == "方正小标宋简体"
    body = next(p for p in paragraphs if p.text.startswith("公示时间"))
    assert body.runs[0].font.size == Pt(16) and body.runs[0].font.name == "仿宋"
    assert body.text == "公示时间：2024年3月28日至4月3日（5个工作日）。"
    assert paragraphs[-1].text == "2024年3月27日" and paragraphs[-1].alignment == 2  # right
    assert paragraphs[-1].paragraph_format.right_indent == Pt(4 * 16)  # four characters in
    issuer = paragraphs[-2]  # centred over the date: its middle where the date's is
    date_middle = 4 + (len("年月日") + 0.5 * len("2024327")) / 2
    assert (
        abs(issuer.paragraph_format.right_indent.pt / 16 + len(issuer.text) / 2 - date_middle)
        < 0.01
    )
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    for name in ("陈立新", "王春燕", "阿依古丽·买买提"):
        assert name in cells
    everything = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "gonghui@example.org" in everything and "以个人名义反映的" in everything
    for secret in ("990101", "1380000", "联系人"):  # fictional ID region, phones, contacts
        assert secret not in everything


def test_notice_document_is_deterministic(demo: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.docx"
    assert (
        main(["notice", CAMPAIGN, "--content", str(demo / "content"), "-o", str(again), "-q"]) == 0
    )
    assert again.read_bytes() == (demo / "公示.docx").read_bytes()
    assert io.BytesIO(again.read_bytes()).read(2) == b"PK"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_notice_document_pages_table_and_language_as_gbt_9704(demo: Path) -> None:
    """Read from the document's XML: page numbers, the table's rules, the language."""
    package = zipfile.ZipFile(demo / "公示.docx")
    settings = package.read("word/settings.xml").decode()
    assert "<w:evenAndOddHeaders/>" in settings
    document = docx.Document(str(demo / "公示.docx"))
    section = document.sections[0]
    for footer, side in ((section.footer, 2), (section.even_page_footer, 0)):  # right, left
        paragraph = footer.paragraphs[0]
        xml = paragraph._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment == side
        assert paragraph.runs[0].font.size == Pt(14) and paragraph.runs[0].font.name == "宋体"
    table = document.tables[0]
    rows = table._tbl.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    widths = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
    headers = [c.text for c in table.rows[0].cells]
    by = dict(zip(headers, widths, strict=True))
    assert by["序号"] == min(widths) and by["单位及职务"] == max(widths)
    assert abs(sum(widths) - 156 / 25.4 * 1440) < 28  # the whole text width, within 0.5 mm
    styles = package.read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-CN"' in styles and "ja-JP" not in styles and "en-US" not in styles


def _ems(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text.replace(" ", ""))


def test_notice_document_rendered_by_libreoffice(demo: Path, tmp_path: Path) -> None:
    """The .docx as an office's LibreOffice prints it: three pages, 28 characters a line,
    the page numbers, the table's header on the page it continues on."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail(
            "需要 LibreOffice：请用 scripts/test.sh 运行测试，它会安装 libreoffice-writer-nogui"
        )
    shutil.copy(demo / "公示.docx", tmp_path / "公示.docx")
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "公示.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pages = [p.extract_text() for p in pypdf.PdfReader(tmp_path / "公示.pdf").pages]
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert text.rstrip().endswith(f"— {number} —") or f"— {number} —" in text, number
    intro = pages[0].splitlines()[2:5]  # after the two lines of the title
    assert intro[0].startswith("经各单位推荐")
    assert _ems(intro[0]) == 26  # 28 less the first line's indent of two
    assert 27 <= _ems(intro[1]) <= 28  # a whole line: 28 (less the space set around 12)
    assert pages[1].splitlines()[0].replace(" ", "").startswith("序号姓名性别")  # header again
    rules = [line for page in pages for line in page.splitlines() if line.startswith("1. ")]
    assert rules and 27 <= _ems(rules[0]) + 2 <= 28  # with its indent of two: a full line


def test_articles_read_well_on_a_phone(demo: Path) -> None:
    """A modest portrait, QR codes no wider than 200 px, the job said once, a compact
    roundup, the share poster beside each article, titles that do not repeat the digest."""
    folder = demo / "公众号"
    for path in sorted(folder.glob("*/article.html")):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        images = soup.find_all("img")
        assert int(str(images[0]["width"])) <= 200  # the portrait, beside the name's size
        assert int(str(images[-1]["width"])) <= 200  # the QR code
        meta = soup.find("p").find_next_sibling("h2").find_next_sibling("p").get_text()
        words = meta.split("\u3000")
        assert len(words) == len(set(words)) and not re.search(r"(\S+)\u3000\1$", meta), meta
        assert list(path.parent.glob("moments-1080x1920.*.png")), path.parent
        readme = (path.parent / "README.txt").read_text("utf-8")
        title = re.search(r"建议标题：(.*)", readme)
        digest = re.search(r"摘要（120 字以内）：(.*)", readme)
        assert (
            title and digest and not digest.group(1).startswith(title.group(1).split("｜")[-1][:6])
        )
        assert "｜" in title.group(1)
    roundup = BeautifulSoup((folder / "campaign.html").read_text("utf-8"), "html.parser")
    rows = roundup.select("table tr")
    assert len(rows) == 12 and all(
        int(str(img["width"])) <= 100 for img in roundup.select("td img")
    )


def test_every_article_has_both_covers_and_none_carries_a_qr_code(demo: Path) -> None:
    import zxingcpp

    folder = demo / "公众号"
    covers = {
        "people": [(p / "article.html", sorted(p.glob("cover-900x383.*.png")) + sorted(p.glob("square-500x500.*.png")))
                   for p in folder.iterdir() if (p / "article.html").is_file()],
        "roundup and 公示": [(folder / f"{stem}.html", [folder / "images" / f"{stem}-cover-900x383.png",
                                                         folder / "images" / f"{stem}-cover-500x500.png"])
                             for stem in ("campaign", "notice")],
    }  # fmt: skip
    assert len(covers["people"]) == 12
    for article, (wide, square) in (pair for pairs in covers.values() for pair in pairs):
        assert article.is_file()
        for path, size in ((wide, (900, 383)), (square, (500, 500))):
            with Image.open(path) as im:
                assert im.size == size, path
                assert zxingcpp.read_barcodes(im) == [], path


def test_a_red_head_notice_and_the_articles_credit_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", content)
    site = content / "site.yaml"
    site.write_text(site.read_text("utf-8") + "公众号: {编辑: 王示例, 审核: 李示例}\n", "utf-8")
    campaign = content / "2024-jiaozuo-xinjiuye" / "campaign.yaml"
    text = campaign.read_text("utf-8").replace(
        "  标题: 焦作“最美新就业形态劳动者”拟表彰人选公示（示例）",
        "  标题: 焦作“最美新就业形态劳动者”拟表彰人选公示（示例）\n  红头: 焦作市总工会文件（示例）\n"
        "  文号: 焦工〔2024〕9号（示例）",
    )
    campaign.write_text(text, "utf-8")
    args = ["--content", str(content), "--cache", str(tmp_path / "cache")]
    assert (
        main(["notice", "2024-jiaozuo-xinjiuye", *args[:2], "-o", str(tmp_path / "公示.docx")]) == 0
    )
    document = docx.Document(str(tmp_path / "公示.docx"))
    head = document.paragraphs[0]
    assert head.text == "焦作市总工会文件（示例）" and str(head.runs[0].font.color.rgb) == "FF0000"
    number = next(p for p in document.paragraphs if p.text == "焦工〔2024〕9号（示例）")
    assert 'w:color="FF0000"' in number._p.xml and "<w:bottom" in number._p.xml  # the red line
    assert (
        main(["wechat", "2024-jiaozuo-xinjiuye", *args, "-o", str(tmp_path / "公众号"), "-q"]) == 0
    )
    for article in (tmp_path / "公众号").glob("*/article.html"):
        last = BeautifulSoup(article.read_text("utf-8"), "html.parser").find_all("p")[-1]
        assert last.get_text() == "编辑：王示例　审核：李示例"
