"""The preview server's HTTP side: the site from memory under its sub-path, live reload,
the preparing page, HEAD, the --lan token, and the 工作台 at /_admin/ (this computer only).

Requests below the site's path are answered by the first entry of ``ROUTES`` that
matches: an exact path, or a prefix ending in ``*`` whose rest is handed on.
"""

from __future__ import annotations

import hmac
import http.server
import mimetypes
import urllib.parse
from collections.abc import Callable
from typing import Any, ClassVar

from ..errors import ContentError
from ..model.urls import is_hashed
from ..workbench.app import Workbench
from .screens import COPY_JS, RELOAD_JS, RELOAD_PATH, WECHAT_PATH, overlay, preparing
from .state import DevState

ADMIN = "/_admin/"
MAX_FORM_BYTES = 20_000_000
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


def read_multipart(
    content_type: str, length: int, stream: Any
) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, bytes]]]]:
    """A multipart form (file uploads) as fields and files, with python-multipart: the
    standard library's cgi module is gone in Python 3.13."""
    import python_multipart

    form: dict[str, list[str]] = {}
    files: dict[str, list[tuple[str, bytes]]] = {}

    def on_field(item: Any) -> None:
        name = item.field_name.decode()
        form.setdefault(name, []).append((item.value or b"").decode("utf-8", "replace"))

    def on_file(item: Any) -> None:
        item.file_object.seek(0)
        name = (item.file_name or b"").decode("utf-8", "replace")
        files.setdefault(item.field_name.decode(), []).append((name, item.file_object.read()))
        item.close()  # large uploads spill to a temporary file

    headers = {"Content-Type": content_type.encode(), "Content-Length": str(length).encode()}
    python_multipart.parse_form(headers, stream, on_field, on_file)
    return form, files


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    """One request to the preview; ``state`` and ``workbench`` are set by ``make_handler``."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms delayed-ACK stall
    head_only = False
    state: ClassVar[DevState]
    workbench: ClassVar[Workbench | None] = None

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        """What GET would answer, without the body (link checkers, curl -I)."""
        self.head_only = True
        self.do_GET()

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")  # a page is never an upload's bytes
        super().end_headers()

    def ours(self) -> bool:
        """Whether the request names this server: 127.0.0.1, localhost, [::1] (and with --lan
        the addresses it printed). Any other name is a page elsewhere that made the reader's
        browser resolve its own name to this computer (DNS rebinding): 421, and nothing else."""
        host = (self.headers.get("Host") or "").strip().lower()
        name = host[: host.index("]") + 1] if host.startswith("[") and "]" in host else host
        name = name.rsplit(":", 1)[0] if not name.startswith("[") else name
        if name in self.state.hosts:
            return True
        self.send_response(421)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        return False

    def do_POST(self) -> None:
        if not self.ours():
            return
        path = self.path.split("?", 1)[0]
        if self.workbench is None or not path.startswith(ADMIN):
            self.reply(405, b"", TEXT)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_FORM_BYTES:
            self.reply(413, "上传的内容太大（不超过 20 MB）".encode(), TEXT)
            return
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("multipart/form-data"):
            form, files = read_multipart(kind, length, self.rfile)
            self.admin("POST", path, form, files)
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        self.admin("POST", path, urllib.parse.parse_qs(body, keep_blank_values=True))

    def do_GET(self) -> None:
        if not self.ours():
            return
        # A sub-path may be Chinese (网址 https://…/最美劳动者/): compared as text, not as
        # the percent-encoded bytes the browser sends.
        raw = self.path.split("?", 1)[0].split("#", 1)[0]
        state = self.state
        if self.workbench is not None and (raw + "/").startswith(ADMIN):
            self.admin("GET", raw if raw.endswith("/") else raw + "/", {})  # it unquotes once
            return
        path = urllib.parse.unquote(raw)
        if state.prefix:  # serve --lan: nothing at all without the token
            given = path[: len(state.prefix) + 1].encode()
            if not hmac.compare_digest(given, (state.prefix + "/").encode()):
                self.reply(404, b"", TEXT)
                return
            path = path[len(state.prefix) :]
        if not path.startswith(state.base_path):
            self.redirect(302, state.prefix + state.base_path)
            return
        rel = path[len(state.base_path) :]
        for pattern, action in ROUTES:
            if pattern.endswith("*") and rel.startswith(pattern[:-1]):
                action(self, rel[len(pattern) - 1 :])
                return
            if rel == pattern:
                action(self, "")
                return
        self.page(rel)

    # --- the routes -------------------------------------------------------------------------

    def admin(
        self,
        method: str,
        path: str,
        form: dict[str, list[str]],
        files: dict[str, list[tuple[str, bytes]]] | None = None,
    ) -> None:
        assert self.workbench is not None
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        response = self.workbench.handle(
            method,
            urllib.parse.unquote(path[len(ADMIN) :]),
            form,
            self.headers.get("Origin"),
            query,
            files,
        )
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not self.head_only:
            self.wfile.write(response.body)

    def article(self, page_url: str) -> None:
        """A profile's 公众号 version, for the preview's 复制公众号版."""
        with self.state.cond:
            article = self.state.article
        try:
            html_text = article(page_url) if article else None
        except ContentError as exc:  # the gate refused it: say why, as for a page
            self.reply(200, overlay(exc.problems, ""), HTML)
            return
        if html_text is None:
            self.reply(404, b"", TEXT)
        else:
            self.reply(200, html_text.encode(), HTML)

    def page(self, rel: str) -> None:
        state = self.state
        with state.cond:
            files, images, problems = state.files, state.images, state.problems
            detail, waiting, progress = state.detail, state.preparing, state.progress
        key = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        if waiting and not files and not problems:
            self.reply(200, preparing(progress, self.script()), HTML)
            return
        if key not in files and key not in images and f"{key}/index.html" in files:
            self.redirect(301, state.prefix + state.base_path + rel + "/")
            return
        is_html = key.endswith(".html") or (key not in files and key not in images)
        if problems and is_html:
            # Over the network (--lan) a phone is told there are problems, never what they
            # are: a message may quote a record's private value.
            shown = problems if not state.prefix else []
            self.reply(
                200,
                overlay(shown, self.script(), "" if state.prefix else detail, len(problems)),
                HTML,
            )
        elif key in files:
            body = self.inject(files[key], key) if key.endswith(".html") else files[key]
            self.reply(200, body, _type(key), immutable=is_hashed(key))
        elif key in images and images[key].is_file():
            self.reply(200, images[key].read_bytes(), _type(key), immutable=True)
        else:
            self.reply(404, self.inject(files.get("404.html", b"<h1>404</h1>"), "404.html"), HTML)

    def events(self, _: str) -> None:
        """Server-Sent Events: the rendering's version, again each time it changes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        if self.head_only:
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.end_headers()
        with self.state.cond:
            version = self.state.version
        try:
            self.wfile.write(f"data: {version}\n\n".encode())
            self.wfile.flush()
            while True:
                version = self.state.wait_for_change(version, timeout=15)
                self.wfile.write(f"data: {version}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    # --- helpers ----------------------------------------------------------------------------

    def script(self) -> str:
        base = self.state.prefix + self.state.base_path
        return (
            f'<script src="{base}{RELOAD_PATH}reload.js" data-events="{base}{RELOAD_PATH}events" defer>'
            "</script>"
        )

    def inject(self, page: bytes, key: str) -> bytes:
        """The preview's scripts in a page: live reload, and on the pages the site plan says
        are profiles (those with a 公众号 version) 复制公众号版."""
        state = self.state
        if state.prefix:  # 404.html links from the site root: put the token in front
            base = state.base_path.encode()
            page = page.replace(b'="' + base, b'="' + state.prefix.encode() + base)
        scripts = self.script()
        with state.cond:
            kind = state.kinds.get(key)
        if kind == "profile":
            tools = state.prefix + state.base_path + RELOAD_PATH
            url = key.removesuffix("index.html")
            scripts += (
                f'<script src="{tools}copy.js" data-article="{tools}wechat/{url}" defer></script>'
            )
        return page.replace(b"</head>", scripts.encode() + b"</head>", 1)

    def redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", urllib.parse.quote(location))  # headers are ASCII
        self.send_header("Content-Length", "0")
        self.end_headers()

    def reply(self, status: int, body: bytes, content_type: str, immutable: bool = False) -> None:
        # Hashed files never change, so a reload refetches only the page itself.
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header(
            "Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-store"
        )
        self.end_headers()
        if not self.head_only:
            self.wfile.write(body)


def _script(body: str) -> Callable[[PreviewHandler, str], None]:
    def reply(handler: PreviewHandler, _: str) -> None:
        handler.reply(200, body.encode(), "application/javascript", immutable=True)

    return reply


# Below the site's path, in order; anything else is a page or file of the rendering.
ROUTES: list[tuple[str, Callable[[PreviewHandler, str], None]]] = [
    (RELOAD_PATH + "events", PreviewHandler.events),
    (RELOAD_PATH + "reload.js", _script(RELOAD_JS)),
    (RELOAD_PATH + "copy.js", _script(COPY_JS)),
    (WECHAT_PATH + "*", PreviewHandler.article),
]


def make_handler(
    state: DevState, workbench: Workbench | None = None
) -> type[http.server.BaseHTTPRequestHandler]:
    """The handler class for one preview: its state, and the workbench unless --lan."""
    return type("Handler", (PreviewHandler,), {"state": state, "workbench": workbench})


def _type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return (
        f"{kind}; charset=utf-8"
        if kind.startswith("text/") or kind.endswith(("javascript", "json"))
        else kind
    )
