"""The site plan: every file the site publishes, planned once from the checked model.

Each ``Output`` says where it goes (path and, for a page, its URL), what kind it is,
what produces it (a template with its context, a file of the image cache, bytes or a
text made from the plan itself), which records it shows, whether it gets a QR code and
whether it is in the sitemap. Rendering, QR codes, the sitemap, what an edit
invalidates (the build's incremental render and the preview), the preview's page
kinds, the 公众号 export and the printed 公示 all read this one list; none keeps its own.

A page type is a function from the ``Planning`` (the site and its public model) to
outputs, listed in ``PAGE_TYPES``: a new kind of page is one entry there and its
template.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from ..media.images import ImageStore
from ..media.qr import QrCache
from ..model import urls
from ..model.config import SiteConfig
from ..model.source import HONOREES_DIR, Campaign, Site
from ..write.atomic import atomic_write
from ..write.fingerprint import package_digest
from .hosting import headers_file, nginx_snippet, robots_txt, sitemap_xml
from .public import PublicCampaign, PublicHonoree, PublicNotice
from .theme import Theme, hashed_name, static_files

# Which records a page shows, as content-relative folder prefixes: one honouree's folder
# ("2024-demo/honorees/li-ming/"), a campaign's honourees ("2024-demo/honorees/") or every
# record (""). Anything else that changes (site.yaml, a campaign.yaml, the theme) changes
# every page.
EVERY_RECORD = ("",)


@dataclass(frozen=True)
class Template:
    """A page rendered from a theme template; ``page`` and ``site`` are added at render."""

    name: str
    context: Mapping[str, Any] = field(default_factory=dict)
    absolute: bool = False  # 404.html is served at any depth: links from the site root


@dataclass(frozen=True)
class Cached:
    """A file the image pool makes into the cache: a photo variant, a poster, a QR code."""

    path: Path


@dataclass(frozen=True)
class Data:
    """Bytes known at planning: theme assets, search data."""

    data: bytes


@dataclass(frozen=True)
class Text:
    """A text made from the finished plan: robots.txt, sitemap.xml, host rules."""

    make: Callable[[SitePlan], str]


Producer = Template | Cached | Data | Text


@dataclass(frozen=True)
class Output:
    path: str  # in output/: "2024-demo/li-ming/index.html"
    kind: str  # home, campaign, profile, notice, 404; asset, search, image, qr, host
    make: Producer
    url: str | None = None  # a page's URL: "2024-demo/li-ming/"
    records: tuple[str, ...] = ()  # the records it shows (see EVERY_RECORD)
    qr: bool = False  # the page's QR code is published as qr.png beside it (``_page``)
    sitemap: bool = False
    campaign: str | None = None  # the campaign it belongs to

    @property
    def is_page(self) -> bool:
        return isinstance(self.make, Template)


@dataclass(frozen=True)
class Planning:
    """What page types plan from."""

    site: Site
    campaigns: tuple[PublicCampaign, ...]  # newest first, as the site lists them
    folders: Mapping[tuple[str, str], str]  # (campaign, slug) → the record's folder prefix
    # The build's images, with its cache folder: it also draws the 公示 board and the
    # call's posters, and files made at planning (the blank forms) are kept beside them.
    images: ImageStore

    def source(self, campaign: PublicCampaign) -> Campaign:
        """The campaign as loaded (its settings, every record) behind its public model."""
        return next(s for s in self.site.campaigns if s.id == campaign.id)


PageType = Callable[[Planning], Iterable[Output]]


def home(p: Planning) -> Iterator[Output]:
    """The home page: the only campaign's page when there is one, else the list of all."""
    if len(p.campaigns) == 1:
        only = p.campaigns[0]
        search = search_output(p, only)
        yield search
        context: dict[str, Any] = {"campaign": only, "search_url": search.path}
        yield _page("home", urls.HOME, Template("campaign.html", context), EVERY_RECORD)
    else:
        yield _page("home", urls.HOME, Template("home.html"), EVERY_RECORD)


