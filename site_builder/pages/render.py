"""Rendering the public model into files: pages, assets, search data, sitemap, headers.

Everything is rendered into memory as ``{relative path: bytes}`` and written to the
staging directory by the build. Internal links are relative to the page, so the
site works under any sub-path and from a plain folder; only 404.html (served at
any depth) uses the absolute base path, and only canonical/Open Graph URLs and QR
codes use the full base_url.
"""

from __future__ import annotations

import functools
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from ..errors import ContentError, Problem
from ..model import urls
from ..model.config import SiteConfig
from .hosting import headers_file, nginx_snippet, robots_txt, sitemap_xml
from .public import PublicCampaign
from .theme import Theme, hashed_name, make_environment, static_files


@dataclass(frozen=True)
class SiteView:
    """Site-wide values every template gets as ``site``."""

    title: str
    organiser: str
    description: str
    base_url: str
    base_path: str
    footer: Any
    campaigns: tuple[PublicCampaign, ...]
    assets: dict[str, str]  # theme file name -> hashed output path


@dataclass(frozen=True)
class Page:
    """The page being rendered: where it is, so links can be made relative to it."""

    output: str  # "2024-demo/li-ming/index.html"
    site: SiteView
    absolute_links: bool = False  # 404.html is served at arbitrary paths

    @property
    def dir(self) -> str:
        return posixpath.dirname(self.output)

    @property
    def here(self) -> str:
        """This page's folder as a site path ("2024-demo/li-ming/", or "" for the root)."""
        return f"{self.dir}/" if self.dir else ""

    @property
    def canonical(self) -> str:
        path = self.output.removesuffix("index.html")
        return self.site.base_url + path

    @functools.cached_property
    def _dir_parts(self) -> list[str]:
        return self.dir.split("/") if self.dir else []

    def url(self, target: str) -> str:
        """Link to a site path ("", "2024-demo/", "assets/x.css") from this page.

        Site paths are plain (no "." or ".." parts, no leading "/"), so the relative
        path is worked out on the strings: ``posixpath.relpath`` makes both paths
        absolute with a call to getcwd each, and a page of an archive has dozens of links.
        """
        if self.absolute_links:
            return self.site.base_path + target
        parts = [part for part in target.split("/") if part]
        here = self._dir_parts
        shared = 0
        for a, b in zip(parts, here, strict=False):  # up to the shorter
            if a != b:
                break
            shared += 1
        rel = "/".join([".."] * (len(here) - shared) + parts[shared:])
        if target == "" or target.endswith("/"):
            return f"{rel}/" if rel else "./"
        return rel

    def asset(self, name: str) -> str:
        return self.url(self.site.assets[name])

    def absolute(self, target: str) -> str:
        return self.site.base_url + target


@dataclass
class Rendered:
    files: dict[str, bytes] = field(default_factory=dict)
    pages: int = 0
    skipped: set[str] = field(default_factory=set)  # pages not rendered again

    def add(self, path: str, text: str) -> None:
        self.files[path] = text.encode("utf-8")

    @property
    def hashed(self) -> list[str]:
        return sorted(p for p in self.files if is_hashed(p))


def is_hashed(path: str) -> bool:
    """Whether a file name carries a 10-hex content hash (site.3f2a9c1b0d.css)."""
    parts = posixpath.basename(path).split(".")
    return (
        len(parts) >= 3 and len(parts[-2]) == 10 and all(c in "0123456789abcdef" for c in parts[-2])
    )


def qr_pages(campaigns: list[PublicCampaign]) -> list[str]:
    """Every page that gets QR codes: home, campaigns, notices and profiles."""
    pages = [urls.HOME]
    for campaign in campaigns:
        pages.append(campaign.url)
        pages.extend(h.url for h in campaign.honorees)
        if campaign.notice is not None:
            pages.append(campaign.notice.url)
    return pages


