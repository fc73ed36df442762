"""The URL scheme: the one place that knows where each page lives.

Every path here is relative to the site root and ends in ``/`` for a page (its file
is ``index.html`` inside that folder). The public model, the renderer, the sitemap
and the dev server's incremental rebuild all ask this module, so a page can never be
linked under one path and written under another.

    ""                          home (the only campaign's page when there is one)
    <campaign>/                 the campaign: cards, filters, search
    <campaign>/notice/          the 公示
    <campaign>/tongzhi/         the call for nominations (通知) and its blank forms
    <campaign>/<slug>/          one honouree's profile
    assets/…                    every file whose name carries a content hash: theme files,
                                and under assets/<page>/ that page's photos, posters and
                                search data — so one host rule caches them all for good
"""

from __future__ import annotations

import posixpath

NOTICE = "notice"
CALL = "tongzhi"
ASSETS = "assets"
# Names a content folder may not take: an honouree called notice would hide the 公示, a
# campaign called assets would be cached for a year, and the preview server uses the others.
RESERVED_SLUGS = frozenset({NOTICE, CALL})
RESERVED_CAMPAIGNS = frozenset({ASSETS, "_admin", "__site_builder"})

HOME = ""


def campaign(campaign_id: str) -> str:
    return f"{campaign_id}/"


def notice(campaign_id: str) -> str:
    return f"{campaign_id}/{NOTICE}/"


def call(campaign_id: str) -> str:
    return f"{campaign_id}/{CALL}/"


def profile(campaign_id: str, slug: str) -> str:
    return f"{campaign_id}/{slug}/"


def page_file(url: str) -> str:
    """The file a page URL is written to: "2024-demo/li-ming/" → "2024-demo/li-ming/index.html"."""
    return f"{url}index.html"


def asset(name: str) -> str:
    return f"{ASSETS}/{name}"


def media(page_url: str) -> str:
    """The folder of a page's hashed files: "2024-demo/li-ming/" → "assets/2024-demo/li-ming/"."""
    return f"{ASSETS}/{page_url}"


def qr_code(page_url: str, kind: str) -> str:
    """A page's QR code, under a stable name beside it: "2024-demo/li-ming/qr.png"."""
    return f"{page_url}qr.{kind}"


def is_hashed(path: str) -> bool:
    """Whether a file name carries a 10-hex content hash (site.3f2a9c1b0d.css)."""
    parts = posixpath.basename(path).split(".")
    return (
        len(parts) >= 3 and len(parts[-2]) == 10 and all(c in "0123456789abcdef" for c in parts[-2])
    )