def campaign_pages(p: Planning) -> Iterator[Output]:
    """Each campaign: its page (cards, filters, search data), the 公示, every profile."""
    for c in p.campaigns:
        records = (f"{c.id}/{HONOREES_DIR}/",)
        search = search_output(p, c)
        yield search
        context = {"campaign": c, "search_url": search.path}
        yield _page("campaign", c.url, Template("campaign.html", context), records, c.id)
        if c.notice is not None:
            notice = Template("notice.html", {"campaign": c, "notice": c.notice})
            yield _page("notice", c.notice.url, notice, records, c.id)
            yield from board_outputs(p, c)
        if c.call is not None:
            yield from call_outputs(p, c)
        for h in c.honorees:
            profile = Template("profile.html", {"campaign": c, "honoree": h})
            yield _page("profile", h.url, profile, (p.folders[c.id, h.slug],), c.id)


def call_outputs(p: Planning, c: PublicCampaign) -> Iterator[Output]:
    """The call for nominations: its page, the blank forms made from the campaign's
    settings (never hand-kept files) and its poster. They are made once for given
    settings and kept in the cache: making a .docx costs more than a whole edit."""
    from ..forms import blank
    from ..media import call_poster
    from ..media.fonts import find_font
    from .public import CALL_FORMS

    assert c.call is not None
    source = p.source(c)
    yield _page(
        "call", c.call.url, Template("call.html", {"campaign": c, "call": c.call}), (), c.id
    )
    makers = {name: getattr(blank, maker) for _, name, maker in CALL_FORMS}
    settings = source.config.model_dump_json().encode()
    for _, path in c.call.forms:
        if path.rsplit("/", 1)[-1] not in makers:
            continue  # the posters, below
        maker = makers[path.rsplit("/", 1)[-1]]
        data = _made(p, path, settings, blank.__file__, functools.partial(maker, source.config))
        yield Output(path, "download", Data(data), campaign=c.id)
    address = p.site.config.base_url + c.call.url
    font = str(find_font(p.site.config.poster_font, p.site.root))
    texts = call_poster.texts(c, p.site.config.organiser, address, font)
    files = [(c.call.url + name, kind) for name, kind in call_poster.POSTERS]
    for path, make in _drawn(p, call_poster, texts, files, source.path):
        yield Output(path, "download", make, campaign=c.id)


def board_outputs(p: Planning, c: PublicCampaign) -> Iterator[Output]:
    """The 公示 for a notice board (A4 PNG and PDF), made once for its texts."""
    from ..media import notice_poster
    from ..media.fonts import find_font

    assert c.notice is not None
    font = str(find_font(p.site.config.poster_font, p.site.root))
    texts = notice_poster.texts(c.notice, p.site.config.base_url + c.notice.url, font)
    files = [(c.notice.url + name, kind) for name, kind in notice_poster.POSTERS]
    source = p.source(c)
    for path, make in _drawn(p, notice_poster, texts, files, source.path):
        yield Output(path, "download", make, records=(f"{c.id}/{HONOREES_DIR}/",), campaign=c.id)


def _drawn(
    p: Planning, drawing: ModuleType, texts: bytes, files: list[tuple[str, str]], record: Path
) -> Iterator[tuple[str, Producer]]:
    """Files the module ``drawing``'s ``draw_files`` makes from ``texts``, in the image
    pool beside the photos (and kept in its cache)."""
    code = str(drawing.__file__)
    made = p.images.made(f"{drawing.__name__}:draw_files", texts, files, code, record)
    yield from ((path, Cached(cache)) for (path, _), cache in zip(files, made, strict=True))


def _made(p: Planning, path: str, settings: bytes, code: str, make: Callable[[], bytes]) -> bytes:
    """``make()``, kept in the cache under what it depends on (its settings, its code)."""
    digest = hashlib.sha256(settings + Path(code).read_bytes() + path.encode()).hexdigest()
    kept = p.images.cache_dir / "made" / digest[:2] / digest
    try:
        return kept.read_bytes()
    except OSError:
        data = make()
        atomic_write(kept, data)
        return data


def not_found(p: Planning) -> Iterator[Output]:
    yield Output("404.html", "404", Template("404.html", absolute=True), records=EVERY_RECORD)


PAGE_TYPES: list[PageType] = [home, campaign_pages, not_found]


