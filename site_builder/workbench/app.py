"""工作台 pages and actions, independent of the HTTP server that carries them.

``handle`` takes a request (method, path below /_admin/, form fields, the request's
Origin) and gives a response. What it shows and checks comes from the same functions as
the CLI: ``load_site`` and ``check_site`` for the records and their problems (in the
same words as ``check``), ``edit_record`` for writing. Every state-changing request
needs this session's token and a same-origin ``Origin``; anything else gets 403 and
changes nothing. Paths from requests are only ever campaign ids and slugs of records
that were loaded, so no request can name a file outside content/.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import shutil
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..checks.privacy import privacy_detector
from ..checks.site import check_site
from ..errors import ContentError, Problem, Problems, UsageError
from ..forms.export import export
from ..forms.importing import run_import
from ..forms.scaffold import new_campaign, new_honoree
from ..load.content import Campaign, HonoreeSource, Site, honoree_order, load_site, parse_record
from ..model.fields import Declared, fields_of
from ..model.record import RECORD_ALIASES, STATUS_LABELS, Honour, MediaItem, Record
from ..options import BuildOptions
from ..pages.story import render_story
from ..pipeline import build
from ..write.atomic import atomic_write
from ..write.output import write_zip
from .edit import edit_record

Form = Mapping[str, list[str]]
Files = Mapping[str, list[tuple[str, bytes]]]  # field → (file name, bytes) of each upload
IMPORTABLE = {".xlsx", ".docx"}
MAX_UPLOAD_BYTES = 20_000_000
HONOUR_KEYS = ("year", "title", "awarded_by")
MEDIA_KEYS = ("outlet", "title", "date", "url")
EXTRA_ROWS = 2
# Fields shown elsewhere on the record page or not edited by a form control.
NOT_IN_FORM = {"portrait", "photos", "honours", "media", "badges"}


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Workbench:
    options: BuildOptions
    token: str
    origins: set[str]  # "http://127.0.0.1:8000": the only origins allowed to change anything

    def __post_init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("site_builder", "workbench/templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # --- requests -------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        form: Form,
        origin: str | None,
        query: Form | None = None,
        files: Files | None = None,
    ) -> Response:
        parts = [p for p in path.split("/") if p]
        if method == "POST" and not self._allowed(form, origin):
            return self._page(
                "message.html",
                403,
                title="请求被拒绝",
                text="这个请求不是从本机的工作台发出的，没有做任何改动。",
            )
        problems = Problems(display_root=self.options.content.resolve())
        site = load_site(self.options.content, problems)
        if site is None:
            return self._page(
                "message.html",
                200,
                title="网站设置有错误",
                text="请先修正 site.yaml：",
                problems=problems.errors,
            )
        if not parts:
            return self._page("home.html", 200, site=site)
        if parts == ["_build"] and method == "POST":
            return self._build()
        if parts == ["_site.zip"]:
            return self._download(self._zip_path(), "application/zip", "site.zip")
        if parts == ["_new"] and method == "POST":
            return self._new_campaign(_one(form, "id").strip())
        campaign = next((c for c in site.campaigns if c.id == parts[0]), None)
        if campaign is None:
            return self._page("message.html", 404, title="找不到这个活动", text="")
        if len(parts) == 1:
            if method == "POST":
                return self._bulk_status(campaign, form)
            return self._campaign(site, campaign, problems)
        if parts[1] == "_export.xlsx":
            data, _ = export(self.options.content, campaign.id, "xlsx", include_private=False)
            return Response(
                200,
                data,
                XLSX,
                {"Content-Disposition": _attachment(f"{campaign.id}-推荐汇总表.xlsx")},
            )
        if parts[1] == "_new" and method == "POST":
            return self._new_honoree(campaign, form)
        if parts[1] == "_import" and method == "POST":
            if len(parts) == 3 and parts[2] == "confirm":
                return self._import(campaign, _one(form, "upload"), write=True)
            return self._import(campaign, self._store_uploads(files or {}), write=False)
        honoree = next((h for h in campaign.honorees if h.folder.name == parts[1]), None)
        if honoree is None or len(parts) > 3:
            return self._page("message.html", 404, title="找不到这位人选", text="")
        if len(parts) == 3 and parts[2] == "preview" and method == "POST":
            return Response(200, render_story(_one(form, "story")).encode())
        if len(parts) == 3 and parts[2] == "undo" and method == "POST":
            return self._undo(campaign, honoree)
        if method == "POST":
            return self._save(site, campaign, honoree, form)
        done = query or {}
        message = "已撤销上一次保存。" if "undone" in done else ""
        return self._record(
            campaign, honoree, form_values(honoree), [], saved="saved" in done, message=message
        )

    def _allowed(self, form: Form, origin: str | None) -> bool:
        given = _one(form, "token")
        return origin in self.origins and hmac.compare_digest(given.encode(), self.token.encode())

    # --- pages ----------------------------------------------------------------------------

    def _campaign(self, site: Site, campaign: Campaign, problems: Problems) -> Response:
        check_site(site, problems, privacy_detector(site))
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
            own = [p for p in found if p.path.startswith(f"{prefix}honorees/{h.folder.name}/")]
            rows.append((h, _digest(h.path.read_text("utf-8")), own))
        general = [p for p in found if not p.path.startswith(f"{prefix}honorees/")]
        return self._page(
            "campaign.html", 200, campaign=campaign, counts=counts, quotas=quotas, rows=rows,
            general=general, status_labels=STATUS_LABELS,
        )  # fmt: skip

    def _record(
        self,
        campaign: Campaign,
        h: HonoreeSource,
        values: dict[str, Any],
        problems: list[Problem],
        saved: bool,
        status: int = 200,
        message: str = "",
    ) -> Response:
        by_field: dict[str, list[Problem]] = {}
        for p in problems:
            key = RECORD_ALIASES.get(p.field.split(" ")[0], "") if p.field else ""
            by_field.setdefault(key if key else "", []).append(p)
        return self._page(
            "record.html", status, campaign=campaign, h=h, values=values, fields=form_fields(),
            by_field=by_field, saved=saved, message=message, digest=_digest(h.path.read_text("utf-8")),
            status_labels=STATUS_LABELS, undo=self._undo_path(h).is_file(),
        )  # fmt: skip

    def _page(self, template: str, status: int, **context: Any) -> Response:
        html = self.env.get_template(template).render(token=self.token, **context)
        return Response(status, html.encode())

    # --- actions --------------------------------------------------------------------------

    def _save(self, site: Site, campaign: Campaign, h: HonoreeSource, form: Form) -> Response:
        text = h.path.read_text("utf-8")
        if _one(form, "digest") != _digest(text):
            return self._record(
                campaign, h, form_values(h), [], saved=False, status=409,
                message="保存被拒绝：打开表单之后，这个文件已被别处修改（文本编辑器或 git）。"
                "为了不覆盖那些修改，本次没有写入。请重新打开本页，再改一次。",
            )  # fmt: skip
        wanted = values_from_form(form)
        current = form_values(h)
        changes = {
            k: to_record(k, v) for k, v in wanted.items() if k != "story" and v != current.get(k)
        }
        new_text = edit_record(text, changes) if changes else text
        if wanted.get("story") is not None and wanted["story"] != current["story"]:
            head, _, _ = new_text.partition("\n---\n")
            new_text = f"{head}\n---\n{wanted['story'].replace(chr(13), '')}\n"
        if new_text == text:
            return self._record(campaign, h, current, [], saved=False, message="没有改动。")
        problems = self._validate(site, campaign, h, new_text)
        blocking = [p for p in problems if p.severity == "error"]
        if blocking:
            return self._record(
                campaign, h, wanted, problems, saved=False, status=422,
                message="有错误，没有保存：请按各项下面的说明修改后再保存。",
            )  # fmt: skip
        undo = self._undo_path(h)
        atomic_write(undo, text.encode())
        atomic_write(h.path, new_text.encode())
        return Response(
            303, headers={"Location": f"/_admin/{campaign.id}/{h.folder.name}/?saved=1"}
        )

    def _validate(
        self, site: Site, campaign: Campaign, h: HonoreeSource, text: str
    ) -> list[Problem]:
        """The build's own checks, with this record as it would be saved."""
        problems = Problems(display_root=self.options.content.resolve())
        parsed = parse_record(text, h.path, problems)
        if parsed.record is not None:
            new = HonoreeSource(
                h.folder, parsed.record.slug or h.folder.name, parsed.record, parsed.story,
                parsed.story_line, parsed.doc, parsed.at_fault,
            )  # fmt: skip
            campaign.honorees[campaign.honorees.index(h)] = new
            check_site(site, problems, privacy_detector(site))
        own = f"{campaign.id}/honorees/{h.folder.name}/"
        return [p for p in problems if p.path.startswith(own)]

    def _bulk_status(self, campaign: Campaign, form: Form) -> Response:
        status = _one(form, "status")
        if status not in STATUS_LABELS.values():
            return self._page("message.html", 400, title="没有选择状态", text="")
        changed, refused = 0, []
        for slug in form.get("select", []):
            h = next((x for x in campaign.honorees if x.folder.name == slug), None)
            if h is None:
                continue
            text = h.path.read_text("utf-8")
            if _one(form, f"digest.{slug}") != _digest(text):
                refused.append(h.record.name)
                continue
            new = edit_record(text, {"status": status})
            if new != text:
                atomic_write(self._undo_path(h), text.encode())
                atomic_write(h.path, new.encode())
                changed += 1
        note = f"已把 {changed} 位人选的状态改为“{status}”。"
        if refused:
            note += f"{'、'.join(refused)}的文件在打开本页后被修改过，没有改动，请刷新后再试。"
        return self._page(
            "message.html", 200, title="已更新状态", text=note, back=f"/_admin/{campaign.id}/"
        )

    def _build(self) -> Response:
        """The real build, into the same output/ as ``site-builder build``, and its zip."""
        options = BuildOptions(
            content=self.options.content,
            output=self.options.output,
            cache=self.options.cache,
            display_root=self.options.content.resolve().parent,
        )
        try:
            result = build(options)
        except ContentError as exc:
            return self._page("build.html", 200, ok=False, problems=exc.problems + exc.warnings)
        except UsageError as exc:
            return self._page("message.html", 200, title="无法生成网站", text=str(exc))
        write_zip(self.options.output, self._zip_path())
        return self._page("build.html", 200, ok=True, result=result, output=self.options.output)

    def _zip_path(self) -> Path:
        return self.options.cache_dir / "workbench" / "site.zip"

    def _download(self, path: Path, kind: str, name: str) -> Response:
        if not path.is_file():
            return self._page(
                "message.html", 404, title="还没有生成压缩包", text="请先点“生成网站”。"
            )
        return Response(200, path.read_bytes(), kind, {"Content-Disposition": _attachment(name)})

    def _new_campaign(self, campaign_id: str) -> Response:
        try:
            path = new_campaign(self.options.content, campaign_id)
        except UsageError as exc:
            return self._page("message.html", 400, title="没有新建活动", text=str(exc))
        return Response(303, headers={"Location": f"/_admin/{path.parent.name}/"})

    def _new_honoree(self, campaign: Campaign, form: Form) -> Response:
        try:
            path = new_honoree(
                self.options.content, campaign.id, _one(form, "name"),
                _one(form, "unit").strip(), _one(form, "category").strip(),
            )  # fmt: skip
        except UsageError as exc:
            return self._page("message.html", 400, title="没有新建人选", text=str(exc))
        return Response(303, headers={"Location": f"/_admin/{campaign.id}/{path.parent.name}/"})

    def _store_uploads(self, files: Files) -> str:
        """The uploaded forms, under safe names in a fresh folder of the cache; its id."""
        upload = secrets.token_hex(8)
        folder = self._uploads() / upload
        for name, data in files.get("files", []):
            safe = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", Path(name).name)[-100:]
            if Path(safe).suffix.lower() in IMPORTABLE and 0 < len(data) <= MAX_UPLOAD_BYTES:
                atomic_write(folder / safe, data)
        return upload

    def _uploads(self) -> Path:
        return self.options.cache_dir / "workbench" / "uploads"

    def _import(self, campaign: Campaign, upload: str, write: bool) -> Response:
        folder = self._uploads() / upload if re.fullmatch(r"[0-9a-f]{16}", upload) else None
        paths = sorted(folder.iterdir()) if folder is not None and folder.is_dir() else []
        if not paths:
            return self._page(
                "message.html", 400, title="没有可以导入的文件",
                text="请选择 .xlsx 推荐汇总表或 .docx 推荐表（每个不超过 20 MB）。",
                back=f"/_admin/{campaign.id}/",
            )  # fmt: skip
        plan, notes, written = run_import(self.options.content, campaign.id, paths, write, False)
        if write:
            shutil.rmtree(folder or paths[0].parent, ignore_errors=True)
        return self._page(
            "import.html", 200, campaign=campaign, plan=plan, notes=notes, written=written,
            upload=upload, write=write,
        )  # fmt: skip

    def _undo(self, campaign: Campaign, h: HonoreeSource) -> Response:
        undo = self._undo_path(h)
        if not undo.is_file():
            return self._page("message.html", 404, title="没有可以撤销的保存", text="")
        current = h.path.read_text("utf-8")
        atomic_write(h.path, undo.read_bytes())
        atomic_write(undo, current.encode())  # 撤销 again restores what was undone
        return Response(
            303, headers={"Location": f"/_admin/{campaign.id}/{h.folder.name}/?undone=1"}
        )

    def _undo_path(self, h: HonoreeSource) -> Path:
        rel = h.path.resolve().relative_to(self.options.content.resolve()).as_posix()
        key = hashlib.sha256(rel.encode()).hexdigest()[:16]
        return self.options.cache_dir / "workbench" / "undo" / f"{key}.md"


