"""``site-builder serve``: a live preview that rebuilds on save and never dies on a typo.

The site is rendered in memory (output/ is not touched) and served under the
configured sub-path by a small threaded HTTP server; photos come straight from the
image cache. ``watchfiles`` (Rust notify) reports file changes in debounced batches,
so a burst of saves is one rebuild. Only the pages that depend on the changed files
are rendered again (the site plan's ``affected``). Browsers are told to reload over
Server-Sent Events; while the content has errors every page is replaced by an
overlay listing them, in the same words as ``check``.

Why not the ``livereload`` package: it brings Tornado, rebuilds once per event (the
reason MkDocs dropped it) and has no notion of an error overlay.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import secrets
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from ..errors import ContentError, Problem, Problems, TextFileError, UsageError
from ..load.cache import RecordCache
from ..load.content import parse_site
from ..load.text import read_text
from ..model.source import SITE_FILE
from ..model.urls import is_hashed
from ..pipeline import BuildOptions, render
from ..publicity.wechat import article_for
from ..workbench.app import Workbench
from ..workers import NOT_INHERITED
from ..write.fingerprint import changed_between, walk
from .handler import make_handler
from .phone import PhonePreview, lan_addresses
from .state import DevState


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
        self._scanned_with = ""  # the detector the files served were all scanned with
        self.records: RecordCache | None = None  # the records as read, between rebuilds

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
            done = render(
                self.options, progress=self._progress, changed=changed, records=self.records
            )
            self.records = done.records  # kept in memory: not unpickled again next time
            files = dict(done.rendered.files)
            for name in done.rendered.skipped:
                if name in self.state.files:
                    files[name] = self.state.files[name]
            # What was rendered again is scanned; the rest was scanned by the last
            # rebuild with this very detector (the private values unchanged), so only a
            # new detector scans everything again — as ``build`` does.
            fresh = self._scanned_with == done.detector.digest and changed is not None
            new = {
                name: data
                for name, data in done.rendered.files.items()
                # a file named by its hash (search data, assets) served already is that file
                if not (is_hashed(name) and self.state.files.get(name) == data)
            }
            done.gate.check(new if fresh else files, Path("(预览)"))
            self._scanned_with = done.detector.digest
        except UsageError as exc:  # no site here yet (an empty folder): say where to make one
            empty = not (self.options.content / SITE_FILE).is_file()
            problem = Problem(
                "（预览）",
                None,
                "",
                "这个文件夹里还没有网站" if empty else str(exc),
                "请打开工作台新建网站：地址在启动时的窗口第一行，形如 http://127.0.0.1:8000/_admin/",
            )
            self.state.publish(problems=[problem], detail="", preparing=False)
            return
        except ContentError as exc:
            self.state.publish(problems=exc.problems, detail="", preparing=False)
            self.log(f"发现 {len(exc.problems)} 个错误，浏览器里显示错误说明：")
            for problem in exc.problems:
                self.log(f"  {problem}")
            return
        images = dict(done.linked)
        self.state.publish(
            files=files,
            images=images,
            problems=[],
            detail="",
            base_path=done.site.config.base_path,
            preparing=False,
            article=functools.partial(article_for, done),
            kinds=done.plan.kinds(),
        )
        done.records.save()  # after the browser was told: it reloads meanwhile
        self.log(
            f"已更新（{len(done.rendered.files)} 个文件重新生成，{time.perf_counter() - started:.2f} 秒）"
        )


def _warm(bench: Workbench) -> None:
    """The workbench's records read once the preview is ready, while the officer looks at
    it: the first workbench page of an archive then finds them read (4 s at 2,000 the
    first time serve runs). A problem here is left for the request that meets it again,
    which says what it is."""
    with contextlib.suppress(Exception):
        bench.loader.load()


def _listing(options: BuildOptions) -> dict[Path, tuple[int, int]]:
    """Every watched file → (size, modification time)."""
    return {root / rel: stat for root in watch_paths(options) for rel, stat in walk(root).items()}


def watch_paths(options: BuildOptions) -> list[Path]:
    paths = [options.content.resolve()]
    if options.themes_dir.is_dir():
        paths.append(options.themes_dir.resolve())
    return paths


def changes(
    paths: list[Path], stop: threading.Event, debounce_ms: int = 25, recursive: bool = True
) -> Iterator[set[Path]]:
    """Batches of changed files: a burst of saves within the debounce window is one batch."""
    for batch in watchfiles.watch(
        *paths,
        recursive=recursive,
        debounce=1600,
        step=debounce_ms,
        stop_event=stop,
        rust_timeout=200,
        yield_on_timeout=True,  # an empty batch first: the watcher is running from then on
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
    workbench: Workbench | None = None

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
        if self.workbench is not None and self.workbench.phone is not None:
            self.workbench.phone.off()
        self.httpd.shutdown()
        NOT_INHERITED.discard(self.httpd.socket.fileno())
        self.httpd.server_close()
        # A rendering under way is not waited for: the preview writes only the cache, each
        # file atomically, and its workers end with this process.
        self.thread.join(timeout=0.5)


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
    if host not in ("0.0.0.0", "::", ""):
        site.state.hosts.add(host if ":" not in host else f"[{host}]")
    if token:  # the phone on the local network opens the addresses serve --lan prints
        site.state.hosts.update(lan_addresses())
    # The workbench shows private fields: only on this computer, never on the network.
    bench = None if token else Workbench(options, secrets.token_urlsafe(24), set())
    handler = make_handler(site.state, bench)
    httpd = http.server.ThreadingHTTPServer((host, port), handler)
    NOT_INHERITED.add(httpd.socket.fileno())  # image workers forked later must not hold it
    if bench is not None:
        bench.phone = PhonePreview(site.state)  # the workbench's 手机预览 switch
        bound = int(httpd.server_address[1])
        bench.origins.update({f"http://127.0.0.1:{bound}", f"http://localhost:{bound}"})
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    stop = threading.Event()

    def loop() -> None:
        # What is saved while nothing watches yet (the first rendering: seconds for an
        # archive) is found by comparing the files with a listing taken before it, once
        # the watcher runs; so is what changes while watching is started again.
        before: dict[Path, tuple[int, int]] | None = _listing(options)
        site.rebuild()
        if bench is not None:  # its first page need not read the archive: read it now
            threading.Thread(target=_warm, args=(bench,), daemon=True).start()
        # rebuild() never raises; if watching itself fails (a folder removed and put back),
        # watch again rather than leave a server that no longer notices saves. With no
        # content/ yet (an empty folder), the folder it will appear in is watched, not
        # recursively, until it does; then content/ itself.
        while not stop.is_set():
            waiting = not options.content.is_dir()
            paths = [options.content.resolve().parent] if waiting else watch_paths(options)
            try:
                for batch in changes(paths, stop, recursive=not waiting):
                    if waiting:
                        if options.content.is_dir():
                            before = _listing(options)
                            site.rebuild()
                            break  # watch content/ from now on
                        continue
                    if before is not None:
                        batch |= changed_between(before, _listing(options))
                        before = None
                    if batch:
                        site.rebuild(batch)
                else:
                    return  # stopped
            except Exception as exc:
                log(f"监视文件变化时出错（{exc}），1 秒后重试。")
                before = _listing(options)
                stop.wait(1.0)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return Server(site, httpd, stop, thread, bench)
