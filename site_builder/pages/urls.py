"""The URL scheme: the one place that knows where each page lives.

Every path here is relative to the site root and ends in ``/`` for a page (its file
is ``index.html`` inside that folder). The public model, the renderer, the sitemap
and the dev server's incremental rebuild all ask this module, so a page can never be
linked under one path and written under another.

    ""                          home (the only campaign's page when there is one)
    <campaign>/                 the campaign: cards, filters, search
    <campaign>/notice/          the 公示
    <campaign>/<slug>/          one honouree's profile
    assets/…                    theme files, with content hashes in their names
"""

from __future__ import annotations

NOTICE = "notice"
ASSETS = "assets"
RESERVED_SLUGS = frozenset({NOTICE})  # an honouree folder by this name would hide the page

HOME = ""


def campaign(campaign_id: str) -> str:
    return f"{campaign_id}/"


def notice(campaign_id: str) -> str:
    return f"{campaign_id}/{NOTICE}/"


def profile(campaign_id: str, slug: str) -> str:
    return f"{campaign_id}/{slug}/"


def page_file(url: str) -> str:
    """The file a page URL is written to: "2024-demo/li-ming/" → "2024-demo/li-ming/index.html"."""
    return f"{url}index.html"


def asset(name: str) -> str:
    return f"{ASSETS}/{name}"
