"""Rendering the site plan into files: pages from their templates, and the planned bytes
and texts (assets, search data, sitemap, host rules). Files of the image cache are not
read here: they reach output/ as links (``SitePlan.cached``).

Everything is rendered into memory as ``{relative path: bytes}`` and written to the
staging directory by the build. Internal links are relative to the page, so the
site works under any sub-path and from a plain folder; only 404.html (served at
any depth) uses the absolute base path, and only canonical/Open Graph URLs and QR
codes use the full base_url.
"""

from __future__ import annotations

import functools
import posixpath
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateSyntaxError
from markupsafe import Markup

from ..errors import ContentError, Problem
from ..media.qr import QR_LABEL, qr_svg
from .plan import Data, SitePlan, Template, Text
from .public import PublicCampaign
from .theme import Theme, make_environment


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
    qr_code: Callable[[str], str]  # a page's URL → its QR code's markup


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

    @property
    def qr_code(self) -> Markup:
        """This page's QR code (its canonical URL), drawn in the page as SVG."""
        return Markup(self.site.qr_code(self.canonical))

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


def render_site(
    plan: SitePlan,
    theme: Theme,
    wanted: Callable[[str], bool] | None = None,
    compiled: Path | None = None,
    qr_code: Callable[[str], str] | None = None,
) -> Rendered:
    """Every planned file that is not made by the image pool; with ``wanted``, pages it
    rejects are listed in ``skipped`` instead. ``compiled``: a cache folder for compiled
    templates; ``qr_code``: a page's URL → the markup of its code (default: drawn here)."""
    out = Rendered()
    env = make_environment(theme, compiled)
    site = SiteView(
        title=plan.config.title,
        organiser=plan.config.organiser,
        description=plan.config.description or plan.config.title,
        base_url=plan.config.base_url,
        base_path=plan.config.base_path,
        footer=plan.config.footer,
        campaigns=plan.campaigns,
        assets=plan.assets,
        qr_code=qr_code or _drawn_here,
    )
    for output in plan:
        make = output.make
        if isinstance(make, Template):
            if wanted is not None and not wanted(output.path):
                out.skipped.add(output.path)
                continue
            page = Page(output.path, site, make.absolute)
            out.add(
                output.path, _render(env, theme, make.name, page=page, site=site, **make.context)
            )
            out.pages += 1
        elif isinstance(make, Data):
            out.files[output.path] = make.data
        elif isinstance(make, Text):
            out.add(output.path, make.make(plan))
    return out


def _drawn_here(url: str) -> str:
    return qr_svg(url, QR_LABEL)


QR_IN_POOL_FROM = 64  # pages to render: from this many, the worker pool draws their codes


class PoolCodes:
    """Pages' QR codes drawn in the worker pool while the pages render (a code is ~0.3 ms
    of Python, twice a page's rendering): each page gets a mark, an HTML comment with
    this build's random token that no content or template can know, which ``fill``
    replaces by the code once the pool is done."""

    def __init__(self) -> None:
        self.token = secrets.token_hex(8)
        self.urls: list[str] = []

    def mark(self, url: str) -> str:
        self.urls.append(url)
        return f"<!--qr-{self.token}-{len(self.urls) - 1}-->"

    def fill(self, files: dict[str, bytes], codes: dict[str, bytes]) -> None:
        """The marks in ``files`` replaced by the codes made, each let go once used (at
        10,000 pages they are 20 MB); a code the pool did not make, or one asked for
        twice, is drawn here."""
        prefix = f"<!--qr-{self.token}-".encode()
        pattern = re.compile(re.escape(prefix) + rb"(\d+)-->")

        def code(match: re.Match[bytes]) -> bytes:
            url = self.urls[int(match[1])]
            return codes.pop(url, None) or _drawn_here(url).encode()

        for name, data in files.items():
            if prefix in data:
                files[name] = pattern.sub(code, data)


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
