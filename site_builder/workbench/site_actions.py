"""The workbench's actions on the whole site: build it (and its zip), download the zip,
and stop the workbench itself."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from ..errors import ContentError, UsageError, disk_problem
from ..options import BuildOptions
from ..write.output import write_zip
from .dashboard import fix_link
from .response import Response, attachment


class Bench(Protocol):
    """What these actions need of the workbench."""

    options: BuildOptions
    on_quit: Callable[[], None] | None

    def page(self, template: str, status: int, **context: Any) -> Response: ...


def zip_path(bench: Bench) -> Path:
    return bench.options.cache_dir / "workbench" / "site.zip"


def build_site(bench: Bench) -> Response:
    """The real build, into the same output/ as ``site-builder build``, and its zip."""
    from ..pipeline import build

    options = BuildOptions(
        content=bench.options.content,
        output=bench.options.output,
        cache=bench.options.cache,
        display_root=bench.options.content.resolve().parent,
    )
    try:
        result = build(options)
    except ContentError as exc:
        return bench.page(
            "build.html", 200, ok=False, problems=exc.problems + exc.warnings, link=fix_link
        )
    except UsageError as exc:
        return bench.page("message.html", 200, title="无法生成网站", text=str(exc))
    except OSError as exc:
        disk = disk_problem(exc)  # full, read-only, no permission: the officer's to mend
        if disk is None:
            raise
        return bench.page("message.html", 200, title="无法生成网站", text=disk)
    write_zip(bench.options.output, zip_path(bench))
    return bench.page(
        "build.html", 200, ok=True, result=result, output=bench.options.output, link=fix_link
    )


def site_zip(bench: Bench) -> Response:
    path = zip_path(bench)
    if not path.is_file():
        return bench.page("message.html", 404, title="还没有生成压缩包", text="请先点“生成网站”。")
    headers = {"Content-Disposition": attachment("site.zip")}
    return Response(200, path.read_bytes(), "application/zip", headers)


def quit_workbench(bench: Bench) -> Response:
    """Stop the preview and the workbench, once this page has gone out."""
    if bench.on_quit is not None:
        threading.Timer(0.5, bench.on_quit).start()
    return bench.page("message.html", 200, title="工作台已退出", text="可以关闭这个浏览器页面了。")
