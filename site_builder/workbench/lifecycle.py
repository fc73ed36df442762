"""Deleting, restoring and copying: what the officer does to whole records and campaigns.

Nothing is deleted: a record's or a campaign's folder is moved, with its photos, into
``回收站/`` beside content/ (outside content/, so the build never reads it) with a note
of where it came from, and 恢复 moves it back. 复制为下一年 starts next year's campaign
from this one's settings (categories, units, quotas, rules), without its people, its
征集 and 公示 (this year's dates) or its 发布日期. 序号 sets the order of people on the 公示 and the cards.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..errors import UsageError
from ..forms.scaffold import check_campaign_id
from ..model.config import CampaignConfig
from ..model.fields import aliases, labels_of
from ..model.record import STATUS_LABELS
from ..model.source import CAMPAIGN_FILE, HONOREES_DIR, SITE_FILE, Campaign, HonoreeSource, Site
from ..options import BuildOptions
from ..write.atomic import atomic_write
from .edit import edit_mapping, edit_record
from .history import History
from .record_form import Form, digest, one
from .response import Response

TRASH = "回收站"
NOTE = "来源.json"  # in each trashed folder: what it was and where it came from


@dataclass(frozen=True)
class Trashed:
    folder: Path  # 回收站/<when>-<what>
    kind: str  # "honoree" or "campaign"
    name: str  # the person's name or the campaign's title
    original: str  # path below content/
    when: str  # "2026-12-01 14:05"


def trash_root(content: Path) -> Path:
    return content.resolve().parent / TRASH


def _move_to_trash(content: Path, folder: Path, kind: str, name: str) -> Path:
    root = trash_root(content)
    now = dt.datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    original = folder.resolve().relative_to(content.resolve()).as_posix()
    place = root / f"{stamp}-{original.replace('/', '-')}"[:120]
    place.mkdir(parents=True)
    shutil.move(str(folder), str(place / folder.name))
    note = {
        "kind": kind,
        "name": name,
        "original": original,
        "when": now.strftime("%Y-%m-%d %H:%M"),
    }
    atomic_write(place / NOTE, json.dumps(note, ensure_ascii=False, indent=1).encode())
    return place


def trash_honoree(content: Path, h: HonoreeSource) -> Path:
    return _move_to_trash(content, h.folder, "honoree", h.record.name)


def trash_campaign(content: Path, campaign: Campaign) -> Path:
    return _move_to_trash(content, campaign.folder, "campaign", campaign.config.title)


def trashed(content: Path) -> list[Trashed]:
    """What is in the 回收站, newest first; folders without a readable note are left out."""
    root = trash_root(content)
    found = []
    for place in sorted(root.iterdir(), reverse=True) if root.is_dir() else []:
        try:
            note = json.loads((place / NOTE).read_text("utf-8"))
            found.append(Trashed(place, note["kind"], note["name"], note["original"], note["when"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def restore(content: Path, name: str) -> str:
    """Move the trashed folder ``name`` back; the message to show. Refused when its place
    is taken again (a new record under the same name) or its campaign is gone."""
    item = next((t for t in trashed(content) if t.folder.name == name), None)
    if item is None:
        raise UsageError("回收站里没有这一项（可能已经恢复过）。")
    target = content / item.original
    if target.exists():
        raise UsageError(
            f"原来的位置已有同名的{'人选' if item.kind == 'honoree' else '活动'}，没有恢复。请先把那一项改名或删除。"
        )
    if item.kind == "honoree" and not (target.parent.parent / CAMPAIGN_FILE).is_file():
        raise UsageError("这位人选所在的活动已不在了：请先恢复那个活动。")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(item.folder / Path(item.original).name), str(target))
    shutil.rmtree(item.folder, ignore_errors=True)
    return f"已恢复：{item.name}。"


def copy_campaign(content: Path, campaign: Campaign, new_id: str) -> Path:
    """A new campaign folder with this one's settings for the next year."""
    check_campaign_id(new_id)
    folder = content / new_id
    if folder.exists():
        raise UsageError(f"已经有编号为“{new_id}”的活动了，请换一个编号。")
    year = campaign.config.year
    text = campaign.path.read_text("utf-8")
    changes: dict[str, object] = {
        "year": year + 1,
        "notice": None,
        "call": None,
        "published": None,
        "id": None,
    }
    for key in ("title", "summary"):
        value = getattr(campaign.config, key)
        if value and str(year) in value:
            changes[key] = value.replace(str(year), str(year + 1))
    new = edit_mapping(text, 1, (), changes, aliases(CampaignConfig), labels_of(CampaignConfig))
    (folder / HONOREES_DIR).mkdir(parents=True)
    atomic_write(folder / CAMPAIGN_FILE, new.encode())
    return folder


