"""The campaign page as a list of what is left to do: counts by 状态, the use of each
unit's 名额, and every open problem the build would report, each a link to the form and
field where it is fixed (a record's field, the campaign settings, the 公示 settings)."""

from __future__ import annotations

from typing import Any, Protocol

from ..checks.site import check_one_campaign
from ..errors import Problem, Problems
from ..model.record import RECORD_ALIASES, STATUS_LABELS
from ..model.source import HONOREES_DIR, Campaign, Site, honoree_order
from .record_form import Form, digest
from .response import Response
from .settings import saved_message

PHOTO_FIELDS = {"证件照", "工作照", "照片"}


class Pages(Protocol):
    def page(self, template: str, status: int, **context: Any) -> Response: ...


def fix_link(p: Problem) -> str:
    """Where the officer fixes ``p``: the form and, where there is one, the field. Its
    path is below content/ (or below the project folder, "content/…", from a build)."""
    path = p.path.removeprefix("content/")
    if path == "site.yaml":
        return "/_admin/_site"
    campaign, _, rest = path.partition("/")
    base = f"/_admin/{campaign}/"
    if rest.startswith(f"{HONOREES_DIR}/"):
        folder = rest[len(HONOREES_DIR) + 1 :].split("/")[0]
        head = p.field.split(" ")[0] if p.field else ""
        if head in PHOTO_FIELDS:
            return f"{base}{folder}/#photos"
        key = RECORD_ALIASES.get(head, "")
        return f"{base}{folder}/" + (f"#f-{key}" if key else "")
    if p.concerns:  # a rule broken by several people: the first of them
        return f"{base}{p.concerns[0].split('/')[-1]}/"
    if p.field.startswith("公示"):
        return f"{base}_notice"
    return f"{base}_settings" if rest else "/_admin/"


def campaign_page(
    bench: Pages, site: Site, campaign: Campaign, problems: Problems, query: Form
) -> Response:
    from ..publicity.unit_notice import default_level, nominees_by_unit

    # Only this campaign's problems are listed: only it is checked (for the private values
    # of every campaign), not the archive it is one of.
    check_one_campaign(site, campaign, problems)
    prefix = f"{campaign.id}/"
    found = [p for p in problems if p.path.startswith(prefix)]
    counts = {label: 0 for label in STATUS_LABELS.values()}
    for h in campaign.honorees:
        counts[STATUS_LABELS[h.record.status]] += 1
    quotas = []
    for unit in campaign.config.units:
        used = sum(
            1 for h in campaign.honorees
            if h.record.nominating_unit == unit.name and h.record.status != "withdrawn"
        )  # fmt: skip
        quotas.append((unit.name, used, unit.quota))
    rows = []
    for h in sorted(campaign.honorees, key=honoree_order):
        mine = f"{prefix}{HONOREES_DIR}/{h.folder.name}"
        own = [p for p in found if p.path.startswith(mine + "/") or mine in p.concerns]
        rows.append((h, digest(h.path.read_text("utf-8")), own))
    todo = sorted(found, key=lambda p: (p.severity != "error", p.sort_key()))
    names = {f"{prefix}{HONOREES_DIR}/{h.folder.name}/": h.record.name for h in campaign.honorees}
    whose = [next((n for f, n in names.items() if p.path.startswith(f)), "") for p in todo]
    return bench.page(
        "campaign.html", 200, campaign=campaign, counts=counts, quotas=quotas, rows=rows,
        status_labels=STATUS_LABELS, todo=list(zip(todo, whose, strict=True)),
        errors=sum(p.severity == "error" for p in todo),
        link=fix_link, notice=campaign.config.notice,
        message=saved_message(query), preview_base=site.config.base_path,
        by_unit=nominees_by_unit(campaign), default_level=default_level,
    )  # fmt: skip
