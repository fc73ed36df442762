"""Which pages a change of content invalidates: one answer for the dev server's rebuild
and the build's incremental render."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..model import urls
from ..model.source import CAMPAIGN_FILE, HONOREES_DIR


def affected_pages(
    changed: Iterable[Path], content: Path, slugs: Mapping[Path, str] | None = None
) -> Callable[[str], bool] | None:
    """Which pages a change invalidates; None means all of them.

    A file in one honouree's folder affects that profile and the pages that list it
    (its campaign, the notice, the home page); anything else (site.yaml, a
    campaign.yaml, the theme) affects every page. ``slugs`` maps an honouree's folder to
    its slug where the record chose another (网址名).
    """
    content = content.resolve()
    pages: set[str] = {urls.page_file(urls.HOME), "404.html"}
    for path in changed:
        try:
            parts = path.resolve().relative_to(content).parts
        except ValueError:
            return None  # theme or configuration outside content/
        if len(parts) >= 4 and parts[1] == HONOREES_DIR:
            campaign = parts[0]
            slug = (slugs or {}).get(content / campaign / HONOREES_DIR / parts[2], parts[2])
            pages |= {
                urls.page_file(urls.campaign(campaign)),
                urls.page_file(urls.notice(campaign)),
                urls.page_file(urls.profile(campaign, slug)),
            }
        elif len(parts) == 2 and parts[1] == CAMPAIGN_FILE:
            return None
        else:
            return None
    return pages.__contains__