def render_site(
    config: SiteConfig,
    campaigns: list[PublicCampaign],
    theme: Theme,
    image_names: list[str],
    wanted: Callable[[str], bool] | None = None,
    compiled: Path | None = None,
) -> Rendered:
    """Every output file; with ``wanted``, pages it rejects are listed in ``skipped`` instead.
    ``compiled``: a cache folder for compiled templates."""
    out = Rendered()
    env = make_environment(theme, compiled)
    assets: dict[str, str] = {}
    for name, data in static_files(theme).items():
        target = urls.asset(hashed_name(name, data))
        assets[name] = target
        out.files[target] = data
    ordered = tuple(sorted(campaigns, key=lambda c: (c.published, c.id), reverse=True))
    site = SiteView(
        title=config.title,
        organiser=config.organiser,
        description=config.description or config.title,
        base_url=config.base_url,
        base_path=config.base_path,
        footer=config.footer,
        campaigns=ordered,
        assets=assets,
    )

    def page(template: str, output: str, absolute: bool = False, **context: Any) -> None:
        if wanted is not None and not wanted(output):
            out.skipped.add(output)
            return
        p = Page(output, site, absolute)
        out.add(output, _render(env, theme, template, page=p, site=site, **context))
        out.pages += 1

    home = urls.page_file(urls.HOME)
    if len(ordered) == 1:
        only = ordered[0]
        page("campaign.html", home, campaign=only, search_url=_search_path(only, out))
    else:
        page("home.html", home)
    for campaign in ordered:
        page(
            "campaign.html",
            urls.page_file(campaign.url),
            campaign=campaign,
            search_url=_search_path(campaign, out),
        )
        for honoree in campaign.honorees:
            page("profile.html", urls.page_file(honoree.url), campaign=campaign, honoree=honoree)
        if campaign.notice is not None:
            page(
                "notice.html",
                urls.page_file(campaign.notice.url),
                campaign=campaign,
                notice=campaign.notice,
            )
    page("404.html", "404.html", absolute=True)
    out.add("robots.txt", robots_txt(config))
    out.add("sitemap.xml", sitemap_xml(config, ordered))
    stray = [p for p in sorted(set(out.hashed) | set(image_names)) if not p.startswith("assets/")]
    assert not stray, f"hashed files outside assets/ escape the cache rule: {stray[:3]}"
    out.add("_headers", headers_file(config))
    out.add("nginx-site-builder.conf", nginx_snippet(config))
    return out


def _render(env: Environment, theme: Theme, template: str, **context: Any) -> str:
    try:
        return env.get_template(template).render(**context)
    except TemplateError as exc:
        problem = template_problem(exc, theme)
        if problem is None:
            raise  # a built-in template: our bug, not the officer's
        raise ContentError([problem]) from None


def template_problem(exc: TemplateError, theme: Theme) -> Problem | None:
    """A template error in one of the project's own theme folders, as a problem; else None."""
    places: list[tuple[str, int | None]] = []
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        places.append((exc.filename, exc.lineno))
    tb = exc.__traceback__
    while tb is not None:  # Jinja puts template files and lines into the traceback
        places.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    for filename, line in reversed(places):
        path = Path(filename)
        if any(folder in path.parents for folder in theme.project_folders):
            message = getattr(exc, "message", None) or str(exc)
            return Problem(
                path.as_posix(),
                line,
                "模板",
                f"主题模板出错：{message}",
                "请检查这个模板（Jinja2 语法、变量名）；删除它则使用所继承主题的同名模板",
            )
    return None


def search_entries(campaign: PublicCampaign) -> list[dict[str, str]]:
    return [
        {
            "slug": h.slug,
            "text": " ".join([h.name, h.unit, h.nominating_unit, h.summary, h.story_text]),
        }
        for h in campaign.honorees
    ]


def _search_path(campaign: PublicCampaign, out: Rendered) -> str:
    """Story text for search, in its own hashed file loaded only when the reader searches.

    It is a script that hands the entries to site.js (``siteBuilderSearchLoaded``), not
    JSON to fetch: a page opened from a folder (file://) may load a script but cannot
    fetch a file, and the reader's search must work there too.
    """
    data = json.dumps(
        search_entries(campaign), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # U+2028/2029 end a line in older JavaScript engines (old phones' WeChat browsers).
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    raw = f"siteBuilderSearchLoaded({data});\n".encode()
    path = urls.media(campaign.url) + hashed_name("search.js", raw)
    out.files[path] = raw
    return path
