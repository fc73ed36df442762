"""``site-builder import``: the forms the officer receives, into honouree folders.

Import is a dry run unless ``--write``: it lists the folders it would create. A person
already in the campaign (same ID number, or same name and unit) keeps their folder
and slug; their record is only replaced with ``--force``. Imported records start as
拟推荐, so nothing is published before the officer approves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problems, TextFileError, UsageError
from ..load.content import load_campaign
from ..load.text import parse_yaml, read_text, split_front_matter
from ..model.identifiers import normalise
from ..model.record import RECORD_ALIASES
from ..model.source import CAMPAIGN_FILE, HONOREES_DIR, RECORD_FILE, Campaign
from .intake import Intake, Unreadable, read_file
from .slugs import assign_slugs, slug_candidates


@dataclass
class Planned:
    intake: Intake
    slug: str
    action: str  # "新建" | "覆盖" | "已存在，跳过"


def _key(name: str, unit: str) -> tuple[str, str]:
    return ("".join(name.split()), unit)


def existing_people(campaign: Campaign) -> dict[str, tuple[str, str, str]]:
    """Folder → (name, unit, ID number) as written, read leniently: drafts may be incomplete."""
    known = RECORD_ALIASES
    out: dict[str, tuple[str, str, str]] = {}
    folders = campaign.folder / HONOREES_DIR
    for folder in sorted(folders.iterdir()) if folders.is_dir() else []:
        if not folder.is_dir():
            continue
        fields: dict[str, str] = {}
        try:
            yaml_text, _, _ = split_front_matter(read_text(folder / RECORD_FILE))
            data = parse_yaml(yaml_text).data
        except (OSError, TextFileError):
            data = None
        if isinstance(data, dict):
            fields = {known[k]: str(v) for k, v in data.items() if k in known and v is not None}
        out[folder.name] = (
            fields.get("name", ""),
            fields.get("nominating_unit", ""),
            fields.get("id_number", ""),
        )
    return out


def plan_import(campaign: Campaign, people: Sequence[Intake], force: bool) -> list[Planned]:
    """Where each person goes: the folder they already have, or a new stable slug."""
    existing = existing_people(campaign)
    by_person = {_key(name, unit): slug for slug, (name, unit, _) in existing.items() if name}
    by_id = {normalise(i).upper(): slug for slug, (_, _, i) in existing.items() if i}
    matched: dict[int, str] = {}
    for i, person in enumerate(people):
        id_number = normalise(str(person.fields.get("身份证号", ""))).upper()
        slug = (by_id.get(id_number) if id_number else None) or by_person.get(
            _key(person.name, person.unit)
        )
        if slug is None:  # a folder whose record cannot be read: its name still says who it is
            slug = next(
                (s for s in slug_candidates(person.name, person.unit) if s in existing), None
            )
        if slug:
            matched[i] = slug
    fresh = [(p.name, p.unit) for i, p in enumerate(people) if i not in matched]
    slugs = assign_slugs(fresh, existing)
    plan = []
    for i, person in enumerate(people):
        if i in matched:
            plan.append(Planned(person, matched[i], "覆盖" if force else "已存在，跳过"))
        else:
            plan.append(Planned(person, slugs[(person.name, person.unit)], "新建"))
    return plan


def front_matter(intake: Intake, photo_names: list[str]) -> str:
    fields = dict(intake.fields)
    fields["状态"] = "拟推荐"
    if photo_names:
        fields["证件照"] = {"文件": photo_names[0]}
    if len(photo_names) > 1:
        fields["工作照"] = [{"文件": name, "说明": ""} for name in photo_names[1:]]
    body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    note = f"# 由 site-builder import 从 {intake.source} 导入；请核对后把状态改为“已审定”。工作照请补写说明。\n"
    return f"---\n{note}{body}---\n"


def write_import(campaign: Campaign, plan: Sequence[Planned]) -> list[Path]:
    written = []
    for item in plan:
        if item.action == "已存在，跳过":
            continue
        folder = campaign.folder / HONOREES_DIR / item.slug
        folder.mkdir(parents=True, exist_ok=True)
        names = []
        for i, (suffix, data) in enumerate(item.intake.photos):
            name = f"portrait{suffix}" if i == 0 else f"work-{i}{suffix}"
            (folder / name).write_bytes(data)
            names.append(name)
        (folder / RECORD_FILE).write_text(front_matter(item.intake, names), "utf-8")
        written.append(folder / RECORD_FILE)
    return written


def run_import(
    content: Path, campaign_id: str, files: Sequence[Path], write: bool, force: bool, unit: str = ""
) -> tuple[list[Planned], list[Unreadable], list[Path]]:
    campaign = open_campaign(content, campaign_id)
    people: list[Intake] = []
    notes: list[Unreadable] = []
    for path in files:
        if not path.is_file():
            raise UsageError(f"找不到文件“{path}”。")
        found, unreadable = read_file(path)
        for person in found:
            if unit and not person.unit:
                person.fields["推荐单位"] = unit
        people.extend(found)
        notes.extend(unreadable)
    plan = plan_import(campaign, people, force)
    written = write_import(campaign, plan) if write else []
    return plan, notes, written


def open_campaign(content: Path, campaign_id: str) -> Campaign:
    """One campaign read on its own, for import and export; its settings must be valid."""
    folder = content / campaign_id
    if not (folder / CAMPAIGN_FILE).is_file():
        raise UsageError(f"找不到活动“{campaign_id}”（{folder / CAMPAIGN_FILE} 不存在）。")
    problems = Problems(display_root=Path.cwd())
    campaign = load_campaign(folder, problems)
    if campaign is None:
        raise UsageError(
            "活动设置有错误，请先运行 site-builder check 修正：\n"
            + "\n".join(map(str, problems.errors))
        )
    return campaign
