"""The ``site-builder`` command: Chinese help, messages a publicity officer can act on,
and exit codes scripts can trust.

Exit codes: 0 success · 1 content problems (every one listed) · 2 usage error ·
70 internal error (a bug: please report it; ``--verbose`` shows the traceback).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

from .args import EXIT_CONTENT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, ChineseParser, make_parser
from .errors import ContentError, DeployError, Problem, TextFileError, UsageError, disk_problem
from .options import BuildOptions


def run() -> NoReturn:
    """The ``site-builder`` command: ``main``, then an exit that does not free every
    object one by one. A build of thousands of records leaves a heap of a few hundred
    megabytes, and freeing it took longer than one edit's pages (mypy's ``hard_exit``
    does the same). Every file is closed and every worker pool shut down by then; the
    standard streams are flushed here."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run_workbench() -> None:
    """``site-builder-gui``: the desktop shortcut's start, with no console window (pythonw
    on Windows): the workbench in the browser, in the folder the shortcut starts in. Its
    messages, with no console to show them, go to .site-builder-workbench.log there;
    the workbench's 退出 button stops it."""
    if sys.stdout is None or sys.stderr is None:
        log = open(".site-builder-workbench.log", "a", encoding="utf-8", buffering=1)  # noqa: SIM115
        sys.stdout = sys.stderr = log
    code = main(["工作台"])
    sys.stdout.flush()
    os._exit(code)


