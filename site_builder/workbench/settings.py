"""The campaign's and the site's settings as forms, so that nobody edits YAML.

The campaign form covers 活动名称, 年度, 简介, 发布日期, the 类别, the 推荐单位 with
their 名额 (an editable table; rows pasted from Excel fill it) and every rule of
``model.rules``. The site form covers site.yaml's title, organiser, address, summary,
theme and footer. A save writes only what changed, line by line as ``edit_mapping`` does
for a record, reads the file back exactly as the build does and refuses to write what
does not read; what the build would still say about the file (placeholders, the example
address) is shown beside the form after the save. Renaming a unit or a category renames
it in every record that uses it, in the same save, once the officer has seen the list.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ..checks.privacy import privacy_detector
from ..checks.site import check_one_campaign, check_site
from ..errors import Problem, Problems
from ..load.content import parse_campaign, parse_site
from ..load.text import parse_yaml
from ..model.config import CampaignConfig, Footer, SiteConfig, Unit
from ..model.fields import aliases, fields_of, labels_of
from ..model.record import Record
from ..model.rules import LevelOnly, Rules, rule_models
from ..model.source import SITE_FILE, Campaign, HonoreeSource, Site, raw_value
from ..write.atomic import atomic_write
from .edit import edit_mapping, edit_record
from .record_form import Form, digest, one, text_of, typed_date
from .response import Response
from .textfile import Pages

CAMPAIGN_KEYS = ["title", "year", "summary", "published"]
SITE_KEYS = ["title", "organiser", "base_url", "description", "theme", "posters"]
FOOTER_KEYS = ["copyright", "icp", "police", "contact"]
RULE_MODELS = rule_models()  # every rule of model.rules, with its settings model
LEVEL_LABELS = {"error": "错误", "warning": "警告"}
MAX_ROWS = 500  # units or categories in one form


def rule_params(model: type[BaseModel]) -> list[tuple[str, str]]:
    """A rule's settings besides its level: (declared name, label)."""
    return [(d.key, d.label) for d in fields_of(model) if d.key != "level"]


def rule_rows() -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """Every rule the model has: (key, label, description, its settings)."""
    return [
        (d.key, d.label, d.description, rule_params(RULE_MODELS[d.key])) for d in fields_of(Rules)
    ]


def _default(model: type[BaseModel], key: str) -> str:
    default = model.model_fields[key].default
    return "" if default is PydanticUndefined else text_of(default)


def saved_message(query: Form) -> str:
    if "deleted" in query:
        return "已移到回收站：需要时可以在“回收站”里恢复。"
    if "saved" not in query:
        return ""
    renamed = one(query, "renamed")
    also = f"{renamed} 位人选的推荐单位或类别也已一起修改。" if renamed not in ("", "0") else ""
    return "已保存。" + also


# --- the campaign ---------------------------------------------------------------------------


def campaign_values(campaign: Campaign) -> dict[str, Any]:
    config = campaign.config
    values: dict[str, Any] = {k: text_of(getattr(config, k)) for k in CAMPAIGN_KEYS}
    values["categories"] = [{"name": c, "was": c} for c in config.categories]
    values["units"] = [
        {"name": u.name, "quota": text_of(u.quota), "was": u.name} for u in config.units
    ]
    for key, model in RULE_MODELS.items():
        rule = getattr(config.rules, key) if config.rules is not None else None
        values[f"r.{key}"] = LEVEL_LABELS[rule.level] if rule is not None else ""
        for param, _ in rule_params(model):
            shown = getattr(rule, param) if rule is not None else None
            values[f"r.{key}.{param}"] = (
                text_of(shown) if rule is not None else _default(model, param)
            )
    return values


