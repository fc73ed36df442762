"""公众号 articles: one per approved honouree, a campaign roundup and the 公示, as HTML the
公众号 editor keeps when it is pasted in.

The editor keeps inline ``style`` attributes and a short list of elements, and drops
every stylesheet, class and script; links in the body are not followed. So each
article is rendered from the theme's ``wechat/`` templates, its look inlined by
css-inline (Rust; a maintained inliner, where doing it by hand would drift from the
stylesheet), and then sanitised by nh3 to exactly the elements and attributes the
editor keeps. Images point at the published site (absolute URLs from 网址) and the
same files are written beside each article, JPEG or PNG, at most 1080 px wide and
under 1 MB, for the editor to upload by hand. The articles are the site plan's pages
of the campaign, and the folder passes the same publish gate as the site; a leak
stops the command.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import css_inline
import nh3
from PIL import Image

from ..errors import UsageError
from ..media.fonts import find_font
from ..media.images import Picture
from ..media.posters import text_cover
from ..model import urls
from ..model.story import plain_text
from ..pages.plan import Template, notice_of, profile_of
from ..pages.public import PublicCampaign, PublicHonoree, PublicNotice
from ..pages.theme import make_environment
from ..pipeline import Rendering
from .wechat_index import INDEX, Entry, index_page

# What the 公众号 editor keeps (tables with their rows and cells).
ARTICLE_TAGS = {
    "section", "p", "span", "strong", "em", "h2", "h3", "h4", "blockquote", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "img", "br",
}  # fmt: skip
ARTICLE_ATTRIBUTES = {"*": {"style"}, "img": {"src", "alt", "width", "height", "style"}}
MAX_WIDTH = 1080
MAX_BYTES = 1_000_000
DIGEST_CHARS = 120
TITLE_CHARS = 64  # the 公众号 editor's limit
# Story markup the editor drops, as what it keeps: the text always survives.
_RENAME = [
    (re.compile(r"<(/?)h[56]\b"), r"<\1h4"),
    (re.compile(r"<(/?)b\b"), r"<\1strong"),
    (re.compile(r"<(/?)i\b"), r"<\1em"),
    (re.compile(r"<(/?)(?:u|s|del|mark|sup|sub|code|pre)\b"), r"<\1span"),
    (re.compile(r"<a\b[^>]*>"), "<span>"),
    (re.compile(r"</a>"), "</span>"),
    (re.compile(r"<hr\s*/?>"), ""),
]


@dataclass(frozen=True)
class ArticleImage:
    """An image of an article: where the published site has it, and the bytes to upload."""

    file: str  # name in the article's folder
    src: str  # absolute URL on the published site
    width: int
    height: int
    data: bytes


@dataclass
class Article:
    folder: str  # "" for the campaign-level articles, else the honouree's slug
    name: str  # article.html, campaign.html, notice.html
    html: str
    title: str
    digest: str
    link: str  # the page on the published site: 阅读原文
    author: str
    images: list[ArticleImage] = field(default_factory=list)
    cover: ArticleImage | None = None
    poster: ArticleImage | None = None  # the 1080×1920 share poster, beside the article
    square: ArticleImage | None = None  # the 1:1 cover: the face and the full name

    @property
    def extras(self) -> list[ArticleImage]:
        """The files beside the article that are not in its body."""
        return [x for x in (self.cover, self.square, self.poster) if x is not None]

    @property
    def readme(self) -> str:
        return _readme(self.link, self.title, self.digest, self.author, self.cover is not None)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}" if self.folder else self.name


def wechat_story(story_html: str) -> str:
    for pattern, replacement in _RENAME:
        story_html = pattern.sub(replacement, story_html)
    return story_html


def finish(fragment: str, css: str) -> str:
    """Inline the stylesheet into every element, then keep only what the editor keeps."""
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
    inlined = inliner.inline_fragment(fragment, css)
    return (
        nh3.clean(
            inlined,
            tags=ARTICLE_TAGS,
            attributes=ARTICLE_ATTRIBUTES,
            url_schemes={"http", "https"},
            link_rel=None,
            strip_comments=True,
        ).strip()
        + "\n"
    )


class Maker:
    """Renders a campaign's articles from a finished rendering of the site."""

    def __init__(self, done: Rendering) -> None:
        self.done = done
        self.base_url = done.site.config.base_url
        self.env = make_environment(done.theme)
        self.css = self.env.loader.get_source(self.env, "wechat/style.css")[0]  # type: ignore[union-attr]
        try:
            self.font: str | None = str(find_font(done.site.config.poster_font, done.site.root))
        except UsageError:
            self.font = None  # no font: the articles go without their text covers

    def _file(self, name: str) -> bytes:
        rendered = self.done.rendered.files.get(name)
        if rendered is not None:
            return rendered
        return self.done.linked[name].read_bytes()

    def picture(self, picture: Picture | None) -> ArticleImage | None:
        """The largest JPEG of a picture that fits the editor: ≤ 1080 px and under 1 MB,
        under the name the article's HTML uses (its name on the published site)."""
        if picture is None:
            return None
        for rendition in sorted(picture.jpeg, key=lambda r: -r.width):
            data = self._file(rendition.name)
            if rendition.width <= MAX_WIDTH and len(data) < MAX_BYTES:
                src = self.base_url + rendition.name
                name = rendition.name.rsplit("/", 1)[-1]
                return ArticleImage(name, src, rendition.width, rendition.height, data)
        return None

    def rendition(self, made: Any) -> ArticleImage | None:
        """A poster of the build (a Rendition), as a file beside the article."""
        if made is None:
            return None
        name = made.name
        return ArticleImage(name.rsplit("/", 1)[-1], self.base_url + name, made.width,
                            made.height, self._file(name))  # fmt: skip

    def text_covers(self, title: str, stem: str) -> tuple[ArticleImage | None, ArticleImage | None]:
        """2.35:1 and 1:1 covers for an article without a portrait (the roundup, the 公示)."""
        if not self.done.site.config.posters or self.font is None:
            return None, None
        config = self.done.site.config
        wide = text_cover(title, config.organiser, self.font, (900, 383))
        square = text_cover(title, config.organiser, self.font, (500, 500))
        return (ArticleImage(f"{stem}-cover-900x383.png", "", 900, 383, wide),
                ArticleImage(f"{stem}-cover-500x500.png", "", 500, 500, square))  # fmt: skip

    def qr(self, page_url: str) -> ArticleImage:
        data = self._file(urls.qr_code(page_url, "png"))

        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
        return ArticleImage("qr.png", self.base_url + page_url + "qr.png", width, height, data)

    def render(self, template: str, **context: Any) -> str:
        settings = self.done.site.config.wechat
        credit = "　".join(f"{label}：{name}" for label, name in
                          (("编辑", settings.editor), ("审核", settings.reviewer)) if name)  # fmt: skip
        page = self.env.get_template(f"wechat/{template}").render(credit=credit, **context)
        return finish(page, self.css)

    def honoree(self, campaign: PublicCampaign, h: PublicHonoree) -> Article:
        portrait = self.picture(h.portrait)
        photos = []
        for photo in h.photos:
            image = self.picture(photo.picture)
            if image is not None:
                photos.append((image, photo.caption))
        qr = self.qr(h.url)
        html = self.render(
            "article.html",
            campaign=campaign,
            honoree=h,
            portrait=portrait,
            story=wechat_story(h.story_html),
            photos=[_Captioned(image, caption) for image, caption in photos],
            qr=qr,
        )
        images = [i for i in (portrait, *(p for p, _ in photos), qr) if i is not None]
        cover = None
        if h.cover is not None:
            data = self._file(h.cover.name)
            cover = ArticleImage(
                h.cover.name.rsplit("/", 1)[-1], self.base_url + h.cover.name, h.cover.width,
                h.cover.height, data,
            )  # fmt: skip
        poster, square = self.rendition(h.poster), self.rendition(h.square)
        organiser = self.done.site.config.organiser
        # The title names the person and the honour; the digest is the summary, so the
        # title does not repeat it.
        return Article(
            h.slug, "article.html", html, f"{h.name}｜{campaign.title}", h.summary,
            self.base_url + h.url, organiser, images, cover, poster, square,
        )  # fmt: skip

    def campaign(self, campaign: PublicCampaign) -> Article:
        people = [_Person(h, self.picture(h.portrait)) for h in campaign.honorees]
        qr = self.qr(campaign.url)
        html = self.render("campaign.html", campaign=campaign, people=people, qr=qr)
        images = [p.portrait for p in people if p.portrait is not None] + [qr]
        digest = campaign.summary or f"{campaign.title}共{len(campaign.honorees)}位人选的先进事迹。"
        wide, square = self.text_covers(campaign.title, "campaign")
        return Article(
            "", "campaign.html", html, campaign.title, digest, self.base_url + campaign.url,
            self.done.site.config.organiser, images, wide, None, square,
        )  # fmt: skip

    def notice(self, campaign: PublicCampaign, notice: PublicNotice) -> Article:
        html = self.render("notice.html", campaign=campaign, notice=notice)
        wide, square = self.text_covers(notice.title, "notice")
        return Article(
            "", "notice.html", html, notice.title, notice.intro, self.base_url + notice.url,
            self.done.site.config.organiser, [], wide, None, square,
        )  # fmt: skip


