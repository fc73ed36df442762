"""Rendering the public model into files: pages, assets, search data, sitemap, headers.

Everything is rendered into memory as ``{relative path: bytes}`` and written to the
staging directory by the build. Internal links are relative to the page, so the
site works under any sub-path and from a plain folder; only 404.html (served at
any depth) uses the absolute base path, and only canonical/Open Graph URLs and QR
codes use the full base_url.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment

from .config import SiteConfig
from .public import PublicCampaign
from .share import QrCache, qr_png, qr_svg
from .theme import Theme, hashed_name, make_environment, static_files

CACHE_FOREVER = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"


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

    def url(self, target: str) -> str:
        """Link to a site path ("", "2024-demo/", "assets/x.css") from this page."""
        if self.absolute_links:
            return self.site.base_path + target
        rel = posixpath.relpath(target or ".", self.dir or ".")
        if target == "" or target.endswith("/"):
            return "./" if rel == "." else rel + "/"
        return rel

    def asset(self, name: str) -> str:
        return self.url(self.site.assets[name])

    def absolute(self, target: str) -> str:
        return self.site.base_url + target


@dataclass
class Rendered:
    files: dict[str, bytes] = field(default_factory=dict)
    pages: int = 0
    skipped: set[str] = field(default_factory=set)  # pages (and their QR codes) not re-rendered

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


def render_site(
    config: SiteConfig,
    campaigns: list[PublicCampaign],
    theme: Theme,
    image_names: list[str],
    wanted: Callable[[str], bool] | None = None,
    qr_codes: QrCache | None = None,
) -> Rendered:
    """Every output file; with ``wanted``, pages it rejects are listed in ``skipped`` instead."""
    out = Rendered()
    env = make_environment(theme)
    assets: dict[str, str] = {}
    for name, data in static_files(theme).items():
        target = "assets/" + hashed_name(name, data)
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
        out.add(output, _render(env, template, page=p, site=site, **context))
        out.pages += 1

    def qr(target: str) -> None:
        """QR codes of a page, under stable names the WeChat editor can find again."""
        if wanted is not None and not wanted(f"{target}index.html"):
            out.skipped.update({f"{target}qr.png", f"{target}qr.svg"})
            return
        url = config.base_url + target
        out.files[f"{target}qr.png"] = qr_codes.get(url, "png") if qr_codes else qr_png(url)
        out.files[f"{target}qr.svg"] = qr_codes.get(url, "svg") if qr_codes else qr_svg(url)

    qr("")
    if len(ordered) == 1:
        only = ordered[0]
        page("campaign.html", "index.html", campaign=only, search_url=_search_path(only, out))
    else:
        page("home.html", "index.html")
    for campaign in ordered:
        page(
            "campaign.html",
            f"{campaign.url}index.html",
            campaign=campaign,
            search_url=_search_path(campaign, out),
        )
        qr(campaign.url)
        for honoree in campaign.honorees:
            page("profile.html", f"{honoree.url}index.html", campaign=campaign, honoree=honoree)
            qr(honoree.url)
        if campaign.notice is not None:
            page(
                "notice.html",
                f"{campaign.notice.url}index.html",
                campaign=campaign,
                notice=campaign.notice,
            )
            qr(campaign.notice.url)
    page("404.html", "404.html", absolute=True)
    out.add("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {config.base_url}sitemap.xml\n")
    out.add("sitemap.xml", _sitemap(config, ordered))
    hashed = sorted(set(out.hashed) | set(image_names))
    out.add("_headers", _headers(config, out, hashed))
    out.add("nginx-site-builder.conf", _nginx(config))
    return out


def _render(env: Environment, template: str, **context: Any) -> str:
    return env.get_template(template).render(**context)


def search_entries(campaign: PublicCampaign) -> list[dict[str, str]]:
    return [
        {
            "slug": h.slug,
            "text": " ".join([h.name, h.unit, h.nominating_unit, h.summary, h.story_text]),
        }
        for h in campaign.honorees
    ]


def _search_path(campaign: PublicCampaign, out: Rendered) -> str:
    """Story text for search, in its own hashed file fetched only when the reader searches."""
    data = json.dumps(
        search_entries(campaign), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    raw = data.encode("utf-8")
    path = f"{campaign.url}{hashed_name('search.json', raw)}"
    out.files[path] = raw
    return path


def _sitemap(config: SiteConfig, campaigns: tuple[PublicCampaign, ...]) -> str:
    urls = [config.base_url]
    for c in campaigns:
        urls.append(config.base_url + c.url)
        if c.notice is not None:
            urls.append(config.base_url + c.notice.url)
        urls.extend(config.base_url + h.url for h in c.honorees)
    body = "".join(f"  <url><loc>{u}</loc></url>\n" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    )


def _headers(config: SiteConfig, out: Rendered, hashed: list[str]) -> str:
    """Netlify / Cloudflare Pages style headers: hashed files forever, pages revalidated."""
    base = config.base_path
    lines = [
        "# 由 site_builder 生成：带内容哈希的文件长期缓存，页面每次校验（微信内置浏览器缓存很顽固）",
        f"{base}*",
        f"  Cache-Control: {NO_CACHE}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: strict-origin-when-cross-origin",
    ]
    for path in hashed:
        lines += [f"{base}{path}", f"  Cache-Control: {CACHE_FOREVER}"]
    return "\n".join(lines) + "\n"


def _nginx(config: SiteConfig) -> str:
    base = config.base_path
    return f"""# 由 site_builder 生成：放进 nginx 的 server {{ }} 中，root 指向 output/ 的上级目录，
# 使 output/ 的内容出现在 {base} 下。
location {base} {{
    # 文件名里带 10 位内容哈希的文件（样式、脚本、图片）内容永不改变：长期缓存
    location ~* "\\.[0-9a-f]{{10}}\\.[a-z0-9]+$" {{
        add_header Cache-Control "{CACHE_FOREVER}";
        add_header X-Content-Type-Options nosniff;
    }}
    # 页面每次向服务器校验，修改后读者立即看到新内容
    add_header Cache-Control "{NO_CACHE}";
    add_header X-Content-Type-Options nosniff;
    add_header Referrer-Policy strict-origin-when-cross-origin;
    index index.html;
    try_files $uri $uri/ =404;
    error_page 404 {base}404.html;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml application/xml;
}}
"""
