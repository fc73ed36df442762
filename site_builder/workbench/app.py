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
import shutil
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..checks.privacy import privacy_detector
from ..checks.site import check_site
from ..errors import ContentError, PhotoError, Problem, Problems, UsageError
from ..forms.export import export
from ..forms.importing import run_import
from ..forms.scaffold import new_campaign, new_honoree
from ..load.content import load_site, parse_record
from ..model.record import RECORD_ALIASES, STATUS_LABELS
from ..model.source import Campaign, HonoreeSource, Site, honoree_order
from ..model.story import render_story
from ..options import BuildOptions
from ..pipeline import build
from ..write.atomic import atomic_write
from ..write.output import write_zip
from .edit import edit_record
from .forms import (
    Form,
    digest,
    form_fields,
    form_values,
    one,
    shown,
    to_record,
    values_from_form,
)
from .notice import notice_period, notice_values, save_notice, show_notice
from .photos import (
    changes_for_update,
    changes_for_upload,
    listed,
    photo_rows,
    set_aside,
    store_photo,
)
from .response import Response
from .uploads import Files, store_uploads, stored


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
            return self._new_campaign(one(form, "id").strip())
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
        if parts[1] == "_notice":
            if len(parts) == 3 and parts[2] == "period" and method == "POST":
                return Response(200, notice_period(campaign, form).encode())
            if method == "POST":
                return save_notice(self, campaign, form)
            return show_notice(self, campaign, notice_values(campaign), [], "")
        if parts[1] == "_import" and method == "POST":
            if len(parts) == 3 and parts[2] == "confirm":
                return self._import(campaign, one(form, "upload"), write=True)
            return self._import(campaign, store_uploads(self._uploads(), files or {}), write=False)
        honoree = next((h for h in campaign.honorees if h.folder.name == parts[1]), None)
        if honoree is None or len(parts) > 4:
            return self._page("message.html", 404, title="找不到这位人选", text="")
        if len(parts) >= 3 and parts[2] == "_photo" and len(parts) == 4:
            photo = listed(honoree, parts[3])
            if photo is None:
                return self._page("message.html", 404, title="找不到这张照片", text="")
            kind = "image/png" if photo.suffix.lower() == ".png" else "image/jpeg"
            return Response(200, photo.read_bytes(), kind)
        if len(parts) >= 3 and parts[2] == "_photos" and method == "POST":
            return self._photos(campaign, honoree, form, files or {}, update=len(parts) == 4)
        if len(parts) == 3 and parts[2] == "preview" and method == "POST":
            return Response(200, render_story(one(form, "story")).encode())
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
        given = one(form, "token")
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
            rows.append((h, digest(h.path.read_text("utf-8")), own))
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
        typed: list[tuple[str, str]] | None = None,
    ) -> Response:
        by_field: dict[str, list[Problem]] = {}
        for p in problems:
            key = RECORD_ALIASES.get(p.field.split(" ")[0], "") if p.field else ""
            by_field.setdefault(key if key else "", []).append(p)
        return self._page(
            "record.html", status, campaign=campaign, h=h, values=values, fields=form_fields(),
            by_field=by_field, saved=saved, message=message, typed=typed or [],
            digest=digest(h.path.read_text("utf-8")),
            status_labels=STATUS_LABELS, undo=self._undo_path(h).is_file(),
            photos=photo_rows(h), portrait=h.record.portrait,
            default_portrait=next((p.name for p in h.folder.glob("portrait.*")), ""),
        )  # fmt: skip

    def _page(self, template: str, status: int, **context: Any) -> Response:
        html = self.env.get_template(template).render(token=self.token, **context)
        return Response(status, html.encode())

    # --- actions --------------------------------------------------------------------------

    def _save(self, site: Site, campaign: Campaign, h: HonoreeSource, form: Form) -> Response:
        text = h.path.read_text("utf-8")
        wanted = values_from_form(form)
        current = form_values(h)
        if one(form, "digest") != digest(text):
            # The form below shows the file as it is now; what the officer typed is listed
            # above it, so nothing typed is lost while nothing on disk is overwritten.
            labels = {d.key: d.label for d in form_fields()} | {"story": "事迹"}
            typed = [(labels.get(k, k), shown(v)) for k, v in wanted.items() if v != current.get(k)]
            return self._record(
                campaign, h, current, [], saved=False, status=409, typed=typed,
                message="保存被拒绝：打开表单之后，这个文件已被别处修改（文本编辑器或 git）。"
                "为了不覆盖那些修改，本次没有写入。下面的表单已是文件现在的内容；"
                "您刚才填写的内容列在下方，请对照后重新填写、保存。",
            )  # fmt: skip
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
        status = one(form, "status")
        if status not in STATUS_LABELS.values():
            return self._page("message.html", 400, title="没有选择状态", text="")
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
                self.options.content, campaign.id, one(form, "name"),
                one(form, "unit").strip(), one(form, "category").strip(),
            )  # fmt: skip
        except UsageError as exc:
            return self._page("message.html", 400, title="没有新建人选", text=str(exc))
        return Response(303, headers={"Location": f"/_admin/{campaign.id}/{path.parent.name}/"})

    def _photos(
        self, campaign: Campaign, h: HonoreeSource, form: Form, files: Files, update: bool
    ) -> Response:
        text = h.path.read_text("utf-8")
        if one(form, "digest") != digest(text):
            return self._record(
                campaign, h, form_values(h), [], saved=False, status=409,
                message="保存被拒绝：这个文件在打开本页后被别处修改过。请重新打开本页。",
            )  # fmt: skip
        removed: list[str] = []
        if update:
            changes, removed = changes_for_update(h, form, one)
        else:
            kind = "portrait" if one(form, "kind") == "portrait" else "work"
            caption = one(form, "caption").strip()
            uploads = files.get("photo", [])
            if not uploads:
                return self._record(campaign, h, form_values(h), [], False, 400, "请选择照片。")
            if kind == "work" and not caption:
                return self._record(
                    campaign, h, form_values(h), [], False, 400,
                    "请写照片说明：读屏软件会读出它，没有说明的照片不会发布。",
                )  # fmt: skip
            try:
                scratch = self.options.cache_dir / "workbench"
                name = store_photo(h, uploads[0][1], kind, scratch)
            except PhotoError as exc:
                return self._record(
                    campaign, h, form_values(h), [], False, 422, f"{exc.message} — {exc.fix}"
                )
            changes = changes_for_upload(h, name, kind, caption)
        atomic_write(self._undo_path(h), text.encode())
        atomic_write(h.path, edit_record(text, changes).encode())
        for name in removed:
            set_aside(h, name, self.options.cache_dir / "workbench" / "trash")
        return Response(
            303, headers={"Location": f"/_admin/{campaign.id}/{h.folder.name}/?saved=1"}
        )

    def _uploads(self) -> Path:
        return self.options.cache_dir / "workbench" / "uploads"

    def _import(self, campaign: Campaign, upload: str, write: bool) -> Response:
        paths = stored(self._uploads(), upload)
        if not paths:
            return self._page(
                "message.html", 400, title="没有可以导入的文件",
                text="请选择 .xlsx 推荐汇总表或 .docx 推荐表（每个不超过 20 MB）。",
                back=f"/_admin/{campaign.id}/",
            )  # fmt: skip
        plan, notes, written = run_import(self.options.content, campaign.id, paths, write, False)
        if write:
            shutil.rmtree(paths[0].parent, ignore_errors=True)
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str) -> str:
    """A download's file name, Chinese included (RFC 6266)."""
    return f"attachment; filename=download; filename*=UTF-8''{urllib.parse.quote(name)}"
