"""The workbench's requests and paths: what a path names, bound to the loaded content.

A route's pattern is a path below /_admin/ with placeholders: ``{campaign}`` and
``{honoree}`` must name a campaign and a person that were loaded (so no request can
name a file outside content/), ``{name}`` is a file name the action looks up itself.
The table of routes is ``workbench.app.ROUTES``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..errors import Problems
from ..model.source import Campaign, HonoreeSource, Site
from .record_form import Form
from .uploads import Files


@dataclass
class Request:
    """One request to the workbench, with what its path names bound (``Workbench._bind``)."""

    method: str
    form: Form
    query: Form
    files: Files
    site: Site
    problems: Problems
    campaign: Campaign | None = None
    honoree: HonoreeSource | None = None
    name: str = ""  # a file name in the path (a photo)

    @property
    def c(self) -> Campaign:
        assert self.campaign is not None  # bound by a route with {campaign}
        return self.campaign

    @property
    def h(self) -> HonoreeSource:
        assert self.honoree is not None  # bound by a route with {honoree}
        return self.honoree


def bind(pattern: str, parts: list[str], request: Request) -> Request | str | None:
    """``request`` with the campaign, person and file name the path names, if ``parts`` fit
    ``pattern``; None if they do not; the 404 page's title if a name is not there."""
    segments = pattern.split("/") if pattern else []
    if len(segments) != len(parts):
        return None
    if any(s != p for s, p in zip(segments, parts, strict=True) if not s.startswith("{")):
        return None
    found = dataclasses.replace(request)
    for segment, part in zip(segments, parts, strict=True):
        if segment == "{campaign}":
            found.campaign = next((c for c in request.site.campaigns if c.id == part), None)
            if found.campaign is None:
                return "找不到这个活动"
        elif segment == "{honoree}":
            honorees = found.c.honorees
            found.honoree = next((h for h in honorees if h.folder.name == part), None)
            if found.honoree is None:
                return "找不到这位人选"
        elif segment == "{name}":
            found.name = part
    return found
