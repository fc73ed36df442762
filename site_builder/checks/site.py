"""Checks across files, campaign by campaign: each record against its campaign (category,
unit, duplicate slugs and ID numbers, 序号), then its photos (``photos``), the private
data in what it publishes (``privacy``), the campaign's rules (``rules``) and the
notice period (``notice``).

``check_site`` adds every finding to ``Problems`` and returns what later stages
need (resolved photo paths, the computed notice period), so nothing is worked out
twice.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PhotoError, Problem, Problems
from ..model.identifiers import normalise
from ..model.source import Campaign, HonoreeSource, Site
from ..workers import worker_pool
from .notice import check_notice
from .photos import HonoreeFacts, check_photos
from .placeholders import PLACEHOLDER, check_placeholders
from .privacy import (
    Detector,
    keep_scan,
    privacy_detector,
    published_problems,
    scan_record,
)
from .rules import check_rules
from .workdays import Period


@dataclass
class CampaignFacts:
    period: Period | None = None
    columns: list[str] = field(default_factory=list)
    honorees: dict[str, HonoreeFacts] = field(default_factory=dict)


def check_site(site: Site, problems: Problems, detector: Detector) -> dict[str, CampaignFacts]:
    scan_records(site, detector, problems.display_root)
    check_placeholders(site, problems)
    facts: dict[str, CampaignFacts] = {}
    for campaign in site.campaigns:
        facts[campaign.id] = check_campaign(campaign, detector, problems)
    return facts


SCANS_A_WORKER = 250  # records without this detector's scan: fewer are scanned here


def scan_records(site: Site, detector: Detector, display_root: Path | None) -> None:
    """Scan what every record publishes (``scan_record``) on every core, where many have
    not been scanned with this detector: a cold build of an archive, a new private value.
    It was a tenth of a cold build of 2,000 records, on one core. Workers are forked, so
    they share the records with this process; elsewhere ``scan_record`` does it, here."""
    global _SCANNING
    todo = [
        h
        for c in site.campaigns
        for h in c.honorees
        if not h.draft and detector.digest not in h.scans  # those check_campaign scans
    ]
    workers = min(os.cpu_count() or 1, len(todo) // SCANS_A_WORKER)
    if workers < 2 or multiprocessing.get_start_method() != "fork":
        return
    with _ONE_AT_A_TIME:  # the preview and the workbench check on threads of one process
        _SCANNING = (todo, detector, display_root)
        try:
            chunks = [range(i, min(i + 50, len(todo))) for i in range(0, len(todo), 50)]
            with worker_pool(workers) as pool:
                for chunk, found in zip(chunks, pool.map(_scan_some, chunks), strict=True):
                    for i, items in zip(chunk, found, strict=True):
                        keep_scan(todo[i], detector, items)
        finally:
            _SCANNING = None


# What the workers scan, set while they are forked (they share it with this process).
_SCANNING: tuple[list[HonoreeSource], Detector, Path | None] | None = None
_ONE_AT_A_TIME = threading.Lock()


def _scan_some(indices: range) -> list[list[Problem]]:
    assert _SCANNING is not None  # set before the workers were forked
    todo, detector, display_root = _SCANNING
    return [published_problems(todo[i], detector, display_root) for i in indices]


def check_one_campaign(site: Site, campaign: Campaign, problems: Problems) -> None:
    """``check_site``'s problems of ``campaign`` and its records (the workbench's record
    form shows no others): only that campaign is checked, for the private values of every
    campaign. At 2,000 records, a tenth of the time of checking them all."""
    one = Site(site.root, site.config, [campaign], site.doc)
    check_site(one, problems, privacy_detector(site))


# Below these (the smallest width the pages use), a photo is shown enlarged and blurred.
MIN_WIDTH = {"证件照": 240, "工作照": 480}


def check_photo_files(
    site: Site,
    facts: dict[str, CampaignFacts],
    inspect: Callable[[Path], PhotoError | tuple[int, int]],
    problems: Problems,
) -> None:
    """Open every photo a published record uses (its header: format, size, pixel count),
    so a corrupt or oversized file is named before any page is planned, and a photo too
    small to look sharp on a phone is said (a warning)."""
    for campaign in site.campaigns:
        for h in campaign.public_honorees:
            hf = facts[campaign.id].honorees.get(h.slug)
            if hf is None:
                continue
            kinds = [("证件照", hf.portrait)] if hf.portrait is not None else []
            for label, photo in [*kinds, *(("工作照", p) for p in hf.photos)]:
                found = inspect(photo.source)
                if isinstance(found, PhotoError):
                    problems.add(photo.source, None, "照片", found.message, found.fix)
                elif found[0] < MIN_WIDTH[label]:
                    problems.as_warnings().add(
                        photo.source,
                        None,
                        label,
                        f"照片只有 {found[0]}×{found[1]} 像素，在手机上会显得模糊",
                        f"请换一张宽度至少 {MIN_WIDTH[label]} 像素的照片（手机原图通常有几千像素）",
                    )


def check_campaign(campaign: Campaign, detector: Detector, problems: Problems) -> CampaignFacts:
    facts = CampaignFacts()
    config = campaign.config
    units = {u.name for u in config.units}
    slugs: dict[str, HonoreeSource] = {}
    ids: dict[str, HonoreeSource] = {}
    for h in campaign.honorees:
        rec = h.record
        # A draft cannot break the site: its problems are warnings. A field at fault was
        # reported already and holds a stand-in, which is not checked again.
        found = problems.as_warnings() if h.draft else problems
        if (
            "category" not in h.at_fault
            and rec.category not in config.categories
            and not PLACEHOLDER.match(rec.category)  # reported as a placeholder already
        ):
            found.add(
                h.path,
                h.field_line("category"),
                "类别",
                f"“{rec.category}”不是本活动的类别",
                f"请改为以下之一：{'、'.join(config.categories)}",
            )
        if units and "nominating_unit" not in h.at_fault and rec.nominating_unit not in units:
            found.add(
                h.path,
                h.field_line("nominating_unit"),
                "推荐单位",
                f"“{rec.nominating_unit}”不在本活动的推荐单位名单中",
                "请与 campaign.yaml 的“推荐单位”一致（注意全称和简称）",
            )
        if h.slug in slugs:
            problems.add(
                h.path,
                None,
                "网址名",
                f"网址名“{h.slug}”与 {slugs[h.slug].folder.name} 重复",
                "请给其中一人改用不同的网址名，例如加上 -2",
            )
        slugs.setdefault(h.slug, h)
        if rec.id_number:
            key = normalise(rec.id_number).upper()
            if key in ids:
                problems.add(
                    h.path,
                    h.field_line("id_number"),
                    "身份证号",
                    f"与 {ids[key].folder.name} 的身份证号相同",
                    "同一人只能推荐一次，请删除重复的记录",
                )
            ids.setdefault(key, h)
        facts.honorees[h.slug] = check_photos(h, found)
        if not h.draft:
            scan_record(h, detector, problems)
    _check_seq(campaign, problems)
    reference = config.notice.start if config.notice else dt.date(config.year, 1, 1)
    check_rules(campaign, problems, reference)
    if config.notice is not None:
        facts.period, facts.columns = check_notice(campaign, problems)
    return facts


def _check_seq(campaign: Campaign, problems: Problems) -> None:
    seen: dict[int, HonoreeSource] = {}
    for h in campaign.public_honorees:
        seq = h.record.seq
        if seq is None:
            continue
        if seq in seen:
            problems.add(
                h.path,
                h.field_line("seq"),
                "序号",
                f"序号 {seq} 与 {seen[seq].folder.name} 重复",
                "请重新编排序号",
            )
        seen.setdefault(seq, h)
