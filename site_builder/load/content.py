"""Loading content/: site.yaml, each campaign's campaign.yaml and honourees' index.md.

``parse_*`` functions are pure (text in, model out, problems collected);
``load_*`` functions wrap them with the file system. Nothing here raises for a
content problem: everything goes into ``Problems``.
"""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, Problems, TextFileError, UsageError
from ..model.config import CampaignConfig, SiteConfig
from ..model.identifiers import normalise
from ..model.record import PRIVATE_FIELDS, RECORD_LABELS, SLUG_RE, STAND_INS, STATUS_VALUES, Record
from ..pages.story import plain_text, render_story
from ..pages.urls import RESERVED_CAMPAIGNS, RESERVED_SLUGS
from .text import Loc, YamlDoc, parse_yaml, placeholders, read_text, split_front_matter
from .validate import key_line, validate, validate_with_stand_ins

SITE_FILE = "site.yaml"
CAMPAIGN_FILE = "campaign.yaml"
HONOREES_DIR = "honorees"
RECORD_FILE = "index.md"


_PACKED_DOC = "_doc_pickled"


@dataclass
class HonoreeSource:
    """One honouree as loaded: the full record (private fields included) and the story."""

    folder: Path
    slug: str
    record: Record
    story: str
    story_line: int  # line of index.md where the story starts
    doc: YamlDoc
    # Fields that failed validation: ``record`` then holds stand-ins for them (so every
    # other field can still be checked) and the record is never published.
    at_fault: frozenset[str] = frozenset()
    # Problems of privacy scans already done on this record, by detector digest (the
    # record cache keeps them between builds).
    scans: dict[str, list[Problem]] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def path(self) -> Path:
        return self.folder / RECORD_FILE

    @functools.cached_property
    def draft(self) -> bool:
        """拟推荐 or 已撤销 as written: not published, so its problems are only warnings."""
        return raw_status(self.doc) in ("proposed", "withdrawn")

    @functools.cached_property
    def placeholders(self) -> list[tuple[Loc, str, int | None]]:
        """Scaffold prompts left in the record's fields (``text.placeholders``)."""
        return placeholders(self.doc)

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        """What the record's folder holds (its photos), sorted: listed once a build, and
        never kept by the record cache, since photos come and go without index.md changing."""
        try:
            return tuple(sorted(os.listdir(self.folder)))
        except OSError:
            return ()

    # The parsed YAML (its data and the line of every key) is only needed for a message
    # about this record, yet was a third of the time of loading the record cache: it is
    # pickled on its own and read back the first time it is asked for.
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("names", None)
        if "doc" in state:
            state[_PACKED_DOC] = pickle.dumps(state.pop("doc"), pickle.HIGHEST_PROTOCOL)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:
        # Only called for what is not set: ``doc`` of a record read from the cache.
        packed = self.__dict__.get(_PACKED_DOC) if name == "doc" else None
        if packed is None:
            raise AttributeError(name)
        self.doc = pickle.loads(packed)
        del self.__dict__[_PACKED_DOC]
        return self.doc

    @property
    def published(self) -> bool:
        return self.record.status == "approved" and not self.at_fault

    @functools.cached_property
    def story_html(self) -> str:
        """The story rendered and sanitised, once per build (checks and pages both use it)."""
        return render_story(self.story)

    @functools.cached_property
    def story_text(self) -> str:
        """The story as plain text, for search data and descriptions."""
        return plain_text(self.story_html)

    @functools.cached_property
    def normal_values(self) -> tuple[dict[str, str], frozenset[str]]:
        """Normal forms (``normalise``) of the record's private text values (→ field
        label) and of its other text values: what the site's privacy detector is made
        of, computed once and kept by the record cache."""
        private: dict[str, str] = {}
        public: set[str] = set()
        for key, value in self.record:
            if isinstance(value, str):
                if key in PRIVATE_FIELDS:
                    private.setdefault(normalise(value).strip(), RECORD_LABELS[key])
                else:
                    public.add(normalise(value).strip())
        return private, frozenset(public)

    def field_line(self, key: str) -> int | None:
        """The line of a record field, whichever accepted key (name or label) was written."""
        return key_line(self.doc, Record, key)


@dataclass
class Campaign:
    id: str
    folder: Path
    config: CampaignConfig
    doc: YamlDoc
    honorees: list[HonoreeSource] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.folder / CAMPAIGN_FILE

    @property
    def published(self) -> list[HonoreeSource]:
        return [h for h in self.honorees if h.published]


def honoree_order(h: HonoreeSource) -> tuple[int, str]:
    """Cards, the notice list and the summary table: by 序号, then by slug (pinyin)."""
    return (h.record.seq if h.record.seq is not None else 1_000_000, h.slug)


@dataclass
class Site:
    root: Path
    config: SiteConfig
    campaigns: list[Campaign]
    doc: YamlDoc = field(default_factory=lambda: YamlDoc(data=None))  # site.yaml, for lines


@dataclass(frozen=True)
class ParsedRecord:
    """index.md parsed: the record (stand-ins for the fields at fault), story, YAML."""

    record: Record | None
    story: str
    story_line: int
    doc: YamlDoc
    at_fault: frozenset[str] = frozenset()


def parse_record(text: str, path: Path, problems: Problems) -> ParsedRecord:
    """index.md text → the record, the story Markdown and where it starts, the parsed YAML."""
    try:
        yaml_text, body, body_line = split_front_matter(text)
    except TextFileError as exc:
        problems.add(path, exc.line, "", exc.message, exc.fix)
        return ParsedRecord(None, "", 1, YamlDoc(data=None))
    doc = parse_yaml(yaml_text, first_line=2)
    record, at_fault = validate_with_stand_ins(Record, doc, path, problems, STAND_INS)
    return ParsedRecord(record, body, body_line, doc, at_fault)