def _table(form: Form, name: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    rows = []
    for i in range(MAX_ROWS):
        if f"{name}.{i}.name" not in form:
            break
        row = {k: one(form, f"{name}.{i}.{k}").strip() for k in keys}
        if row["name"] or row.get("was"):
            rows.append(row)
    return rows


def campaign_from_form(form: Form) -> dict[str, Any]:
    values: dict[str, Any] = {k: one(form, f"c.{k}").strip() for k in CAMPAIGN_KEYS}
    values["published"] = typed_date(values["published"])
    values["categories"] = _table(form, "categories", ("name", "was"))
    values["units"] = _table(form, "units", ("name", "quota", "was"))
    for key, model in RULE_MODELS.items():
        values[f"r.{key}"] = one(form, f"r.{key}").strip()
        for param, _ in rule_params(model):
            values[f"r.{key}.{param}"] = one(form, f"r.{key}.{param}").strip()
    return values


def _number(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _rule_value(values: Mapping[str, Any], key: str) -> Any:
    level = values[f"r.{key}"]
    if level not in LEVEL_LABELS.values():
        return None
    model = RULE_MODELS[key]
    if model is LevelOnly:
        return level
    labels = labels_of(model)
    out: dict[str, Any] = {}
    for param, _ in rule_params(model):
        typed = values[f"r.{key}.{param}"]
        if typed:
            out[labels[param]] = typed if param == "badge" else _number(typed)
    out[labels["level"]] = level
    return out


def _names(rows: list[dict[str, str]], keys: tuple[str, ...]) -> list[dict[str, str]]:
    return [{k: r[k] for k in keys} for r in rows if r["name"]]


def _campaign_changes(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in CAMPAIGN_KEYS:
        if wanted[key] != current[key]:
            changes[key] = _number(wanted[key]) if key == "year" else (wanted[key] or None)
    if _names(wanted["categories"], ("name",)) != _names(current["categories"], ("name",)):
        changes["categories"] = [r["name"] for r in wanted["categories"] if r["name"]]
    if _names(wanted["units"], ("name", "quota")) != _names(current["units"], ("name", "quota")):
        unit = labels_of(Unit)
        changes["units"] = [
            {unit["name"]: r["name"]} | ({unit["quota"]: _number(r["quota"])} if r["quota"] else {})
            for r in wanted["units"]
            if r["name"]
        ]
    return changes


def _written(text: str, key: str, model_aliases: Mapping[str, str]) -> str | None:
    """How the top-level ``key`` is written in ``text`` (规则), if it is there."""
    doc = parse_yaml(text)
    for loc in doc.lines:
        if len(loc) == 1 and model_aliases.get(str(loc[0])) == key:
            return str(loc[0])
    return None


def edit_section(
    text: str, top: type[BaseModel], key: str, section: type[BaseModel] | None,
    changes: Mapping[str, Any], whole: Mapping[str, Any],
) -> str:  # fmt: skip
    """``text`` with the keys ``changes`` of the section ``key`` (规则, 页脚) set: edited in
    place where the section is written one key a line, else the whole section rewritten
    from ``whole`` (a section written on one line, or not written yet)."""
    if not changes:
        return text
    top_aliases = aliases(top)
    raw = _written(text, key, top_aliases)
    doc = parse_yaml(text)
    if raw is not None and section is not None:
        start = doc.lines[(raw,)]
        inside = [line for loc, line in doc.lines.items() if len(loc) == 2 and loc[0] == raw]
        if inside and min(inside) > start:
            return edit_mapping(text, 1, (raw,), changes, aliases(section), labels_of(section))
    labels = labels_of(section) if section is not None else {}
    value = {labels.get(k, k): v for k, v in whole.items() if v not in (None, "", [])} or None
    return edit_mapping(text, 1, (), {key: value}, top_aliases, labels_of(top))


def campaign_settings(
    bench: Pages, site: Site, campaign: Campaign, values: dict[str, Any] | None = None,
    problems: list[Problem] | None = None, message: str = "", status: int = 200,
    pending: list[tuple[str, str, str, str]] | None = None,
) -> Response:  # fmt: skip
    """The form; after a save, what the build still says about campaign.yaml beside it."""
    if problems is None:  # its campaign's problems: only it is checked
        found = Problems(display_root=bench.options.content.resolve())
        check_one_campaign(site, campaign, found)
        problems = [
            p
            for p in found
            if p.path == f"{campaign.id}/campaign.yaml" and not p.field.startswith("公示")
        ]  # fmt: skip  (the 公示's own problems are shown on its page)
    sections: dict[str, list[Problem]] = {}
    for p in problems:
        sections.setdefault(p.field.split(" ")[0], []).append(p)
    return bench.page(
        "settings.html", status, campaign=campaign, values=values or campaign_values(campaign),
        sections=sections, problems=problems, message=message, rules=rule_rows(),
        digest=digest(campaign.path.read_text("utf-8")), pending=pending or [],
        levels=list(LEVEL_LABELS.values()),
    )  # fmt: skip


def _renames(rows: list[dict[str, str]]) -> dict[str, str]:
    return {r["was"]: r["name"] for r in rows if r["was"] and r["name"] and r["was"] != r["name"]}


def _renamed_records(
    campaign: Campaign, units: dict[str, str], categories: dict[str, str]
) -> list[tuple[HonoreeSource, dict[str, str], list[tuple[str, str, str, str]]]]:
    out = []
    for h in campaign.honorees:
        changes, said = {}, []
        for key, label, renames in (
            ("nominating_unit", "推荐单位", units), ("category", "类别", categories),
        ):  # fmt: skip
            raw = raw_value(h.doc, Record, key)
            if isinstance(raw, str) and raw.strip() in renames:
                changes[key] = renames[raw.strip()]
                said.append((h.record.name, label, raw.strip(), renames[raw.strip()]))
        if changes:
            out.append((h, changes, said))
    return out


def save_campaign_settings(bench: Pages, site: Site, campaign: Campaign, form: Form) -> Response:
    text = campaign.path.read_text("utf-8")
    wanted = campaign_from_form(form)
    if one(form, "digest") != digest(text):
        return campaign_settings(
            bench, site, campaign, None, [], "保存被拒绝：打开本页之后，活动设置已被别处修改"
            "（另一个窗口或文本编辑器）。为了不覆盖那些修改，本次没有写入；下面已是现在的设置，"
            "请重新填写。", 409,
        )  # fmt: skip
    current = campaign_values(campaign)
    changes = _campaign_changes(current, wanted)
    rules = {key: _rule_value(wanted, key) for key in RULE_MODELS}
    rule_changes = {k: v for k, v in rules.items() if v != _rule_value(current, k)}
    if not changes and not rule_changes:
        return campaign_settings(bench, site, campaign, None, None, "没有改动。")
    new = edit_section(text, CampaignConfig, "rules", Rules, rule_changes, rules)
    new = edit_mapping(new, 1, (), changes, aliases(CampaignConfig), labels_of(CampaignConfig))
    found = Problems(display_root=bench.options.content.resolve())
    parse_campaign(new, campaign.path, found)
    if found.errors:
        return campaign_settings(
            bench, site, campaign, wanted, found.errors, "有错误，没有保存：请按各项下面的说明修改。",
            422,
        )  # fmt: skip
    records = _renamed_records(campaign, _renames(wanted["units"]), _renames(wanted["categories"]))
    pending = [said for _, _, s in records for said in s]
    if pending and one(form, "confirm") != "1":
        return campaign_settings(
            bench, site, campaign, wanted, [], "改名会同时修改下面这些人选的信息。请核对，"
            "无误后再按一次“保存”。", 200, pending,
        )  # fmt: skip
    bench.history.keep(campaign.path, text.encode())
    atomic_write(campaign.path, new.encode())
    for h, record_changes, _ in records:
        before = h.path.read_text("utf-8")
        bench.history.keep(h.path, before.encode())
        atomic_write(h.path, edit_record(before, record_changes).encode())
    where = f"/_admin/{campaign.id}/_settings?saved=1&renamed={len(records)}"
    return Response(303, headers={"Location": where})


# --- the site -------------------------------------------------------------------------------


def site_values(site: Site) -> dict[str, str]:
    config = site.config
    values = {k: text_of(getattr(config, k)) for k in SITE_KEYS}
    values |= {f"footer.{k}": text_of(getattr(config.footer, k)) for k in FOOTER_KEYS}
    return values


def site_from_form(form: Form) -> dict[str, str]:
    return {k: one(form, f"s.{k}").strip() for k in SITE_KEYS} | {
        f"footer.{k}": one(form, f"s.footer.{k}").strip() for k in FOOTER_KEYS
    }


def themes(bench: Pages, current: str) -> list[str]:
    here = bench.options.themes_dir
    found = {p.name for p in here.iterdir() if p.is_dir()} if here.is_dir() else set()
    return sorted(found | {"default", current})


def site_settings(
    bench: Pages, site: Site, values: dict[str, str] | None = None,
    problems: list[Problem] | None = None, message: str = "", status: int = 200,
) -> Response:  # fmt: skip
    if problems is None:
        found = Problems(display_root=bench.options.content.resolve())
        check_site(site, found, privacy_detector(site))
        problems = [p for p in found if p.path == "site.yaml"]
    values = values or site_values(site)
    return bench.page(
        "site_settings.html", status, site=site, values=values, problems=problems,
        message=message, digest=digest((site.root / SITE_FILE).read_text("utf-8")),
        themes=themes(bench, values["theme"]),
    )  # fmt: skip


def save_site_settings(bench: Pages, site: Site, form: Form) -> Response:
    path: Path = site.root / SITE_FILE
    text = path.read_text("utf-8")
    if one(form, "digest") != digest(text):
        return site_settings(
            bench, site, None, [], "保存被拒绝：打开本页之后，网站设置已被别处修改。为了不覆盖"
            "那些修改，本次没有写入；下面已是现在的设置，请重新填写。", 409,
        )  # fmt: skip
    wanted, current = site_from_form(form), site_values(site)
    changes: dict[str, Any] = {k: v or None for k in SITE_KEYS if (v := wanted[k]) != current[k]}
    if "posters" in changes:
        changes["posters"] = changes["posters"] != "否"
    footer = {k: wanted[f"footer.{k}"] or None for k in FOOTER_KEYS}
    footer_changes = {k: v for k, v in footer.items() if (v or "") != current[f"footer.{k}"]}
    whole = footer | {"police_url": site.config.footer.police_url}
    new = edit_section(text, SiteConfig, "footer", Footer, footer_changes, whole)
    new = edit_mapping(new, 1, (), changes, aliases(SiteConfig), labels_of(SiteConfig))
    if new == text:
        return site_settings(bench, site, None, None, "没有改动。")
    found = Problems(display_root=bench.options.content.resolve())
    parse_site(new, path, found)
    if found.errors:
        return site_settings(
            bench, site, wanted, found.errors, "有错误，没有保存：请按各项下面的说明修改。", 422
        )
    bench.history.keep(path, text.encode())
    atomic_write(path, new.encode())
    return Response(303, headers={"Location": "/_admin/_site?saved=1"})