@dataclass(frozen=True)
class _Captioned:
    image: ArticleImage
    alt: str

    @property
    def src(self) -> str:
        return self.image.src

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


@dataclass(frozen=True)
class _Person:
    honoree: PublicHonoree
    portrait: ArticleImage | None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def article_for(done: Rendering, page_url: str) -> str | None:
    """The 公众号 article of the profile at ``page_url`` ("2024-demo/li-ming/"), if it is
    one; raises ContentError if the gate refuses it."""
    page = done.plan.page(page_url)
    if page is None or page.kind != "profile":
        return None
    html = Maker(done).honoree(*profile_of(page)).html
    done.gate.check({page_url + "article.html": html.encode()}, Path("（预览）公众号"))
    return html


def _readme(link: str, title: str, digest: str, author: str, cover: bool) -> str:
    short = _cut(plain_text(digest), DIGEST_CHARS)
    title = _cut(title, TITLE_CHARS)
    lines = [
        f"阅读原文：{link}",
        f"建议标题：{title}",
        f"摘要（{DIGEST_CHARS} 字以内）：{short}",
        f"作者：{author}",
    ]
    if cover:
        lines.append(
            "封面：本文件夹里的 …cover-900x383….png（2.35:1），和 …500x500….png（1:1，分享卡片用）"
        )
        lines.append("分享海报（人物文章）：本文件夹里的 moments-….png（1080×1920，可发朋友圈）")
    lines += [
        "",
        "使用方法：用浏览器打开公众号文件夹里的“index.html”（文章目录），点这篇文章的“复制正文”，",
        "到公众号编辑器的正文里粘贴（Ctrl+V）；标题、摘要和“阅读原文”网址也各有复制按钮。",
        "不要直接打开文章的 .html 全选复制：浏览器会改掉文章的排版。",
        "文中图片指向已发布的网站，请先发布网站再粘贴；编辑器提示图片无法转存时，",
        "把本文件夹里与图片同名的文件上传替换即可（文件名与文中图片地址的最后一段相同）。",
    ]
    return "\n".join(lines) + "\n"


