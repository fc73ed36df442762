"""The 发布 page's targets: site.yaml ``发布:`` as a form, and their passwords.

A target is added or changed in a form (kind, endpoint, bucket or host, folder …); the
list is written back into site.yaml (the other targets as the officer wrote them) and
read again exactly as ``deploy`` reads it, so a target the form accepts is one deploy
accepts. A password or AccessKey typed here goes to the operating system's credential
store (``deploy.credentials``), never into a file, and is never shown again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..deploy.credentials import keep, keep_s3, where_kept
from ..deploy.remotes import remote_kind
from ..deploy.run import warnings_for
from ..errors import Problem, Problems, UsageError
from ..load.content import parse_site
from ..model.config import SiteConfig
from ..model.fields import aliases, fields_of, labels_of
from ..model.source import SITE_FILE, Site, raw_value
from ..model.targets import AnyTarget, FolderTarget, S3Target, ServerTarget
from ..write.atomic import atomic_write
from .edit import edit_mapping
from .record_form import Form, digest, one, text_of
from .response import Response
from .textfile import Pages

# The choices of 类型, as the officer knows them, and the kind each is written as.
KINDS = {"oss": "阿里云 OSS", "cos": "腾讯云 COS", "s3": "其他 S3 兼容对象存储", "sftp": "SFTP 服务器",
         "ftp": "FTP 服务器", "ftps": "FTPS 服务器（加密的 FTP）", "folder": "文件夹（本机或共享盘）"}  # fmt: skip
WRITTEN = {"oss": "oss", "cos": "cos", "s3": "s3", "sftp": "sftp", "ftp": "ftp", "ftps": "ftps",
           "folder": "文件夹"}  # fmt: skip
MODEL: dict[str, type[BaseModel]] = {"oss": S3Target, "cos": S3Target, "s3": S3Target,
    "sftp": ServerTarget, "ftp": ServerTarget, "ftps": ServerTarget, "folder": FolderTarget}  # fmt: skip
ENDPOINTS = {"oss": "https://oss-{region}.aliyuncs.com", "cos": "https://cos.{region}.myqcloud.com"}
FORM_KEYS = ["name", "endpoint", "region", "bucket", "addressing", "host", "port", "user",
             "key_file", "prefix", "max_deletes"]  # fmt: skip


def kind_of(target: AnyTarget) -> str:
    """The form's 类型 of a target: OSS and COS told apart by their endpoints."""
    if isinstance(target, S3Target):
        endpoint = target.endpoint or ""
        return (
            "oss" if "aliyuncs.com" in endpoint else "cos" if "myqcloud.com" in endpoint else "s3"
        )
    return target.kind


def fields_for(kind: str) -> set[str]:
    return {d.key for d in fields_of(MODEL[kind])} - {"kind"}


def target_values(target: AnyTarget | None) -> dict[str, str]:
    values = dict.fromkeys(FORM_KEYS, "") | {"kind": "oss", "was": ""}
    if target is None:
        return values
    for key in FORM_KEYS:
        values[key] = text_of(getattr(target, key, None))
    return values | {"kind": kind_of(target), "was": target.name}


def rows(site: Site) -> list[dict[str, Any]]:
    """The targets as the 发布 page lists them."""
    return [
        {"target": t, "kind": KINDS[kind_of(t)], "address": remote_kind(t).address(t),
         "secret": where_kept(t), "warnings": warnings_for(t, site.config)}
        for t in site.config.deploy
    ]  # fmt: skip


def _entry(values: dict[str, str]) -> dict[str, Any]:
    """The target as site.yaml writes it: Chinese keys, only what its kind has."""
    kind = values["kind"]
    model = MODEL[kind]
    labels = labels_of(model)
    if kind in ENDPOINTS and not values["endpoint"] and values["region"]:
        values = values | {"endpoint": ENDPOINTS[kind].format(region=values["region"])}
    entry: dict[str, Any] = {labels["name"]: values["name"], labels["kind"]: WRITTEN[kind]}
    for key in FORM_KEYS[1:]:
        typed = values.get(key, "")
        if key not in fields_for(kind) or not typed:
            continue
        if key == "max_deletes" and typed == "256":
            continue
        entry[labels[key]] = (
            int(typed) if key in ("port", "max_deletes") and typed.isdigit() else typed
        )
    return entry