class _LazyConsole:
    """A rich Console made on first use: a quiet build that succeeds prints nothing,
    and importing rich's console (20-25 ms) was a thirtieth of an edit's rebuild."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def made(self) -> Console:
        """The console itself (for rich's own objects, which look up special methods)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)


def _console(stderr: bool) -> Console:
    return cast("Console", _LazyConsole(stderr))


def _made(console: Console) -> Console:
    return console.made() if isinstance(console, _LazyConsole) else console


def main(argv: Sequence[str] | None = None) -> int:
    # A build makes hundreds of thousands of objects that live until it ends (records,
    # pages); at the default threshold (700 allocations) the collector walked them ~300
    # times a build, a tenth of the time of one edit at 2,000 honourees. Cycles are
    # still collected, in larger steps.
    gc.set_threshold(10_000, 10, 10)
    parser = make_parser()
    # No command: the officer's start (a desktop shortcut, a double-click): the workbench
    # in the browser, on this computer only.
    args = parser.parse_args(argv if argv is None or list(argv) else ["工作台"])
    if args.command is None:
        args = parser.parse_args(["工作台"])
    if args.command == "工作台":
        args.command, args.open = "serve", True
    out = _console(stderr=False)
    err = _console(stderr=True)
    try:
        if args.command == "build":
            return _build(args, out, err)
        if args.command == "check":
            return _check(args, out)
        if args.command == "serve":
            return _serve(args, out, err)
        if args.command == "new":
            return _new(args, out, parser)
        if args.command == "import":
            return _import(args, out, err)
        if args.command == "export":
            return _export(args, out, err)
        if args.command == "deploy":
            return _deploy(args, out, err)
        if args.command in ("wechat", "notice"):
            from .publicity import commands

            return (
                commands.wechat(args, out)
                if args.command == "wechat"
                else commands.notice(args, out)
            )
        parser.error(f"未知命令 {args.command}")
    except ContentError as exc:
        _print_problems(err, exc.problems + exc.warnings)
        outcome = STOPPED.get(args.command, "未生成网站；output/ 保持原样")
        err.print(
            f"[bold red]发现 {len(exc.problems)} 个错误[/]，{outcome}。请按提示修改后重新运行。",
            markup=True,
        )
        return EXIT_CONTENT
    except UsageError as exc:
        err.print(f"错误：{exc}", markup=False)
        return EXIT_USAGE
    except DeployError as exc:
        err.print(f"发布失败：{exc}", markup=False)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        err.print("已中断。", markup=False)
        return 130
    except Exception as exc:  # a bug, not a content problem (unless the disk is the matter)
        disk = disk_problem(exc)
        if disk is not None:  # full, read-only, not ours: the officer's to mend, not a bug
            outcome = STOPPED.get(args.command, "output/ 保持上一次成功的样子")
            err.print(f"{disk}（{outcome}）", markup=False)
            return EXIT_CONTENT
        err.print(f"程序内部错误：{type(exc).__name__}: {exc}", markup=False)
        if getattr(args, "verbose", False):
            err.print(traceback.format_exc(), markup=False)
        else:
            err.print(
                "这是 site_builder 的问题，不是您的内容有误。请加 --verbose 重新运行，"
                "把输出发给维护者。",
                markup=False,
            )
        return EXIT_INTERNAL
    return EXIT_OK


# What a command did not do when it stopped on a problem.
STOPPED = {
    "deploy": "没有发布任何文件，发布目标保持原样",
    "wechat": "没有写出公众号文章",
    "notice": "没有写出公示文件",
}


def _print_problems(console: Console, problems: list[Problem]) -> None:
    for problem in problems:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(str(problem), style=style, markup=False)


def _build(args: argparse.Namespace, out: Console, err: Console) -> int:
    started = time.perf_counter()
    options = BuildOptions(
        content=args.content,
        output=args.output,
        cache=args.cache,
        zip=args.zip,
        precompress=args.precompress,
        force=args.force,
        max_pixels=args.max_megapixels * 1_000_000,
    )
    # Nothing changed: said before Pillow, pydantic and Jinja are even imported.
    since = options.since_last_build()
    if options.up_to_date(since):
        if not args.quiet:
            out.print(
                f"内容没有变化，{args.output}/ 已是最新（用时 {time.perf_counter() - started:.2f} 秒）。"
                "如需重新生成，加 --force。",
                markup=False,
            )
        return EXIT_OK

    from .pipeline import build

    shown: tuple[Progress, TaskID] | None = None  # once there are images to wait for

    def on_progress(done: int, total: int) -> None:
        nonlocal shown
        if shown is None:
            if args.quiet or not total:
                return
            # Imported here: most rebuilds (a story edited) have no image to make.
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            bar = Progress(
                TextColumn("处理图片和二维码"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=_made(err),
                transient=True,
            )
            shown = bar, bar.add_task("images", total=total)
            bar.start()
        shown[0].update(shown[1], completed=done, total=total)

    try:
        result = build(options, on_progress, since)
    finally:
        if shown is not None:
            shown[0].stop()
    if result.unchanged:
        if not args.quiet:
            out.print(
                f"内容没有变化，{args.output}/ 已是最新（用时 {result.seconds:.2f} 秒）。"
                "如需重新生成，加 --force。",
                markup=False,
            )
        return EXIT_OK
    if not args.quiet:
        _print_problems(err, result.warnings)
        out.print(
            f"已生成 {args.output}/：{result.pages} 个页面（{result.rendered} 个重新生成），"
            f"共 {result.files} 个文件；"
            f"图片 {result.images.made} 张新生成、{result.images.reused} 张复用；"
            f"用时 {result.seconds:.1f} 秒。",
            markup=False,
        )
        if args.zip:
            out.print(f"已打包为 {args.zip}。", markup=False)
    return EXIT_OK


def _serve(args: argparse.Namespace, out: Console, err: Console) -> int:
    import signal
    import threading
    import webbrowser

    from .dev.phone import lan_addresses
    from .dev.serve import start

    options = BuildOptions(content=args.content, cache=args.cache)

    def log(message: str) -> None:
        if not args.quiet:
            err.print(message, markup=False)

    host = "0.0.0.0" if args.lan else args.host
    import secrets

    token = secrets.token_urlsafe(9) if args.lan else ""
    try:
        server = start(options, host, args.port, log, args.verbose, token)
    except OSError as exc:
        raise UsageError(
            f"无法在 {host}:{args.port} 启动预览（{exc.strerror}）。请换一个端口：--port 8001"
        ) from None
    if server.admin_url:
        out.print(f"工作台：{server.admin_url}  （在浏览器里编辑内容、生成网站）", markup=False)
    if args.lan:
        from .media.qr import terminal_qr

        addresses = lan_addresses()
        if not addresses:
            out.print("没有找到本机的局域网地址：请确认电脑已连上 Wi-Fi 或网线。", markup=False)
        for address in addresses:
            out.print(f"手机预览地址：{server.url_on(address)}", markup=False)
        if addresses:
            out.print(terminal_qr(server.url_on(addresses[0])), markup=False)
            out.print(
                "用手机微信扫一扫上面的二维码（手机和电脑要连在同一个网络）。网址里的口令只在本次有效，"
                "不要转发给别人。",
                markup=False,
            )
    out.print(
        f"预览地址：{server.url_on('127.0.0.1')}  （修改内容后自动刷新，按 Ctrl-C 或关闭本窗口停止）",
        markup=False,
    )
    if args.open:
        webbrowser.open(server.admin_url or server.url_on("127.0.0.1"))
    stopped = threading.Event()

    def stop(signum: int, frame: object) -> None:
        stopped.set()  # Ctrl-C, the console window closed, a service manager's SIGTERM

    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    if server.workbench is not None:
        server.workbench.on_quit = stopped.set  # the workbench's own 退出 button
    while not stopped.wait(3600):
        pass
    server.shutdown()
    out.print("预览已停止。", markup=False)
    return EXIT_OK


def _new(args: argparse.Namespace, out: Console, parser: ChineseParser) -> int:
    from .forms import scaffold

    if args.kind == "site":
        path = scaffold.new_site(args.content, args.organiser)
    elif args.kind == "campaign":
        path = scaffold.new_campaign(args.content, args.id)
    elif args.kind == "honoree":
        path = scaffold.new_honoree(
            args.content, args.campaign, args.name, args.unit, args.category
        )
    else:
        parser.parse_args(["new", "--help"])
        return EXIT_USAGE
    out.print(f"已新建 {path}，请打开修改其中的内容。", markup=False)
    if args.kind == "honoree":
        out.print(
            f"此人的网址固定为 …/{args.campaign}/{path.parent.name}/（以后不会改变）。",
            markup=False,
        )
    return EXIT_OK


def _import(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .forms.importing import run_import

    plan, notes, written = run_import(
        args.content, args.campaign, args.files, args.write, args.force, args.unit
    )
    for item in plan:
        fields = item.intake.fields
        out.print(
            f"{item.action}：{item.slug}/  {item.intake.name}  {fields.get('推荐单位', '（无推荐单位）')}  "
            f"{len(fields)} 项信息、{len(item.intake.photos)} 张照片  ← {item.intake.source}",
            markup=False,
        )
    for note in notes:
        err.print(
            f"{'请核对' if note.doubtful else '未能读取'}：{note}", style="yellow", markup=False
        )
    if args.write:
        out.print(
            f"已写入 {len(written)} 位人选（状态为“拟推荐”）。请核对内容并补写照片说明后，把状态改为“已审定”。",
            markup=False,
        )
    else:
        out.print(f"以上为预览，共 {len(plan)} 位；确认无误后加 --write 写入。", markup=False)
    # A file that could not be read at all is the officer's to replace: exit 1, after
    # what the other files gave was shown (and, with --write, written).
    return EXIT_CONTENT if any(note.place == "整个文件" for note in notes) else EXIT_OK


def _export(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .forms.export import export

    data, count = export(args.content, args.campaign, args.format, args.include_private)
    target = args.output or Path(f"{args.campaign}-推荐汇总表.{args.format}")
    target.write_bytes(data)
    if args.include_private:
        err.print(
            "注意：该文件含有身份证号、电话、地址等个人信息，仅供内部存档，请勿外传或上传到网站。",
            style="bold yellow",
            markup=False,
        )
    out.print(f"已导出 {count} 位已审定人选到 {target}。", markup=False)
    return EXIT_OK


def _deploy(args: argparse.Namespace, out: Console, err: Console) -> int:
    from .deploy.run import deploy
    from .errors import Problems
    from .gate import gate_for
    from .load.content import parse_site
    from .load.text import read_text
    from .model.source import SITE_FILE

    problems = Problems(display_root=Path.cwd())
    path = args.content / SITE_FILE
    try:
        config, _ = parse_site(read_text(path), path, problems)
    except (OSError, TextFileError) as exc:
        raise UsageError(f"无法读取 {path}（{exc}）。") from None
    problems.raise_if_errors()
    assert config is not None
    gate = gate_for(BuildOptions(content=args.content, output=args.output))
    report = deploy(args.output, config, args.to, args.write, args.allow_deletes, gate=gate)
    for warning in report.warnings:
        err.print(f"注意：{warning}", style="yellow", markup=False)
    plan, name = report.plan, report.target.name
    new = len(plan.uploads) - len(plan.replaced)
    size = plan.upload_bytes / 1_000_000
    summary = (
        f"新增 {new} 个、更新 {len(plan.replaced)} 个文件（共 {size:.1f} MB），"
        f"删除 {len(plan.deletes)} 个，{plan.unchanged} 个未变"
    )
    if not args.write:
        if not args.quiet:
            for file in plan.uploads:
                mark = "更新" if file.path in plan.replaced else "新增"
                out.print(f"  {mark} {file.path}", markup=False)
            for deleted in plan.deletes:
                out.print(f"  删除 {deleted}", markup=False)
        out.print(f"预览（发布到“{name}”）：{summary}。确认无误后加 --write 发布。", markup=False)
        return EXIT_OK
    out.print(f"已发布到“{name}”：{summary}。", markup=False)
    return EXIT_OK


def _check(args: argparse.Namespace, out: Console) -> int:
    from .pipeline import check

    problems = check(BuildOptions(content=args.content, max_pixels=args.max_megapixels * 1_000_000))
    errors = [p for p in problems if p.severity == "error" or args.strict]
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        _print_problems(out, problems)
        if not args.quiet:
            warnings = len(problems) - len([p for p in problems if p.severity == "error"])
            errors_n = len(problems) - warnings
            out.print(f"检查完成：{errors_n} 个错误，{warnings} 个警告。", markup=False)
    return EXIT_CONTENT if errors else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
