"""What templates receive: public views built field by field from the records.

Privacy by construction: ``PublicHonoree`` has no attribute for any
private field, so a theme cannot print what it was never given. Fields of the
``notice`` class reach only the notice table (``NoticeRow``), and only the columns
the campaign lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..checks.site import CampaignFacts
from ..media.images import ImageStore, Picture, Rendition
from ..model import urls
from ..model.config import Channels, SiteConfig, Submission
from ..model.dates import YearMonth, chinese_date, chinese_period
from ..model.record import RECORD_LABELS, STATUS_LABELS, Honour, MediaItem, Record, parse_focus
from ..model.source import Campaign, HonoreeSource, honoree_order
from ..model.story import first_sentence, render_story


@dataclass(frozen=True)
class PublicPhoto:
    picture: Picture
    caption: str


@dataclass(frozen=True)
class PublicHonoree:
    slug: str
    url: str  # relative to the site root: "2024-demo/li-ming/"
    seq: int | None
    name: str
    gender: str
    ethnicity: str | None
    political_status: str | None
    unit: str  # 单位及职务, or 工作单位 + 职务
    professional_title: str | None
    skill_level: str | None
    category: str
    nominating_unit: str
    honours: tuple[Honour, ...]
    media: tuple[MediaItem, ...]
    summary: str
    tagline: str  # one line for cards and share descriptions
    story_html: str
    story_text: str  # plain text, for search
    badges: tuple[str, ...]
    portrait: Picture | None
    photos: tuple[PublicPhoto, ...]
    poster: Rendition | None  # 1080×1920 for WeChat Moments
    cover: Rendition | None  # 900×383 article cover
    square: Rendition | None  # 500×500: the 1:1 cover, the face and the full name


@dataclass(frozen=True)
class NoticeRow:
    cells: tuple[str, ...]


@dataclass(frozen=True)
class PublicNotice:
    url: str
    title: str
    intro: str
    start: dt.date
    end: dt.date
    working_days: int
    workdays: tuple[str, ...]  # ISO dates, for the live status in the reader's browser
    period_text: str  # 2024年3月28日至4月3日（5个工作日）
    headers: tuple[str, ...]
    rows: tuple[NoticeRow, ...]
    channels: Channels
    rules: tuple[str, ...]
    issuers: tuple[str, ...]
    issued: str


@dataclass(frozen=True)
class PublicCall:
    """The call for nominations as its page shows it (征集通知)."""

    url: str
    title: str
    doc_number: str | None
    body_html: str  # the notice's Markdown, rendered and sanitised as a story is
    deadline: dt.date
    deadline_text: str
    submission: Submission
    quotas: tuple[tuple[str, int | None], ...]
    issuers: tuple[str, ...]
    issued: str | None
    forms: tuple[tuple[str, str], ...]  # (label, path below the site root) of the blank forms


@dataclass(frozen=True)
class PublicCampaign:
    id: str
    url: str
    title: str
    year: int
    summary: str | None
    published: dt.date
    categories: tuple[str, ...]
    units: tuple[str, ...]
    honorees: tuple[PublicHonoree, ...]
    notice: PublicNotice | None
    call: PublicCall | None = None


DEFAULT_RULES = (
    "对公示人选有异议的，可在公示期内通过电话、电子邮件、信函或来访等方式向受理部门反映。",
    "以单位名义反映的，应加盖单位公章；以个人名义反映的，应签署或告知本人真实姓名，并留下联系方式。",
    "反映问题应实事求是、具体翔实，并提供必要的事实依据或线索；不得捏造事实、诬告陷害。",
    "对反映人和反映的情况严格保密。",
    "信函以寄出的邮戳日期为准，电子邮件以发送时间为准，均须在公示期内。",
)


def public_honoree(
    h: HonoreeSource, campaign: Campaign, facts: CampaignFacts, site: SiteConfig, images: ImageStore
) -> PublicHonoree:
    rec = h.record
    url = urls.profile(campaign.id, h.slug)
    media = urls.media(url)
    hf = facts.honorees.get(h.slug)
    portrait = None
    photos: list[PublicPhoto] = []
    focus = None
    if hf is not None and hf.portrait is not None:
        focus = parse_focus(hf.portrait.focus) if hf.portrait.focus else None
        portrait = images.picture(
            hf.portrait.source, hf.portrait.caption, "portrait", media, "portrait", focus
        )
    if hf is not None:
        for i, photo in enumerate(hf.photos, start=1):
            picture = images.picture(photo.source, photo.caption, "work", media, f"photo-{i}")
            if picture is not None:
                photos.append(PublicPhoto(picture, photo.caption))
    story_html = h.story_html
    tagline = first_sentence(rec.summary)
    texts = {
        "name": rec.name,
        "unit": rec.display_unit,
        "category": rec.category,
        "line": tagline,
        "campaign": campaign.config.title,
        "organiser": site.organiser,
        "url": site.base_url + url,
    }
    source = hf.portrait.source if hf is not None and hf.portrait is not None else None
    poster = images.poster("moments", texts, source, focus, media, h.path)
    cover = images.poster("cover", texts, source, focus, media, h.path)
    square = images.poster("square", texts, source, focus, media, h.path)
    return PublicHonoree(
        slug=h.slug,
        url=url,
        seq=rec.seq,
        name=rec.name,
        gender=rec.gender,
        ethnicity=rec.ethnicity,
        political_status=rec.political_status,
        unit=rec.display_unit,
        professional_title=rec.professional_title,
        skill_level=rec.skill_level,
        category=rec.category,
        nominating_unit=rec.nominating_unit,
        honours=tuple(rec.honours),
        media=tuple(rec.media),
        summary=rec.summary,
        tagline=tagline,
        story_html=story_html,
        story_text=h.story_text,
        badges=tuple(rec.badges),
        portrait=portrait,
        photos=tuple(photos),
        poster=poster,
        square=square,
        cover=cover,
    )


def notice_cell(record: Record, key: str) -> str:
    """A record's value as a 公示 list shows it (public fields only: the caller's columns)."""
    if key == "unit_position":
        return record.display_unit
    if key == "status":
        return STATUS_LABELS[record.status]
    value = getattr(record, key)
    if value is None:
        return ""
    if isinstance(value, YearMonth):
        return str(value)
    if isinstance(value, list):
        return "；".join(getattr(v, "title", str(v)) for v in value)
    return str(value)


def _lower_levels(campaign: Campaign) -> str:
    """The sentence the city's 公示 may say when the campaign asks for 三级公示 and every
    nominee's 所在单位 and 县级 公示 are recorded (the check has said whether they hold)."""
    rules = campaign.config.rules
    people = campaign.public_honorees
    if rules is None or rules.three_levels is None or not people:
        return ""
    if any(h.record.unit_notice is None or h.record.county_notice is None for h in people):
        return ""
    return "上述人选均已经所在单位和县级公示。"