# --- the record form -------------------------------------------------------------------------------


def form_fields() -> list[Declared]:
    return [d for d in fields_of(Record) if d.key not in NOT_IN_FORM]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "year") and hasattr(value, "month") and not hasattr(value, "day"):
        return f"{value.year}.{value.month:02d}"
    return str(value)


def form_values(h: HonoreeSource) -> dict[str, Any]:
    """What the form shows for a record, as text."""
    rec = h.record
    values: dict[str, Any] = {d.key: _text(getattr(rec, d.key)) for d in form_fields()}
    values["status"] = STATUS_LABELS[rec.status]
    values["honours"] = [{k: _text(getattr(x, k)) for k in HONOUR_KEYS} for x in rec.honours]
    values["media"] = [{k: _text(getattr(x, k)) for k in MEDIA_KEYS} for x in rec.media]
    values["badges"] = "\n".join(rec.badges)
    values["story"] = h.story.rstrip("\n")
    return values


def values_from_form(form: Form) -> dict[str, Any]:
    values: dict[str, Any] = {d.key: _one(form, f"f.{d.key}").strip() for d in form_fields()}
    values["honours"] = _rows(form, "honours", HONOUR_KEYS)
    values["media"] = _rows(form, "media", MEDIA_KEYS)
    values["badges"] = "\n".join(
        line.strip() for line in _one(form, "f.badges").splitlines() if line.strip()
    )
    values["story"] = _one(form, "story").rstrip()
    return values


def _rows(form: Form, name: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    rows = []
    for i in range(200):
        row = {k: _one(form, f"{name}.{i}.{k}").strip() for k in keys}
        if not any(f"{name}.{i}.{k}" in form for k in keys):
            break
        if any(row.values()):
            rows.append(row)
    return rows


def to_record(key: str, value: Any) -> Any:
    """A form value as the record file writes it (Chinese keys inside lists)."""
    if key in ("honours", "media"):
        model = Honour if key == "honours" else MediaItem
        labels = {d.key: d.label for d in fields_of(model)}
        return [{labels[k]: v for k, v in row.items() if v} for row in value]
    if key == "badges":
        return [line for line in value.splitlines() if line]
    if key == "union_member":
        return {"是": True, "否": False}.get(value)
    return value or None


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> str:
    """A download's file name, Chinese included (RFC 6266)."""
    return f"attachment; filename=download; filename*=UTF-8''{urllib.parse.quote(name)}"


def _one(form: Form, name: str) -> str:
    values = form.get(name)
    return values[0] if values else ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
