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

import hmac
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..checks.site import check_one_campaign
from ..errors import PhotoError, Problem, Problems, UsageError
from ..forms.importing import run_import
from ..forms.scaffold import new_campaign, new_honoree, new_site
from ..load.content import parse_record
from ..load.text import with_body
from ..model.record import RECORD_ALIASES, STATUS_LABELS, SUMMARY_MAX_CHARS
from ..model.source import HONOREES_DIR, SITE_FILE, Campaign, HonoreeSource, Site
from ..model.story import render_story
from ..options import BuildOptions
from ..write.atomic import atomic_write
from . import downloads
from .call import save_call, show_call
from .dashboard import campaign_page
from .edit import edit_record
from .history import History
from .lifecycle import (
    bulk_status,
    copy,
    delete_campaign,
    delete_honoree,
    history_page,
    order,
    restore_item,
    restore_version,
    trash_page,
)
from .loading import SiteLoader
from .notice import notice_period, notice_values, save_notice, show_notice
from .photos import (
    changes_for_update,
    changes_for_upload,
    listed,
    photo_rows,
    set_aside,
    store_photo,
)
from .publish import job_page, job_state, preview, publish_page, start
from .record_form import (
    Form,
    digest,
    form_fields,
    form_values,
    one,
    sections,
    shown,
    to_record,
    values_from_form,
)
from .response import Response
from .routes import Request, bind
from .settings import (
    campaign_settings,
    save_campaign_settings,
    save_site_settings,
    saved_message,
    site_settings,
)
from .site_actions import build_site, phone_page, phone_switch, quit_workbench, site_zip
from .targets import save_target, target_form
from .textfile import SITE, save_yaml, show_yaml, unreadable_campaigns, yaml_path
from .uploads import Files, store_uploads, stored
from .wording import for_form


