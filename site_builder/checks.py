"""Checks across files: the record against its campaign, photos on disk, duplicates,
private data in published text, and the notice period.

``check_site`` adds every finding to ``Problems`` and returns what later stages
need (resolved photo paths, the computed notice period), so nothing is worked out
twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .config import CampaignConfig
from .content import Campaign, HonoreeSource, Site
from .errors import Problems
from .privacy import Detector, Finding, line_at, normalise
from .rules import check_rules
from .schema import PRIVATE_FIELDS, Photo, Record, fields_of
from .share import missing_glyphs
from .validation import key_line
from .workdays import Calendar, Period, period_problem

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp"}
DEFAULT_PORTRAIT = "portrait.jpg"

LABELS = {key: labels[0] for key, labels, *_ in fields_of(Record)}
ALIASES = {label: key for key, labels, *_ in fields_of(Record) for label in [key, *labels]}


@dataclass(frozen=True)
class ResolvedPhoto:
    source: Path
    caption: str
    focus: str | None


@dataclass
class HonoreeFacts:
    portrait: ResolvedPhoto | None = None
    photos: list[ResolvedPhoto] = field(default_factory=list)


@dataclass
class CampaignFacts:
    period: Period | None = None
    columns: list[str] = field(default_factory=list)
    honorees: dict[str, HonoreeFacts] = field(default_factory=dict)


def privacy_detector(site: Site) -> Detector:
    """Private values of every record, with the notices' own contacts allowed."""
    return Detector(private_values(site), allowed=notice_contacts(site))


def check_site(site: Site, problems: Problems, detector: Detector) -> dict[str, CampaignFacts]:
    facts: dict[str, CampaignFacts] = {}
    for campaign in site.campaigns:
        facts[campaign.id] = check_campaign(campaign, detector, problems)
    return facts


def private_values(site: Site) -> dict[str, str]:
    """Every private value of every record (any status) → where it comes from.

    A value that is also published on purpose (an honouree's own name that happens to
    equal some record's contact person) cannot be told apart from a leak, so it is
    left out rather than failing every build.
    """
    public: set[str] = set()
    found: dict[str, str] = {}
    for campaign in site.campaigns:
        for h in campaign.honorees:
            for key, value in h.record:
                if not isinstance(value, str):
                    continue
                if key in PRIVATE_FIELDS:
                    found.setdefault(value, f"{h.path.parent.name}/{h.path.name} {LABELS[key]}")
                elif h.published:
                    public.add(normalise(value))
    return {v: src for v, src in found.items() if normalise(v) not in public}


def notice_contacts(site: Site) -> list[str]:
    """The notice's own phones and e-mails: the only contact data allowed in output."""
    allowed: list[str] = []
    for campaign in site.campaigns:
        notice = campaign.config.notice
        if notice is not None:
            allowed.extend(notice.channels.phones)
            if notice.channels.email:
                allowed.append(notice.channels.email)
    return allowed


def check_campaign(campaign: Campaign, detector: Detector, problems: Problems) -> CampaignFacts:
    facts = CampaignFacts()
    config = campaign.config
    units = {u.name for u in config.units}
    slugs: dict[str, HonoreeSource] = {}
    ids: dict[str, HonoreeSource] = {}
    for h in campaign.honorees:
        rec = h.record
        # A record that is not published cannot break the site: its problems are warnings.
        found = problems if h.published else problems.as_warnings()
        if rec.category not in config.categories:
            found.add(
                h.path,
                h.field_line("category"),
                "类别",
                f"“{rec.category}”不是本活动的类别",
                f"请改为以下之一：{'、'.join(config.categories)}",
            )
        if units and rec.nominating_unit not in units:
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
        if h.published:
            scan_published(h, detector, problems)
    _check_seq(campaign, problems)
    reference = config.notice.start if config.notice else dt.date(config.year, 1, 1)
    check_rules(campaign, problems, reference)
    if config.notice is not None:
        facts.period, facts.columns = check_notice(campaign, problems)
    return facts


def _check_seq(campaign: Campaign, problems: Problems) -> None:
    seen: dict[int, HonoreeSource] = {}
    for h in campaign.published:
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


def resolve_photo(h: HonoreeSource, name: str, label: str, problems: Problems) -> Path | None:
    """The photo's path, if it stays inside the honouree's folder and is a real file."""
    line = h.field_line("portrait" if label == "证件照" else "photos")
    rel = Path(name)
    if rel.is_absolute() or ".." in rel.parts or "\\" in name:
        problems.add(
            h.path,
            line,
            label,
            f"照片路径“{name}”指向本人文件夹之外",
            "请把照片放进本人的文件夹，只写文件名，例如 work-1.jpg",
        )
        return None
    path = h.folder / rel
    if path.is_symlink() or any(p.is_symlink() for p in path.parents if h.folder in p.parents):
        problems.add(h.path, line, label, f"照片“{name}”是符号链接", "请把照片文件本身复制进文件夹")
        return None
    if not path.is_file():
        problems.add(
            h.path,
            line,
            label,
            f"找不到照片文件“{name}”",
            "请检查文件名（包括 .jpg 扩展名和大小写）是否与文件夹里的一致",
        )
        return None
    if path.suffix.lower() not in PHOTO_SUFFIXES:
        problems.add(h.path, line, label, f"“{name}”不是支持的图片格式", "请使用 JPG 或 PNG 照片")
        return None
    return path