def save_order(history: History, campaign: Campaign, form: Form) -> tuple[int, list[str]]:
    """序号 from the campaign page: (records changed, names refused as changed meanwhile
    or not a whole number)."""
    changed, refused = 0, []
    for h in campaign.honorees:
        typed = one(form, f"seq.{h.folder.name}").strip()
        if f"seq.{h.folder.name}" not in form:
            continue
        current = "" if h.record.seq is None else str(h.record.seq)
        if typed == current:
            continue
        if typed and not re.fullmatch(r"[0-9]{1,6}", typed):
            refused.append(h.record.name)
            continue
        text = h.path.read_text("utf-8")
        if one(form, f"digest.{h.folder.name}") != digest(text):
            refused.append(h.record.name)
            continue
        history.keep(h.path, text.encode())
        atomic_write(h.path, edit_record(text, {"seq": int(typed) if typed else None}).encode())
        changed += 1
    return changed, refused


# --- the pages and actions ----------------------------------------------------------------


class Pages(Protocol):
    options: BuildOptions
    history: History

    def page(self, template: str, status: int, **context: Any) -> Response: ...


def _go(where: str) -> Response:
    return Response(303, headers={"Location": where})


def delete_honoree(bench: Pages, campaign: Campaign, h: HonoreeSource) -> Response:
    trash_honoree(bench.options.content, h)
    return _go(f"/_admin/{campaign.id}/?deleted=1")


def delete_campaign(bench: Pages, campaign: Campaign, form: Form) -> Response:
    if one(form, "confirm") != campaign.id:
        return bench.page(
            "message.html", 400, title="没有删除活动",
            text="请勾选“确认删除整个活动”后再按“删除活动”。", back=f"/_admin/{campaign.id}/",
        )  # fmt: skip
    trash_campaign(bench.options.content, campaign)
    return _go("/_admin/?deleted=1")


def trash_page(bench: Pages, message: str = "", status: int = 200) -> Response:
    return bench.page(
        "trash.html", status, items=trashed(bench.options.content), message=message,
        where=str(trash_root(bench.options.content)),
    )  # fmt: skip


def restore_item(bench: Pages, form: Form) -> Response:
    try:
        note = restore(bench.options.content, one(form, "item"))
    except UsageError as exc:
        return trash_page(bench, str(exc), 409)
    return trash_page(bench, note)


def copy(bench: Pages, campaign: Campaign, form: Form) -> Response:
    try:
        folder = copy_campaign(bench.options.content, campaign, one(form, "id").strip())
    except UsageError as exc:
        return bench.page(
            "message.html", 400, title="没有复制活动", text=str(exc), back=f"/_admin/{campaign.id}/"
        )
    return _go(f"/_admin/{folder.name}/_settings")


def order(bench: Pages, campaign: Campaign, form: Form) -> Response:
    changed, refused = save_order(bench.history, campaign, form)
    note = f"已更新 {changed} 位人选的序号。"
    if refused:
        note += f"{'、'.join(refused)}没有改：序号要写整数，或者文件在打开本页后被修改过，请刷新后再试。"
    return bench.page(
        "message.html", 200, title="已更新序号", text=note, back=f"/_admin/{campaign.id}/"
    )


def _labels(site: Site) -> dict[str, str]:
    """Each content file the workbench saves, as the officer knows it."""
    labels = {SITE_FILE: "网站设置（site.yaml）"}
    for c in site.campaigns:
        labels[f"{c.id}/{CAMPAIGN_FILE}"] = f"活动设置：{c.config.title}"
        for h in c.honorees:
            labels[h.path.relative_to(site.root).as_posix()] = (
                f"人选：{h.record.name}（{c.config.title}）"
            )
    return labels


def history_page(bench: Pages, site: Site, message: str = "", status: int = 200) -> Response:
    labels = _labels(site)
    rows = [(v, labels.get(v.rel, v.rel)) for v in bench.history.versions()]
    return bench.page("history.html", status, rows=rows, message=message)


def restore_version(bench: Pages, site: Site, form: Form) -> Response:
    rel, name = one(form, "file"), one(form, "version")
    restored = bench.history.restore(rel, name)
    if restored is None:
        return history_page(
            bench, site, "没有恢复：找不到这个版本，或者这位人选已被删除（请先从回收站恢复）。", 404
        )
    label = _labels(site).get(rel, rel)
    return history_page(
        bench, site, f"已恢复 {label} 在这个时间之前的内容。恢复前的内容也已保留在列表里。"
    )


def bulk_status(bench: Pages, campaign: Campaign, form: Form) -> Response:
    status = one(form, "status")
    if status not in STATUS_LABELS.values():
        return bench.page("message.html", 400, title="没有选择状态", text="")
    changed, refused = 0, []
    for slug in form.get("select", []):
        h = next((x for x in campaign.honorees if x.folder.name == slug), None)
        if h is None:
            continue
        text = h.path.read_text("utf-8")
        if one(form, f"digest.{slug}") != digest(text):
            refused.append(h.record.name)
            continue
        new = edit_record(text, {"status": status})
        if new != text:
            bench.history.keep(h.path, text.encode())
            atomic_write(h.path, new.encode())
            changed += 1
    note = f"已把 {changed} 位人选的状态改为“{status}”。"
    if refused:
        note += f"{'、'.join(refused)}的文件在打开本页后被修改过，没有改动，请刷新后再试。"
    return bench.page(
        "message.html", 200, title="已更新状态", text=note, back=f"/_admin/{campaign.id}/"
    )