def raw_status(doc: YamlDoc) -> str | None:
    """The status as written, read without validating the rest of the record."""
    data = doc.data if isinstance(doc.data, dict) else {}
    for key in ("状态", "审定状态", "status"):
        value = data.get(key)
        if isinstance(value, str):
            return STATUS_VALUES.get(value.strip(), "unknown")
    return None


def parse_campaign(
    text: str, path: Path, problems: Problems
) -> tuple[CampaignConfig | None, YamlDoc]:
    doc = parse_yaml(text)
    return validate(CampaignConfig, doc, path, problems), doc


def parse_site(text: str, path: Path, problems: Problems) -> tuple[SiteConfig | None, YamlDoc]:
    doc = parse_yaml(text)
    return validate(SiteConfig, doc, path, problems), doc


def _read(path: Path, problems: Problems) -> str | None:
    try:
        return read_text(path)
    except TextFileError as exc:
        problems.add(path, exc.line, "", exc.message, exc.fix)
    except OSError as exc:
        problems.add(
            path, None, "", f"无法读取文件（{exc.strerror}）", "请检查文件是否存在、是否有读取权限"
        )
    return None


ReadHonoree = Callable[[Path, Problems], "HonoreeSource | None"]


def load_site(
    root: Path, problems: Problems, read_honoree: ReadHonoree | None = None
) -> Site | None:
    """Read everything under ``root``; None if site.yaml itself is unusable."""
    if not root.is_dir():
        raise UsageError(
            f"找不到内容文件夹“{root}”。请在网站项目文件夹里运行，或用 --content 指定。"
        )
    site_path = root / SITE_FILE
    if not site_path.is_file():
        raise UsageError(
            f"“{root}”里没有 {SITE_FILE}。请先运行 site-builder new site，或检查 --content。"
        )
    text = _read(site_path, problems)
    config, doc = parse_site(text, site_path, problems) if text is not None else (None, None)
    campaigns = [
        c
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        if (folder / CAMPAIGN_FILE).is_file()
        for c in [load_campaign(folder, problems, read_honoree or load_honoree)]
        if c is not None
    ]
    if config is None or doc is None:
        return None
    return Site(root, config, campaigns, doc)


def load_campaign(
    folder: Path, problems: Problems, read_honoree: ReadHonoree | None = None
) -> Campaign | None:
    path = folder / CAMPAIGN_FILE
    text = _read(path, problems)
    if text is None:
        return None
    config, doc = parse_campaign(text, path, problems)
    if config is None:
        return None
    if not SLUG_RE.match(folder.name):
        problems.add(
            folder,
            None,
            "活动文件夹",
            f"文件夹名“{folder.name}”不能用作网址",
            "只能用小写字母、数字和 -，例如 2024-jiaozuo-xinjiuye",
        )
    elif folder.name in RESERVED_CAMPAIGNS:
        problems.add(
            folder,
            None,
            "活动文件夹",
            f"“{folder.name}”是网站自己要用的名字，不能用作活动文件夹名",
            "请换一个名字，例如 2024-jiaozuo-xinjiuye",
        )
    elif config.id is not None and config.id != folder.name:
        problems.add(
            path,
            doc.lines.get(("id",)) or doc.lines.get(("编号",)),
            "编号",
            f"编号“{config.id}”与文件夹名“{folder.name}”不一致",
            "把两者改成一样，或删除“编号”这一行",
        )
    campaign = Campaign(folder.name, folder, config, doc)
    honorees_dir = folder / HONOREES_DIR
    if honorees_dir.is_dir():
        with os.scandir(honorees_dir) as entries:
            subs = sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
        for sub in subs:
            honoree = (read_honoree or load_honoree)(honorees_dir / sub, problems)
            if honoree is not None:
                campaign.honorees.append(honoree)
    return campaign


def load_honoree(folder: Path, problems: Problems) -> HonoreeSource | None:
    path = folder / RECORD_FILE
    if path.is_symlink():
        problems.add(path, None, "", "不允许使用符号链接", "请把文件本身放进文件夹")
        return None
    if not path.is_file():
        problems.add(
            folder, None, "", f"文件夹里没有 {RECORD_FILE}", "每位人选的文件夹里都要有 index.md"
        )
        return None
    text = _read(path, problems)
    if text is None:
        return None
    found = Problems(problems.display_root)
    parsed = parse_record(text, path, found)
    record = parsed.record
    # A draft (拟推荐, 已撤销) with missing or wrong fields cannot break the site: it is
    # not published, so its problems are warnings until someone approves it.
    draft = raw_status(parsed.doc) in ("proposed", "withdrawn")
    (problems.as_warnings() if draft and found.errors else problems).merge(found)
    if record is None:
        return None
    slug = record.slug or folder.name
    if slug in RESERVED_SLUGS:
        problems.add(
            path,
            None,
            "网址名",
            f"“{slug}”是本活动公示页的网址，不能用作人选的网址名",
            "请把文件夹改名（例如加上姓名拼音），或在 index.md 里写“网址名: …”",
        )
    elif record.slug is None and not SLUG_RE.match(folder.name):
        problems.add(
            folder,
            None,
            "文件夹名",
            f"文件夹名“{folder.name}”不能用作网址",
            "请改为拼音（小写字母、数字和 -），或在 index.md 里写“网址名: …”",
        )
    return HonoreeSource(
        folder, slug, record, parsed.story, parsed.story_line, parsed.doc, parsed.at_fault
    )
