"""``site-builder serve``: a live preview that rebuilds on save and never dies on a typo.

The site is rendered in memory (output/ is not touched) and served under the
configured sub-path by a small threaded HTTP server; photos come straight from the
image cache. ``watchfiles`` (Rust notify) reports file changes in debounced batches,
so a burst of saves is one rebuild. Only the pages that depend on the changed files
are rendered again (``affected_pages``). Browsers are told to reload over
Server-Sent Events; while the content has errors every page is replaced by an
overlay listing them, in the same words as ``check``.

Why not the ``livereload`` package: it brings Tornado, rebuilds once per event (the
reason MkDocs dropped it) and has no notion of an error overlay.
"""

from __future__ import annotations

import functools
import http.server
import mimetypes
import secrets
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import watchfiles

from ..checks.privacy import scan_files
from ..errors import ContentError, Problem, Problems, TextFileError
from ..load.content import SITE_FILE, parse_site
from ..load.text import read_text
from ..pages import urls
from ..pages.render import is_hashed
from ..pipeline import BuildOptions, privacy_problems, render
from ..publicity.wechat import article_for
from ..workbench.app import Workbench
from .pages import COPY_JS, RELOAD_JS, RELOAD_PATH, WECHAT_PATH, overlay, preparing


@dataclass
class DevState:
    """The last good rendering, or the problems of the last attempt; guarded by ``cond``."""

    files: dict[str, bytes] = field(default_factory=dict)
    images: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    detail: str = ""  # the traceback of an internal error, shown with --verbose
    version: int = 0
    base_path: str = "/"
    prefix: str = ""  # "/<token>" when serving the local network (serve --lan)
    preparing: bool = True  # until the first rendering is done
    article: Callable[[str], str | None] | None = None  # a profile's 公众号 version, by page
    progress: tuple[int, int] = (0, 0)  # images done, of all, while preparing
    cond: threading.Condition = field(default_factory=threading.Condition)

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until the version differs from ``seen`` (or the timeout passes); the version."""
        with self.cond:
            self.cond.wait_for(lambda: self.version != seen, timeout=timeout)
            return self.version

    def publish(self, **changes: Any) -> None:
        with self.cond:
            for key, value in changes.items():
                setattr(self, key, value)
            self.version += 1
            self.cond.notify_all()


class DevSite:
    """Rebuilds into memory and hands the result to the server."""

    def __init__(
        self, options: BuildOptions, log: Callable[[str], None] = print, verbose: bool = False
    ) -> None:
        self.options = options
        self.state = DevState()
        self.log = log
        self.verbose = verbose
        self.rebuilds = 0

    def rebuild(self, changed: Iterable[Path] | None = None) -> None:
        """Render again; whatever goes wrong is shown in the browser, and the next save retries."""
        try:
            self._rebuild(changed)
        except Exception as exc:  # our bug, not the officer's: the preview must survive it
            problem = Problem(
                "（预览）",
                None,
                "程序内部错误",
                f"{type(exc).__name__}: {exc}",
                "这是 site_builder 的问题，不是您的内容有误；保存任何文件后预览会自动重试。"
                "请加 --verbose 重新运行 serve，把错误说明发给维护者",
            )
            detail = traceback.format_exc()
            self.state.publish(
                problems=[problem], detail=detail if self.verbose else "", preparing=False
            )
            self.log(f"预览重新生成时出现程序内部错误：{type(exc).__name__}: {exc}")
            if self.verbose:
                self.log(detail)

    def _progress(self, done: int, total: int) -> None:
        with self.state.cond:
            self.state.progress = (done, total)

    def _rebuild(self, changed: Iterable[Path] | None) -> None:
        started = time.perf_counter()
        if self.state.problems or not self.state.files:
            changed = None  # after an error, render everything again
        self.rebuilds += 1
        try:
            done = render(self.options, progress=self._progress, changed=changed)
            files = dict(done.rendered.files)
            for name in done.rendered.skipped:
                if name in self.state.files:
                    files[name] = self.state.files[name]
            hits = scan_files(files, done.detector)
            privacy_problems(hits, Path("(预览)"), done.problems, done.site)
            done.problems.raise_if_errors()
        except ContentError as exc:
            self.state.publish(problems=exc.problems, detail="", preparing=False)
            self.log(f"发现 {len(exc.problems)} 个错误，浏览器里显示错误说明：")
            for problem in exc.problems:
                self.log(f"  {problem}")
            return
        images = {name: path for name, path in done.images.outputs.items()}
        self.state.publish(
            files=files,
            images=images,
            problems=[],
            detail="",
            base_path=done.site.config.base_path,
            preparing=False,
            article=functools.partial(article_for, done),
        )
        self.log(
            f"已更新（{len(done.rendered.files)} 个文件重新生成，{time.perf_counter() - started:.2f} 秒）"
        )


ADMIN = "/_admin/"
MAX_FORM_BYTES = 2_000_000


def make_handler(
    state: DevState, workbench: Workbench | None = None
) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = (
            True  # headers and body go out at once: no 40 ms delayed-ACK stall
        )
        head_only = False

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            """What GET would answer, without the body (link checkers, curl -I)."""
            self.head_only = True
            self.do_GET()

        def do_POST(self) -> None:
            path = self.path.split("?", 1)[0]
            if workbench is None or not path.startswith(ADMIN):
                self.reply(405, b"", "text/plain; charset=utf-8")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_FORM_BYTES:
                self.reply(413, "表单太大".encode(), "text/plain; charset=utf-8")
                return
            body = self.rfile.read(length).decode("utf-8", "replace")
            form = urllib.parse.parse_qs(body, keep_blank_values=True)
            self.admin("POST", path, form)

        def admin(self, method: str, path: str, form: dict[str, list[str]]) -> None:
            assert workbench is not None
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            response = workbench.handle(
                method,
                urllib.parse.unquote(path[len(ADMIN) :]),
                form,
                self.headers.get("Origin"),
                query,
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

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if workbench is not None and (path + "/").startswith(ADMIN):
                self.admin("GET", path if path.endswith("/") else path + "/", {})
                return
            if state.prefix:  # serve --lan: nothing at all without the token
                if not path.startswith(state.prefix + "/"):
                    self.reply(404, b"", "text/plain; charset=utf-8")
                    return
                path = path[len(state.prefix) :]
            base = state.base_path
            if not path.startswith(base):
                self.send_response(302)
                self.send_header("Location", state.prefix + base)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            rel = path[len(base) :]
            if rel == RELOAD_PATH + "events":
                self.events()
            elif rel == RELOAD_PATH + "reload.js":
                self.reply(200, RELOAD_JS.encode(), "application/javascript", immutable=True)
            elif rel == RELOAD_PATH + "copy.js":
                self.reply(200, COPY_JS.encode(), "application/javascript", immutable=True)
            elif rel.startswith(WECHAT_PATH):
                with state.cond:
                    article = state.article
                html_text = article(rel[len(WECHAT_PATH) :]) if article else None
                if html_text is None:
                    self.reply(404, b"", "text/plain; charset=utf-8")
                else:
                    self.reply(200, html_text.encode(), "text/html; charset=utf-8")
            else:
                self.page(rel)

        def script(self) -> str:
            base = state.prefix + state.base_path
            return (
                f'<script src="{base}{RELOAD_PATH}reload.js" data-events="{base}{RELOAD_PATH}events" defer>'
                "</script>"
            )

        def page(self, rel: str) -> None:
            with state.cond:
                files, images, problems = state.files, state.images, state.problems
                detail, waiting, progress = state.detail, state.preparing, state.progress
            key = rel + "index.html" if rel == "" or rel.endswith("/") else rel
            if waiting and not files and not problems:
                self.reply(200, preparing(progress, self.script()), "text/html; charset=utf-8")
                return
            if key not in files and key not in images and f"{key}/index.html" in files:
                self.send_response(301)
                self.send_header("Location", state.prefix + state.base_path + rel + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            is_html = key.endswith(".html") or (key not in files and key not in images)
            if problems and is_html:
                body = overlay(problems, self.script(), detail)
                self.reply(200, body, "text/html; charset=utf-8")
            elif key in files:
                body = self.inject(files[key], rel) if key.endswith(".html") else files[key]
                self.reply(200, body, _type(key), immutable=is_hashed(key))
            elif key in images and images[key].is_file():
                self.reply(200, images[key].read_bytes(), _type(key), immutable=True)
            else:
                self.reply(
                    404,
                    self.inject(files.get("404.html", b"<h1>404</h1>")),
                    "text/html; charset=utf-8",
                )

        def inject(self, page: bytes, rel: str = "") -> bytes:
            if state.prefix:  # 404.html links from the site root: put the token in front
                base = state.base_path.encode()
                page = page.replace(b'="' + base, b'="' + state.prefix.encode() + base)
            scripts = self.script()
            if _is_profile(rel):
                tools = state.prefix + state.base_path + RELOAD_PATH
                scripts += f'<script src="{tools}copy.js" data-article="{tools}wechat/{rel}" defer></script>'
            return page.replace(b"</head>", scripts.encode() + b"</head>", 1)

        def reply(
            self, status: int, body: bytes, content_type: str, immutable: bool = False
        ) -> None:
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

        def events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            if self.head_only:
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.end_headers()
            with state.cond:
                version = state.version
            try:
                self.wfile.write(f"data: {version}\n\n".encode())
                self.wfile.flush()
                while True:
                    version = state.wait_for_change(version, timeout=15)
                    self.wfile.write(f"data: {version}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _is_profile(rel: str) -> bool:
    """campaign/slug/ (but not campaign/notice/): the pages that have a 公众号 version."""
    parts = rel.strip("/").split("/")
    return rel.endswith("/") and len(parts) == 2 and parts[1] != urls.NOTICE


def _type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return (
        f"{kind}; charset=utf-8"
        if kind.startswith("text/") or kind.endswith(("javascript", "json"))
        else kind
    )


def watch_paths(options: BuildOptions) -> list[Path]:
    paths = [options.content.resolve()]
    if options.themes_dir.is_dir():
        paths.append(options.themes_dir.resolve())
    return paths


def changes(paths: list[Path], stop: threading.Event, debounce_ms: int = 25) -> Iterator[set[Path]]:
    """Batches of changed files: a burst of saves within the debounce window is one batch."""
    for batch in watchfiles.watch(
        *paths,
        debounce=1600,
        step=debounce_ms,
        stop_event=stop,
        rust_timeout=200,
        yield_on_timeout=False,
    ):
        yield {
            Path(p)
            for _, p in batch
            if not Path(p).name.startswith((".", "~")) and not p.endswith("~")
        }


@dataclass
class Server:
    site: DevSite
    httpd: http.server.ThreadingHTTPServer
    stop: threading.Event
    thread: threading.Thread

    @property
    def url(self) -> str:
        return self.url_on(str(self.httpd.server_address[0]))

    @property
    def admin_url(self) -> str:
        """The workbench's address (this computer only; None-like "" in --lan mode)."""
        if self.site.state.prefix:
            return ""
        return f"http://127.0.0.1:{int(self.httpd.server_address[1])}/_admin/"

    def url_on(self, host: str) -> str:
        """The preview's address as seen at ``host`` (the token in front with --lan)."""
        state = self.site.state
        return f"http://{host}:{int(self.httpd.server_address[1])}{state.prefix}{state.base_path}"

    def wait_ready(self, timeout: float = 300) -> bool:
        """Block until the first rendering is done (or failed); False on timeout."""
        state = self.site.state
        with state.cond:
            return state.cond.wait_for(lambda: not state.preparing, timeout=timeout)

    def shutdown(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _base_path(options: BuildOptions) -> str:
    """site.yaml's sub-path, read before the first rendering (which may take a while)."""
    problems = Problems()
    try:
        config, _ = parse_site(read_text(options.content / SITE_FILE), Path(SITE_FILE), problems)
    except (OSError, TextFileError):
        config = None
    return config.base_path if config is not None else "/"


def start(
    options: BuildOptions,
    host: str = "127.0.0.1",
    port: int = 8000,
    log: Callable[[str], None] = print,
    verbose: bool = False,
    token: str = "",
) -> Server:
    """Serve at once, render in the background (the page says it is preparing), then
    rebuild on every batch of changes. With ``token``, nothing is served without it."""
    site = DevSite(options, log, verbose)
    site.state.base_path = _base_path(options)
    site.state.prefix = f"/{token}" if token else ""
    # The workbench shows private fields: only on this computer, never on the network.
    bench = None if token else Workbench(options, secrets.token_urlsafe(24), set())
    handler = make_handler(site.state, bench)
    httpd = http.server.ThreadingHTTPServer((host, port), handler)
    if bench is not None:
        bound = int(httpd.server_address[1])
        bench.origins.update({f"http://127.0.0.1:{bound}", f"http://localhost:{bound}"})
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    stop = threading.Event()

    def loop() -> None:
        site.rebuild()
        # rebuild() never raises; if watching itself fails (a folder removed and put back),
        # watch again rather than leave a server that no longer notices saves.
        while not stop.is_set():
            try:
                for batch in changes(watch_paths(options), stop):
                    if batch:
                        site.rebuild(batch)
                return
            except Exception as exc:
                log(f"监视文件变化时出错（{exc}），1 秒后重试。")
                stop.wait(1.0)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return Server(site, httpd, stop, thread)