def _listed(site: Site) -> list[Any]:
    raw = raw_value(site.doc, SiteConfig, "deploy")
    return list(raw) if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []


def _named(entry: Any) -> str:
    if not isinstance(entry, dict):
        return ""
    return str(next((entry[k] for k in ("名称", "name") if k in entry), ""))


def show_target(
    bench: Pages, site: Site, values: dict[str, str], problems: list[Problem] | None = None,
    message: str = "", status: int = 200,
) -> Response:  # fmt: skip
    return bench.page(
        "target.html", status, values=values, kinds=KINDS, problems=problems or [],
        message=message, digest=digest((site.root / SITE_FILE).read_text("utf-8")),
        kind_fields={k: sorted(fields_for(k)) for k in KINDS}, base_url=site.config.base_url,
    )  # fmt: skip


def target_form(bench: Pages, site: Site, query: Form) -> Response:
    name = one(query, "name")
    target = next((t for t in site.config.deploy if t.name == name), None)
    return show_target(bench, site, target_values(target))


def save_target(bench: Pages, site: Site, form: Form) -> Response:
    path: Path = site.root / SITE_FILE
    text = path.read_text("utf-8")
    values = {k: one(form, f"t.{k}").strip() for k in FORM_KEYS} | {
        "kind": one(form, "t.kind"), "was": one(form, "t.was")
    }  # fmt: skip
    if values["kind"] not in KINDS:
        values["kind"] = "s3"
    if one(form, "digest") != digest(text):
        return show_target(bench, site, values, [], "保存被拒绝：打开本页之后，网站设置已被别处"
                           "修改。为了不覆盖那些修改，本次没有写入。请重新打开本页后再填。", 409)  # fmt: skip
    listed = _listed(site)
    names = [_named(e) for e in listed]
    deleting = one(form, "action") == "delete"
    if values["name"] != values["was"] and values["name"] in names:
        return show_target(
            bench,
            site,
            values,
            [],
            f"已经有名为“{values['name']}”的发布目标了，请换一个名称。",
            422,
        )
    if deleting:
        listed = [e for e in listed if _named(e) != values["was"]]
    elif values["was"] in names:
        listed[names.index(values["was"])] = _entry(values)
    else:
        listed.append(_entry(values))
    labels = labels_of(SiteConfig)
    new = edit_mapping(text, 1, (), {"deploy": listed or None}, aliases(SiteConfig), labels)
    found = Problems(display_root=bench.options.content.resolve())
    config, _ = parse_site(new, path, found)
    if found.errors or config is None:
        return show_target(bench, site, values, found.errors, "有错误，没有保存：请按提示修改。"
                           "（出于安全，密码不会回填，请重新输入。）", 422)  # fmt: skip
    bench.history.keep(path, text.encode())
    atomic_write(path, new.encode())
    if deleting:
        return Response(303, headers={"Location": "/_admin/_publish?removed=1"})
    target = next(t for t in config.deploy if t.name == values["name"])
    note = "已保存发布目标。"
    try:
        note += _keep_secrets(target, form)
    except UsageError as exc:
        note += str(exc)
    return bench.page(
        "message.html", 200, title="已保存发布目标", text=note, back="/_admin/_publish"
    )


def _keep_secrets(target: AnyTarget, form: Form) -> str:
    if isinstance(target, S3Target):
        key_id, secret = one(form, "s.key_id").strip(), one(form, "s.secret").strip()
        if key_id and secret:
            keep_s3(target, key_id, secret)
            return "AccessKey 已保存在这台电脑的系统密码保管里（不会写进任何文件）。"
        if key_id or secret:
            return "AccessKey ID 和 AccessKey Secret 要一起填写，这次没有保存密钥。"
    elif isinstance(target, ServerTarget):
        password = one(form, "s.password")
        if password:
            keep(target, password)
            return "密码已保存在这台电脑的系统密码保管里（不会写进任何文件）。"
    return ""