def check_photos(h: HonoreeSource, problems: Problems) -> HonoreeFacts:
    facts = HonoreeFacts()
    rec = h.record
    portrait: Photo | None = rec.portrait
    if portrait is None and (h.folder / DEFAULT_PORTRAIT).is_file():
        portrait = Photo(file=DEFAULT_PORTRAIT)
    if portrait is not None:
        path = resolve_photo(h, portrait.file, "证件照", problems)
        if path is not None:
            facts.portrait = ResolvedPhoto(
                path, portrait.caption or f"{rec.name}的证件照", portrait.focus
            )
    for i, photo in enumerate(rec.photos, start=1):
        path = resolve_photo(h, photo.file, "工作照", problems)
        if not photo.caption:
            problems.add(
                h.path,
                h.field_line("photos"),
                f"工作照 第{i}项",
                f"照片“{photo.file}”缺少说明",
                "请写“说明: …”，描述照片内容（读屏软件会读出这段文字）",
            )
        elif path is not None:
            facts.photos.append(ResolvedPhoto(path, photo.caption, photo.focus))
    listed = {p.file for p in rec.photos} | ({portrait.file} if portrait else set())
    for extra in sorted(h.folder.iterdir()):
        if extra.suffix.lower() in PHOTO_SUFFIXES and extra.name not in listed:
            problems.warn(
                h.path,
                None,
                "工作照",
                f"文件夹里的“{extra.name}”没有列在“工作照”中，不会发布",
                "如需发布，请在“工作照”下添加“- 文件: … 说明: …”",
            )
    return facts


def _texts(rec: Record) -> list[tuple[str, str]]:
    """(field label, text) of everything a record publishes."""
    out: list[tuple[str, str]] = []
    for key, value in rec:
        if key in PRIVATE_FIELDS:
            continue
        label = LABELS[key]
        if isinstance(value, str):
            out.append((label, value))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    out.append((label, item))
                else:
                    out.extend((label, str(v)) for _, v in item if isinstance(v, str))
        elif isinstance(value, BaseModel):
            out.extend((label, str(v)) for _, v in value if isinstance(v, str))
    return out


def scan_published(h: HonoreeSource, detector: Detector, problems: Problems) -> None:
    for label, text in _texts(h.record):
        key = ALIASES.get(label, label)
        for f in detector.find(text):
            problems.add(h.path, h.field_line(key), label, _finding_message(f), _FIX)
    for f in detector.find(h.story):
        line = h.story_line + line_at(h.story, f.start) - 1
        problems.add(h.path, line, "事迹正文", _finding_message(f), _FIX)


_FIX = "请从公开内容中删除；身份证号、电话、地址等只能写在不公开的字段里"


def _finding_message(f: Finding) -> str:
    source = f"（来自 {f.source}）" if f.source else ""
    return f"公开内容里出现了{f.kind}“{f.masked}”{source}"


def check_notice(campaign: Campaign, problems: Problems) -> tuple[Period | None, list[str]]:
    notice = campaign.config.notice
    assert notice is not None
    notice_line = key_line(campaign.doc, CampaignConfig, "notice")
    columns: list[str] = []
    for col in notice.columns:
        key = ALIASES.get(col)
        if key is None:
            problems.add(
                campaign.path,
                notice_line,
                "公示 名单字段",
                f"未知字段“{col}”",
                "请写记录里的字段名，例如 姓名、单位及职务",
            )
        elif key in PRIVATE_FIELDS:
            problems.add(
                campaign.path,
                notice_line,
                "公示 名单字段",
                f"“{col}”是不公开字段，不能出现在公示名单里",
                "请从名单字段中删除",
            )
        else:
            columns.append(key)
    calendar = Calendar(campaign.config.calendar)
    period, problem = period_problem(
        calendar,
        notice.start,
        notice.end,
        notice.working_days,
        notice.min_working_days,
        notice.start_counts,
    )
    if problem is not None:
        key, message, fix = problem
        label = {"end": "公示 结束", "working_days": "公示 工作日数", "calendar": "日历"}[key]
        problems.add(campaign.path, notice_line, label, message, fix)
    return period, columns


POSTER_FIXED_TEXT = "长按识别二维码阅读的先进事迹“”…"


def check_poster_glyphs(site: Site, font: Path, problems: Problems) -> None:
    """Every character a poster prints must be in the font: never boxes of tofu."""
    fixed = POSTER_FIXED_TEXT + site.config.organiser
    for campaign in site.campaigns:
        for h in campaign.published:
            rec = h.record
            text = (
                fixed
                + campaign.config.title
                + rec.name
                + rec.display_unit
                + rec.category
                + rec.summary[:60]
            )
            missing = missing_glyphs(font, text)
            if missing:
                problems.add(
                    h.path,
                    h.field_line("name"),
                    "海报",
                    f"海报字体 {font.name} 缺少“{''.join(missing)}”的字形，会显示成方框",
                    "请在 site.yaml 用“海报字体: 字体文件路径”指定包含这些字的中文字体，或改用常用字",
                )
