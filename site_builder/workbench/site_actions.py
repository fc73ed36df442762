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
    phone: Any  # dev.phone.PhonePreview when carried by the preview server, else None

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


def phone_page(bench: Bench, message: str = "") -> Response:
    """手机预览: the switch, and when it is on the address and its QR code."""
    import base64

    from ..media.qr import qr_png

    phone = bench.phone
    addresses = phone.addresses if phone is not None else []
    qr = (
        "data:image/png;base64," + base64.b64encode(qr_png(addresses[0])).decode()
        if addresses
        else ""
    )
    return bench.page(
        "phone.html", 200, available=phone is not None, addresses=addresses, qr=qr, message=message
    )


def phone_switch(bench: Bench, on: bool) -> Response:
    phone = bench.phone
    if phone is None:
        return phone_page(bench)
    if not on:
        phone.off()
        return phone_page(bench, "已关闭手机预览：局域网里的其他设备已无法打开。")
    if not phone.on():
        return phone_page(
            bench, "这台电脑现在没有连接局域网（Wi-Fi 或网线），无法给手机预览。请连上网络后再试。"
        )
    return phone_page(bench, "已打开手机预览。")