def make_articles(done: Rendering, campaign_id: str) -> list[Article]:
    """Every article of one campaign, from the site plan's pages of it; raises
    ContentError if the gate refuses any."""
    page = next(iter(done.plan.pages("campaign", campaign_id)), None)
    if page is None:
        known = "、".join(o.campaign or "" for o in done.plan.pages("campaign")) or "（没有）"
        raise UsageError(f"找不到活动“{campaign_id}”。已有的活动：{known}")
    campaign = page.make.context["campaign"] if isinstance(page.make, Template) else None
    assert isinstance(campaign, PublicCampaign)
    maker = Maker(done)
    articles = [maker.honoree(*profile_of(p)) for p in done.plan.pages("profile", campaign_id)]
    articles.append(maker.campaign(campaign))
    for notice_page in done.plan.pages("notice", campaign_id):
        articles.append(maker.notice(*notice_of(notice_page)))
    done.gate.check(article_files(articles), Path("公众号"))
    return articles


def article_files(articles: list[Article]) -> dict[str, bytes]:
    """What the 公众号 folder holds: articles, their README and their images, and the
    index page that copies each article exactly as it is."""
    order = sorted(articles, key=lambda a: a.folder != "")  # the roundup and 公示 first
    entries = [Entry(a.path, _cut(a.title, TITLE_CHARS), _cut(plain_text(a.digest), DIGEST_CHARS),
                     a.link, a.html) for a in order]  # fmt: skip
    heading = next((a.title for a in articles if a.name == "campaign.html"), "公众号文章")
    files: dict[str, bytes] = {INDEX: index_page(entries, heading).encode()}
    for article in articles:
        prefix = f"{article.folder}/" if article.folder else ""
        files[prefix + article.name] = article.html.encode()
        readme = "README.txt" if article.folder else f"{Path(article.name).stem}-README.txt"
        files[prefix + readme] = article.readme.encode()
        folder = prefix or "images/"
        for image in [*article.images, *article.extras]:
            files[folder + image.file] = image.data
    return files