@dataclass
class Workbench:
    options: BuildOptions
    token: str
    origins: set[str]  # "http://127.0.0.1:8000": the only origins allowed to change anything

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.loader = SiteLoader(self.options.content, self.options.cache_dir)
        self.history = History(
            self.options.cache_dir / "workbench" / "history", self.options.content
        )
        self.on_quit: Callable[[], None] | None = None  # set by the server that carries it
        self.phone: Any = None  # its 手机预览 (dev.phone.PhonePreview), set by the server too
        self.env = Environment(
            loader=PackageLoader("site_builder", "workbench/templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["for_form"] = for_form

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
        """Answer one request. Requests that change files run one at a time: a save reads
        the file, compares it with what the form was opened on and writes, and a second
        save of the same file (another tab, another person) must see the first one's result,
        not the file before it (it is then refused, and nothing is lost)."""
        if method == "POST" and path.strip("/") != "_build":  # the build only reads
            with self.lock:
                return self._handle(method, path, form, origin, query, files)
        return self._handle(method, path, form, origin, query, files)

    def _handle(
        self,
        method: str,
        path: str,
        form: Form,
        origin: str | None,
        query: Form | None,
        files: Files | None,
    ) -> Response:
        parts = [p for p in path.split("/") if p]
        if method == "POST" and not self._allowed(form, origin):
            return self.page(
                "message.html",
                403,
                title="请求被拒绝",
                text="这个请求不是从本机的工作台发出的，没有做任何改动。",
            )
        if not (self.options.content / SITE_FILE).is_file():
            return self._no_site_yet(method, parts, form)
        site, problems = self.loader.load()
        if site is None:  # site.yaml does not read: the officer fixes it here, as text
            site_yaml = self.options.content / SITE_FILE
            if method == "POST" and parts == ["_yaml", SITE]:
                return save_yaml(self, SITE, site_yaml, form)
            return show_yaml(self, SITE, site_yaml)
        request = Request(method, form, query or {}, files or {}, site, problems)
        for verb, pattern, action in ROUTES:
            if verb == method or (verb == "*" and method in ("GET", "POST")):
                bound = bind(pattern, parts, request)
                if isinstance(bound, str):  # the path names a campaign or person not there
                    if parts and parts[0] in unreadable_campaigns(self.options.content, set()):
                        # a campaign.yaml that does not read: show it, with its problem
                        return Response(303, headers={"Location": f"/_admin/_yaml/{parts[0]}"})
                    return self.page("message.html", 404, title=bound, text="")
                if bound is not None:
                    return action(self, bound)
        return self.page("message.html", 404, title="找不到这个页面", text="")

    # --- route handlers: each takes the bound request ---------------------------------------

    def _home(self, r: Request) -> Response:
        loaded = {c.id for c in r.site.campaigns}
        broken = unreadable_campaigns(self.options.content, loaded)
        return self.page(
            "home.html", 200, site=r.site, broken=broken, message=saved_message(r.query)
        )

    def _yaml(self, r: Request) -> Response:
        path = yaml_path(self.options.content, r.name)
        if path is None:
            return self.page("message.html", 404, title="找不到这个文件", text="")
        if r.method == "POST":
            return save_yaml(self, r.name, path, r.form)
        return show_yaml(self, r.name, path)

    def _photo(self, r: Request) -> Response:
        photo = listed(r.h, r.name)
        if photo is None:
            return self.page("message.html", 404, title="找不到这张照片", text="")
        kind = "image/png" if photo.suffix.lower() == ".png" else "image/jpeg"
        return Response(200, photo.read_bytes(), kind)

    def _show_record(self, r: Request) -> Response:
        """The form, with every problem the build would find in this record: its fields,
        its photos, the campaign's rules it breaks (a third 货车司机 of one unit)."""
        message = "已撤销上一次保存。" if "undone" in r.query else ""
        check_one_campaign(r.site, r.c, r.problems)
        own = f"{r.c.id}/{HONOREES_DIR}/{r.h.folder.name}/"
        found = [p for p in r.problems if p.path.startswith(own) or own.rstrip("/") in p.concerns]
        return self._record(
            r.c, r.h, form_values(r.h), found, saved="saved" in r.query, message=message
        )

    def _no_site_yet(self, method: str, parts: list[str], form: Form) -> Response:
        """An empty folder (the officer's first start): offer to make the site here."""
        if method == "POST" and parts == ["_new_site"]:
            try:
                new_site(self.options.content, one(form, "organiser"), one(form, "base_url"))
            except UsageError as exc:
                return self.page("message.html", 400, title="没有新建网站", text=str(exc))
            return Response(303, headers={"Location": "/_admin/"})
        folder = self.options.content.resolve().parent
        return self.page("welcome.html", 200, folder=str(folder))

    def _allowed(self, form: Form, origin: str | None) -> bool:
        given = one(form, "token")
        return origin in self.origins and hmac.compare_digest(given.encode(), self.token.encode())

    # --- pages ----------------------------------------------------------------------------

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
        errors = [
            (key, p) for key, found in by_field.items() for p in found if p.severity == "error"
        ]
        return self.page(
            "record.html", status, campaign=campaign, h=h, values=values, sections=sections(),
            summary_max=SUMMARY_MAX_CHARS, errors=errors, invalid={key for key, _ in errors},
            by_field=by_field, saved=saved, message=message, typed=typed or [],
            digest=digest(h.path.read_text("utf-8")),
            status_labels=STATUS_LABELS, undo=self.history.can_undo(h.path),
            photos=photo_rows(h), portrait=h.record.portrait,
            default_portrait=next((p.name for p in h.folder.glob("portrait.*")), ""),
        )  # fmt: skip

    def page(self, template: str, status: int, **context: Any) -> Response:
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
            new_text = with_body(new_text, wanted["story"].replace("\r", "") + "\n")
        if new_text == text:
            return self._record(campaign, h, current, [], saved=False, message="没有改动。")
        problems = self._validate(site, campaign, h, new_text)
        blocking = [p for p in problems if p.severity == "error"]
        if blocking:
            return self._record(
                campaign, h, wanted, problems, saved=False, status=422,
                message="有错误，没有保存：请按各项下面的说明修改后再保存。",
            )  # fmt: skip
        self.history.keep(h.path, text.encode())
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
            check_one_campaign(site, campaign, problems)
        own = f"{campaign.id}/honorees/{h.folder.name}/"
        return [p for p in problems if p.path.startswith(own)]

    def _new_campaign(self, campaign_id: str) -> Response:
        try:
            path = new_campaign(self.options.content, campaign_id)
        except UsageError as exc:
            return self.page("message.html", 400, title="没有新建活动", text=str(exc))
        return Response(303, headers={"Location": f"/_admin/{path.parent.name}/_settings"})

    def _new_honoree(self, campaign: Campaign, form: Form) -> Response:
        try:
            path = new_honoree(
                self.options.content, campaign.id, one(form, "name"),
                one(form, "unit").strip(), one(form, "category").strip(),
            )  # fmt: skip
        except UsageError as exc:
            return self.page("message.html", 400, title="没有新建人选", text=str(exc))
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
        self.history.keep(h.path, text.encode())
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
            return self.page(
                "message.html", 400, title="没有可以导入的文件",
                text="请选择 .xlsx 推荐汇总表或 .docx 推荐表（每个不超过 20 MB）。",
                back=f"/_admin/{campaign.id}/",
            )  # fmt: skip
        plan, notes, written = run_import(self.options.content, campaign.id, paths, write, False)
        if write:
            shutil.rmtree(paths[0].parent, ignore_errors=True)
        return self.page(
            "import.html", 200, campaign=campaign, plan=plan, notes=notes, written=written,
            upload=upload, write=write,
        )  # fmt: skip

    def _undo(self, campaign: Campaign, h: HonoreeSource) -> Response:
        if not self.history.undo(h.path):
            return self.page("message.html", 404, title="没有可以撤销的保存", text="")
        return Response(
            303, headers={"Location": f"/_admin/{campaign.id}/{h.folder.name}/?undone=1"}
        )


Action = Callable[[Workbench, Request], Response]

# The workbench's routes, in order: (method, path below /_admin/, action). "*" is GET or
# POST; {campaign} and {honoree} must name a loaded campaign and person (else 404), so a
# request can never name a file outside content/. State-changing requests are POSTs,
# checked for the token and origin before any route is looked at.
ROUTES: list[tuple[str, str, Action]] = [
    ("GET", "", Workbench._home),
    ("POST", "_build", lambda wb, r: build_site(wb)),
    ("POST", "_quit", lambda wb, r: quit_workbench(wb)),
    ("*", "_site.zip", lambda wb, r: site_zip(wb)),
    ("POST", "_new", lambda wb, r: wb._new_campaign(one(r.form, "id").strip())),
    ("GET", "_site", lambda wb, r: site_settings(wb, r.site, message=saved_message(r.query))),
    ("POST", "_site", lambda wb, r: save_site_settings(wb, r.site, r.form)),
    ("*", "_yaml/{name}", Workbench._yaml),
    ("GET", "_publish", lambda wb, r: publish_page(wb, r.site, r.query)),
    ("GET", "_publish/target", lambda wb, r: target_form(wb, r.site, r.query)),
    ("POST", "_publish/target", lambda wb, r: save_target(wb, r.site, r.form)),
    ("POST", "_publish/preview", lambda wb, r: preview(wb, r.site, r.form)),
    ("POST", "_publish/run", lambda wb, r: start(wb, r.site, r.form)),
    ("POST", "_publish/rollback", lambda wb, r: start(wb, r.site, r.form, rollback=True)),
    ("GET", "_publish/job", lambda wb, r: job_page(wb, r.site)),
    ("GET", "_publish/job.json", lambda wb, r: job_state(wb)),
    ("GET", "_phone", lambda wb, r: phone_page(wb)),
    ("POST", "_phone", lambda wb, r: phone_switch(wb, one(r.form, "action") == "on")),
    ("GET", "_trash", lambda wb, r: trash_page(wb)),
    ("GET", "_history", lambda wb, r: history_page(wb, r.site)),
    ("POST", "_history", lambda wb, r: restore_version(wb, r.site, r.form)),
    ("POST", "_trash", lambda wb, r: restore_item(wb, r.form)),
    ("GET", "{campaign}/_settings", lambda wb, r: campaign_settings(wb, r.site, r.c, message=saved_message(r.query))),
    ("POST", "{campaign}/_settings", lambda wb, r: save_campaign_settings(wb, r.site, r.c, r.form)),
    ("GET", "{campaign}", lambda wb, r: campaign_page(wb, r.site, r.c, r.problems, r.query)),
    ("POST", "{campaign}", lambda wb, r: order(wb, r.c, r.form) if one(r.form, "action") == "seq" else bulk_status(wb, r.c, r.form)),
    ("POST", "{campaign}/_delete", lambda wb, r: delete_campaign(wb, r.c, r.form)),
    ("POST", "{campaign}/_copy", lambda wb, r: copy(wb, r.c, r.form)),
    ("*", "{campaign}/_export.xlsx", lambda wb, r: downloads.summary_xlsx(r.c)),
    ("*", "{campaign}/_wechat.zip", lambda wb, r: downloads.wechat_zip(wb, r.c)),
    ("GET", "{campaign}/_blank/{name}", lambda wb, r: downloads.blank(r.c, r.name)),
    ("*", "{campaign}/_notice.docx", lambda wb, r: downloads.notice_docx(wb, r.c, r.query)),
    ("GET", "{campaign}/_wechat", lambda wb, r: downloads.wechat_page(wb, r.site, r.c)),
    ("POST", "{campaign}/_wechat/keys", lambda wb, r: downloads.wechat_keys(wb, r.site, r.c, r.form)),
    ("POST", "{campaign}/_wechat", lambda wb, r: downloads.wechat_push(wb, r.site, r.c)),
    ("POST", "{campaign}/_new", lambda wb, r: wb._new_honoree(r.c, r.form)),
    ("POST", "{campaign}/_notice/period", lambda wb, r: Response(200, notice_period(r.c, r.form).encode())),
    ("POST", "{campaign}/_notice", lambda wb, r: save_notice(wb, r.c, r.form)),
    ("GET", "{campaign}/_notice", lambda wb, r: show_notice(wb, r.c, notice_values(r.c), [], "")),
    ("GET", "{campaign}/_call", lambda wb, r: show_call(wb, r.c, message=saved_message(r.query))),
    ("POST", "{campaign}/_call", lambda wb, r: save_call(wb, r.c, r.form)),
    ("POST", "{campaign}/_import/confirm", lambda wb, r: wb._import(r.c, one(r.form, "upload"), write=True)),
    ("POST", "{campaign}/_import", lambda wb, r: wb._import(r.c, store_uploads(wb._uploads(), r.files), write=False)),
    ("*", "{campaign}/{honoree}/_photo/{name}", Workbench._photo),
    ("POST", "{campaign}/{honoree}/_photos", lambda wb, r: wb._photos(r.c, r.h, r.form, r.files, update=False)),
    ("POST", "{campaign}/{honoree}/_photos/{name}", lambda wb, r: wb._photos(r.c, r.h, r.form, r.files, update=True)),
    ("POST", "{campaign}/{honoree}/preview", lambda wb, r: Response(200, render_story(one(r.form, "story")).encode())),
    ("POST", "{campaign}/{honoree}/undo", lambda wb, r: wb._undo(r.c, r.h)),
    ("POST", "{campaign}/{honoree}/_delete", lambda wb, r: delete_honoree(wb, r.c, r.h)),
    ("POST", "{campaign}/{honoree}", lambda wb, r: wb._save(r.site, r.c, r.h, r.form)),
    ("GET", "{campaign}/{honoree}", Workbench._show_record),
]  # fmt: skip