def public_notice(
    campaign: Campaign, facts: CampaignFacts, site: SiteConfig
) -> PublicNotice | None:
    notice = campaign.config.notice
    if notice is None or facts.period is None:
        return None
    period = facts.period
    ordered = sorted(campaign.public_honorees, key=honoree_order)
    if notice.order == "unit":
        ordered = sorted(campaign.public_honorees, key=lambda h: (h.record.nominating_unit, h.slug))
    rows = []
    for i, h in enumerate(ordered, start=1):
        cells = [str(i) if key == "seq" else notice_cell(h.record, key) for key in facts.columns]
        rows.append(NoticeRow(tuple(cells)))
    title = notice.title or f"关于{campaign.config.title}拟表彰人选的公示"
    intro = notice.intro or (
        f"经各单位推荐、{site.organiser}审核，现将{campaign.config.title}拟表彰人选"
        f"（共{len(rows)}人）予以公示，接受社会监督。"
    ) + _lower_levels(campaign)
    return PublicNotice(
        url=urls.notice(campaign.id),
        title=title,
        intro=intro,
        start=period.start,
        end=period.end,
        working_days=period.working_days,
        workdays=tuple(d.isoformat() for d in period.workdays),
        period_text=f"{chinese_period(period.start, period.end)}（{period.working_days}个工作日）",
        headers=tuple(RECORD_LABELS[key] for key in facts.columns),
        rows=tuple(rows),
        channels=notice.channels,
        rules=tuple(notice.rules) or DEFAULT_RULES,
        issuers=tuple(notice.issuers),
        issued=chinese_date(notice.issued),
    )


# The call's blank forms: (label, file name in the call's folder, maker in forms.blank).
CALL_FORMS = (
    ("附件1：推荐表（Word）", "tuijianbiao.docx", "blank_form"),
    ("附件2：推荐汇总表（Excel）", "tuijian-huizongbiao.xlsx", "summary_template"),
    ("附件3：推荐名额分配表（Excel）", "minge-fenpeibiao.xlsx", "quota_table"),
)


def public_call(campaign: Campaign, site: SiteConfig) -> PublicCall | None:
    call = campaign.config.call
    if call is None:
        return None
    url = urls.call(campaign.id)
    units = campaign.config.units
    forms = [(label, url + name) for label, name, _ in CALL_FORMS if units or "minge" not in name]
    forms += [("征集海报（手机，1080×1920）", url + "poster-1080x1920.png"),
              ("征集海报（A4，张贴用）", url + "poster-a4.pdf")]  # fmt: skip
    return PublicCall(
        url=url,
        title=call.title or f"关于开展{campaign.config.title}推荐工作的通知",
        doc_number=call.doc_number,
        body_html=render_story(call.notice, top=2),  # right under the page's <h1>
        deadline=call.deadline,
        deadline_text=chinese_date(call.deadline),
        submission=call.submission,
        quotas=tuple((u.name, u.quota) for u in units),
        issuers=tuple(call.issuers) or (site.organiser,),
        issued=chinese_date(call.issued) if call.issued else None,
        forms=tuple(forms),
    )


def public_campaign(
    campaign: Campaign, facts: CampaignFacts, site: SiteConfig, images: ImageStore
) -> PublicCampaign:
    config = campaign.config
    honorees = tuple(
        public_honoree(h, campaign, facts, site, images)
        for h in sorted(campaign.public_honorees, key=honoree_order)
    )
    notice = public_notice(campaign, facts, site)
    published = config.published or (
        config.notice.start if config.notice else dt.date(config.year, 1, 1)
    )
    units = tuple(u.name for u in config.units) or tuple(
        sorted({h.nominating_unit for h in honorees})
    )
    return PublicCampaign(
        id=campaign.id,
        url=urls.campaign(campaign.id),
        title=config.title,
        year=config.year,
        summary=config.summary,
        published=published,
        categories=tuple(config.categories),
        units=tuple(u for u in units if any(h.nominating_unit == u for h in honorees)),
        honorees=honorees,
        notice=notice,
        call=public_call(campaign, site),
    )