def _page(
    kind: str, url: str, make: Template, records: tuple[str, ...], campaign: str | None = None
) -> Output:
    """A public page: it is in the sitemap, and its QR code is also a file beside it,
    qr.png. The page draws its code in its markup (``Page.qr_code``); the file is what a
    公众号 article shows (a pasted article fetches its images from the published site),
    and what a project theme's share section copied from an earlier version shows."""
    return Output(urls.page_file(url), kind, make, url, records, True, True, campaign)


def search_output(p: Planning, campaign: PublicCampaign) -> Output:
    """Story text for search, in its own hashed file loaded only when the reader searches.

    It is a script that hands the entries to site.js (``siteBuilderSearchLoaded``), not
    JSON to fetch: a page opened from a folder (file://) may load a script but cannot
    fetch a file, and the reader's search must work there too. It is kept in the cache
    under the campaign's records as the record cache read them (``_search_memo``): an
    edit elsewhere does not write the stories of every campaign out again (a tenth of
    an edit's build at 2,000 records).
    """
    memo = _search_memo(p, campaign)
    raw = memo.read() if memo is not None else None
    if raw is None:
        raw = search_script(campaign)
        if memo is not None:
            memo.write(raw)
    path = urls.media(campaign.url) + hashed_name("search.js", raw)
    return Output(path, "search", Data(raw), campaign=campaign.id)


