"""Loading content/: site.yaml, each campaign's campaign.yaml and honourees' index.md.

``parse_*`` functions are pure (text in, model out, problems collected);
``load_*`` functions wrap them with the file system. Nothing here raises for a
content problem: everything goes into ``Problems``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems, TextFileError, UsageError
from ..model.config import CampaignConfig, SiteConfig
from ..model.record import SLUG_RE, STAND_INS, Record
from ..model.source import (
    CAMPAIGN_FILE,
    HONOREES_DIR,
    RECORD_FILE,
    SITE_FILE,
    Campaign,
    HonoreeSource,
    Site,
    YamlDoc,
    raw_status,
)
from ..model.urls import RESERVED_CAMPAIGNS, RESERVED_SLUGS
from .text import parse_yaml, read_text, split_front_matter
from .validate import validate, validate_with_stand_ins


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
    text = None if leaves(site_path, root, problems) else _read(site_path, problems)
    config, doc = parse_site(text, site_path, problems) if text is not None else (None, None)
    campaigns = [
        c
        for folder in _folders(root, CAMPAIGN_FILE, problems, marked_only=True)
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
    text = None if leaves(path, folder, problems) else _read(path, problems)
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
    config = _call_from_file(folder, config, doc, problems)
    campaign = Campaign(folder.name, folder, config, doc)
    honorees_dir = folder / HONOREES_DIR
    if honorees_dir.is_dir() and not leaves(honorees_dir, folder, problems):
        for sub in _folders(honorees_dir, RECORD_FILE, problems):
            honoree = (read_honoree or load_honoree)(sub, problems)
            if honoree is not None:
                campaign.honorees.append(honoree)
    return campaign


def _call_from_file(
    folder: Path, config: CampaignConfig, doc: YamlDoc, problems: Problems
) -> CampaignConfig:
    """征集's 通知 may name a .md file in the campaign's own folder: its text, read here
    (never a file elsewhere, nor a link out of the folder)."""
    call = config.call
    if call is None or not re.fullmatch(r"[^/\\\s]+\.md", call.notice.strip()):
        return config
    path = folder / call.notice.strip()
    line = doc.lines.get(("征集", "通知")) or doc.lines.get(("征集",))
    if not path.is_file():
        problems.add(
            folder / CAMPAIGN_FILE, line, "征集 通知", f"找不到通知文件“{call.notice.strip()}”",
            "请把通知的 .md 文件放在活动文件夹里，或在这里直接写通知正文",
        )  # fmt: skip
        return config
    text = None if leaves(path, folder, problems) else _read(path, problems)
    if text is None:
        return config
    return config.model_copy(update={"call": call.model_copy(update={"notice": text.strip()})})


def leaves(path: Path, root: Path, problems: Problems) -> bool:
    """Whether ``path`` is a link that leads out of ``root`` (said as a problem): nothing
    outside content/ is ever read into a site, whatever a link there points at."""
    if not path.is_symlink():
        return False
    target = Path(os.path.realpath(path))
    if target.is_relative_to(Path(os.path.realpath(root))):
        return False
    problems.add(
        path,
        None,
        "",
        f"“{path.name}”是一个链接，指向内容文件夹之外（{target}）",
        "不会读取内容文件夹之外的任何文件：请把文件或文件夹本身复制进来，再删除这个链接",
    )
    return True


def _folders(
    parent: Path, marker: str, problems: Problems, marked_only: bool = False
) -> list[Path]:
    """The folders of ``parent``, sorted (with ``marked_only``, those holding ``marker``: a
    campaign's campaign.yaml); links out of the tree are refused, and a folder whose name
    starts with a dot ("...", ".2024") but holds ``marker`` is named instead of silently
    left out."""
    found = []
    with os.scandir(parent) as entries:  # a link is known from the listing: no lstat
        names = sorted((e.name, e.is_symlink()) for e in entries if e.is_dir())
    for name, linked in names:
        folder = parent / name
        if name.startswith("."):
            if (folder / marker).is_file():
                problems.add(
                    folder,
                    None,
                    "文件夹名",
                    f"文件夹“{name}”以点开头，会被当作隐藏文件夹，里面的内容没有读取",
                    "请改用拼音（小写字母、数字和 -），例如 2024-jiaozuo-xinjiuye",
                )
            continue
        if marked_only and not (folder / marker).is_file():
            continue  # not a campaign: some other folder of the officer's
        if not (linked and leaves(folder, parent, problems)):
            found.append(folder)
    return found


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