def search_script(campaign: PublicCampaign) -> bytes:
    data = json.dumps(
        search_entries(campaign), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # U+2028/2029 end a line in older JavaScript engines (old phones' WeChat browsers).
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"siteBuilderSearchLoaded({data});\n".encode()


@dataclass(frozen=True)
class _Memo:
    """One campaign's last search data in the cache, the key it was made under first."""

    path: Path
    key: bytes

    def read(self) -> bytes | None:
        """The data kept under this key, if it is there and whole (a script's last line)."""
        try:
            with open(self.path, "rb") as fh:
                data = fh.read() if fh.readline() == self.key + b"\n" else None
        except OSError:
            return None
        return data if data is not None and data.endswith(b");\n") else None

    def write(self, data: bytes) -> None:
        atomic_write(self.path, self.key + b"\n" + data)


def _search_memo(p: Planning, campaign: PublicCampaign) -> _Memo | None:
    """Where the campaign's search data is kept, under a key of what it is made from: the
    campaign's settings, the package, each record's folder and file as the record cache
    read it (``HonoreeSource.stamp``). None when a record was read otherwise, or too soon
    after it was written to be told from a second write of the same size."""
    source = p.source(campaign)
    if any(h.stamp is None for h in source.honorees):
        return None
    key = hashlib.sha256(f"{package_digest()}|{source.folder}".encode())
    key.update(source.config.model_dump_json().encode())
    for h in source.honorees:
        key.update(f"|{h.folder.name}|{h.stamp}".encode())
    return _Memo(p.images.cache_dir / "search" / f"{campaign.id}.js", key.hexdigest().encode())


def search_entries(campaign: PublicCampaign) -> list[dict[str, str]]:
    return [
        {
            "slug": h.slug,
            "text": " ".join([h.name, h.unit, h.nominating_unit, h.summary, h.story_text]),
        }
        for h in campaign.honorees
    ]


@dataclass
class SitePlan:
    """Every output of the site, by path, in the order the sitemap lists pages."""

    config: SiteConfig
    campaigns: tuple[PublicCampaign, ...]
    assets: dict[str, str]  # theme file name → hashed output path
    outputs: dict[str, Output] = field(default_factory=dict)

    def add(self, output: Output) -> None:
        known = self.outputs.get(output.path)
        # Two page types may plan the same file (the only campaign's search data, for the
        # home and the campaign page): the same name is the same bytes, since it is hashed.
        assert known is None or known.make == output.make, f"planned twice: {output.path}"
        self.outputs.setdefault(output.path, output)

    def __iter__(self) -> Iterator[Output]:
        return iter(self.outputs.values())

    def pages(self, kind: str | None = None, campaign: str | None = None) -> list[Output]:
        return [
            o
            for o in self
            if o.is_page
            and (kind is None or o.kind == kind)
            and (campaign is None or o.campaign == campaign)
        ]

    def page(self, url: str) -> Output | None:
        """The page at a URL ("2024-demo/li-ming/"), if the site has one."""
        found = self.outputs.get(urls.page_file(url))
        return found if found is not None and found.is_page else None

    def kinds(self) -> dict[str, str]:
        """Each page's file → its kind, for the preview (which pages get 复制公众号版)."""
        return {o.path: o.kind for o in self if o.is_page}

    @property
    def cached(self) -> dict[str, Path]:
        """Output name → cache file, for everything the image pool makes."""
        return {o.path: o.make.path for o in self if isinstance(o.make, Cached)}

    def sitemap(self) -> list[str]:
        return [self.config.base_url + o.url for o in self if o.sitemap and o.url is not None]

    def affected(self, changed: Iterable[str] | None) -> Callable[[str], bool] | None:
        """Which pages a change invalidates, given content-relative paths (posix); None
        means every page. A file in an honouree's folder affects the pages that show that
        record; anything else (site.yaml, a campaign.yaml, the theme) affects every page."""
        if changed is None:
            return None
        folders: list[str] = []
        for rel in changed:
            parts = rel.split("/")
            if rel.startswith("../") or len(parts) < 4 or parts[1] != HONOREES_DIR:
                return None
            folders.append("/".join(parts[:3]) + "/")
        hit = {
            o.path
            for o in self
            if o.is_page and any(f.startswith(prefix) for f in folders for prefix in o.records)
        }
        return hit.__contains__


def plan_site(
    site: Site,
    campaigns: list[PublicCampaign],
    theme: Theme,
    images: ImageStore,
    qr_codes: QrCache,
    page_types: Iterable[PageType] | None = None,
) -> tuple[SitePlan, list[Any]]:
    """The site plan and the QR-code jobs still to run (the caller gives them to the pool)."""
    ordered = tuple(sorted(campaigns, key=lambda c: (c.published, c.id), reverse=True))
    plan = SitePlan(site.config, ordered, {})
    for name, data in static_files(theme).items():
        target = urls.asset(hashed_name(name, data))
        plan.assets[name] = target
        plan.add(Output(target, "asset", Data(data)))
    folders = {
        (c.id, h.slug): f"{c.id}/{HONOREES_DIR}/{h.folder.name}/"
        for c in site.campaigns
        for h in c.honorees
    }
    planning = Planning(site, ordered, folders, images)
    for page_type in PAGE_TYPES if page_types is None else page_types:
        for output in page_type(planning):
            plan.add(output)
    for name, path in images.outputs.items():
        plan.add(Output(name, "image", Cached(path)))
    base = site.config.base_url
    wanted = [o.url for o in plan if o.qr and o.url is not None]
    qr_files, qr_jobs = qr_codes.plan([base + url for url in wanted])
    for url in wanted:
        plan.add(Output(urls.qr_code(url, "png"), "qr", Cached(qr_files[base + url])))
    stray = [o.path for o in plan if urls.is_hashed(o.path) and not o.path.startswith("assets/")]
    assert not stray, f"hashed files outside assets/ escape the cache rule: {stray[:3]}"
    for name, make in HOST_FILES:
        plan.add(Output(name, "host", Text(make)))
    return plan, qr_jobs


HOST_FILES: list[tuple[str, Callable[[SitePlan], str]]] = [
    ("robots.txt", lambda plan: robots_txt(plan.config)),
    ("sitemap.xml", lambda plan: sitemap_xml(plan.sitemap())),
    ("_headers", lambda plan: headers_file(plan.config)),
    ("nginx-site-builder.conf", lambda plan: nginx_snippet(plan.config)),
]


def profile_of(output: Output) -> tuple[PublicCampaign, PublicHonoree]:
    """A profile page's campaign and honouree, as its template receives them."""
    assert isinstance(output.make, Template) and output.kind == "profile"
    return output.make.context["campaign"], output.make.context["honoree"]


def notice_of(output: Output) -> tuple[PublicCampaign, PublicNotice]:
    assert isinstance(output.make, Template) and output.kind == "notice"
    return output.make.context["campaign"], output.make.context["notice"]
