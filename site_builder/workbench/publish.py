"""发布 from the workbench: preview, publish with live progress, the history, 回退.

预览发布 builds the site (a build with errors is refused, as is a site whose 网址 is the
scaffold's example) and runs ``deploy`` as a dry run: what would be uploaded, replaced
and deleted. 发布 runs the real deploy in the background — the same function, order
and publish gate as ``site-builder deploy --write`` — and the page follows it (files
and bytes) until it ends with the live address, a QR code to open it on a phone, and
a line in the history. The tree each publication sent is kept (hard links, so it
costs little), and 回退 publishes the one before it again, in the same safe order.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..deploy.run import DeployReport, Progress, choose, deploy, warnings_for
from ..errors import ContentError, DeployError, UsageError
from ..gate import gate_for
from ..media.qr import qr_png
from ..model.source import Site
from ..options import BuildOptions
from .dashboard import fix_link
from .record_form import Form, one
from .response import Response
from .targets import rows
from .textfile import Pages

HISTORY = "publications.jsonl"
SHOWN_PATHS = 300  # of a preview's list


@dataclass
class Job:
    """One publication running in the background, as the page follows it."""

    target: str
    rollback: bool
    state: str = "running"  # running | done | failed
    progress: Progress = field(default_factory=lambda: Progress(0, 0, 0, 0))
    message: str = ""
    address: str = ""


_jobs: dict[Path, Job] = {}
_jobs_lock = threading.Lock()


def _root(bench: Pages) -> Path:
    return bench.options.cache_dir / "workbench" / "published"


def _kept(bench: Pages, target: str, which: str) -> Path:
    safe = hashlib.sha256(target.encode()).hexdigest()[:16]
    return _root(bench) / safe / which


def history(bench: Pages) -> list[dict[str, Any]]:
    path = _root(bench) / HISTORY
    lines = path.read_text("utf-8").splitlines() if path.is_file() else []
    out = []
    for line in reversed(lines[-200:]):
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def _note(bench: Pages, entry: dict[str, Any]) -> None:
    path = _root(bench) / HISTORY
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def publish_page(
    bench: Pages, site: Site, query: Form, message: str = "", status: int = 200
) -> Response:
    job = _jobs.get(bench.options.content.resolve())
    if "removed" in query:
        message = "已删除这个发布目标（网站上已发布的文件不受影响）。"
    return bench.page(
        "publish.html", status, site=site, targets=rows(site), history=history(bench)[:30],
        job=job, message=message, rollback={
            t.name: _kept(bench, t.name, "previous").is_dir() for t in site.config.deploy
        },
    )  # fmt: skip


def _options(bench: Pages) -> BuildOptions:
    o = bench.options
    return BuildOptions(content=o.content, output=o.output, cache=o.cache,
                        display_root=o.content.resolve().parent)  # fmt: skip


def _refusal(bench: Pages, site: Site, title: str, text: str, problems: Any = None) -> Response:
    return bench.page(
        "publish_preview.html", 200, site=site, refused=title, text=text,
        problems=problems or [], link=fix_link, report=None,
    )  # fmt: skip


def preview(bench: Pages, site: Site, form: Form) -> Response:
    """Build, then the dry run: nothing is sent."""
    from ..pipeline import build

    if site.config.is_example_url:
        return _refusal(bench, site, "还不能发布", "网站设置里的“网址”还是模板里的示例。请先在"
                        "“网站设置”里填写网站发布后的真实网址：每页的二维码和分享链接都由它生成。")  # fmt: skip
    try:
        build(_options(bench))
    except ContentError as exc:
        return _refusal(bench, site, "内容有错误，不能发布", "请先改好下面的错误（已发布的网站没有"
                        "任何改动）：", exc.problems)  # fmt: skip
    try:
        target = choose(site.config, one(form, "target"))
        report = deploy(bench.options.output, site.config, target.name, write=False,
                        gate=gate_for(_options(bench)))  # fmt: skip
    except (UsageError, DeployError) as exc:
        return _refusal(bench, site, "无法预览发布", str(exc))
    return _preview_page(bench, site, report)


def _preview_page(bench: Pages, site: Site, report: DeployReport) -> Response:
    plan = report.plan
    listed = [("更新" if f.path in plan.replaced else "新增", f.path) for f in plan.uploads]
    listed += [("删除", p) for p in plan.deletes]
    return bench.page(
        "publish_preview.html", 200, site=site, refused="", text="", problems=[], link=fix_link,
        report=report, new=len(plan.uploads) - len(plan.replaced), listed=listed[:SHOWN_PATHS],
        more=max(0, len(listed) - SHOWN_PATHS), over_cap=len(plan.deletes) > report.target.max_deletes,
        megabytes=plan.upload_bytes / 1_000_000,
    )  # fmt: skip


def start(bench: Pages, site: Site, form: Form, rollback: bool = False) -> Response:
    """The real deploy, in the background; the page follows it."""
    key = bench.options.content.resolve()
    with _jobs_lock:
        running = _jobs.get(key)
        if running is not None and running.state == "running":
            return Response(303, headers={"Location": "/_admin/_publish/job"})
        try:
            target = choose(site.config, one(form, "target"))
        except UsageError as exc:
            return publish_page(bench, site, {}, str(exc), 404)
        tree = _kept(bench, target.name, "previous") if rollback else bench.options.output
        if rollback and not tree.is_dir():
            return publish_page(bench, site, {}, "没有可以回退的上一次发布。", 404)
        job = _jobs[key] = Job(target.name, rollback)
    allow = one(form, "allow_deletes") == "1"
    thread = threading.Thread(
        target=_run, args=(bench, site, job, tree, allow), name="site-builder-publish", daemon=True
    )
    thread.start()
    return Response(303, headers={"Location": "/_admin/_publish/job"})


def _run(bench: Pages, site: Site, job: Job, tree: Path, allow_deletes: bool) -> None:
    def follow(progress: Progress) -> None:
        job.progress = progress

    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    entry: dict[str, Any] = {
        "when": when,
        "target": job.target,
        "what": "回退" if job.rollback else "发布",
    }
    try:
        if not job.rollback:
            from ..pipeline import build

            build(_options(bench))  # what is published is the content as it is now
        report = deploy(tree, site.config, job.target, write=True, allow_deletes=allow_deletes,
                        progress=follow, gate=gate_for(_options(bench)))  # fmt: skip
    except ContentError as exc:
        job.state, job.message = (
            "failed",
            f"内容有错误，没有发布：{len(exc.problems)} 个错误，请先在工作台改好。",
        )
    except (UsageError, DeployError) as exc:
        job.state, job.message = "failed", str(exc)
    except Exception as exc:  # our own bug: said, and the workbench goes on
        job.state, job.message = (
            "failed",
            f"程序内部错误（{type(exc).__name__}），没有发布完。请重试或报告问题。",
        )
    else:
        plan = report.plan
        entry |= {"new": len(plan.uploads) - len(plan.replaced), "replaced": len(plan.replaced),
                  "deleted": len(plan.deletes), "bytes": plan.upload_bytes, "ok": True}  # fmt: skip
        job.address, job.state = site.config.base_url, "done"
        job.message = "；".join(warnings_for(report.target, site.config))
        _keep_tree(bench, job.target, tree, job.rollback)
        _note(bench, entry)
        return
    _note(bench, entry | {"ok": False, "message": job.message})


def _keep_tree(bench: Pages, target: str, tree: Path, rollback: bool) -> None:
    """After a publication: what is live now is ``current``, the one before ``previous``."""
    current, previous = _kept(bench, target, "current"), _kept(bench, target, "previous")
    if rollback:  # previous is live again: the two change places
        swap = current.with_name("swap")
        shutil.rmtree(swap, ignore_errors=True)
        if current.is_dir():
            current.rename(swap)
        previous.rename(current)
        if swap.is_dir():
            swap.rename(previous)
        return
    shutil.rmtree(previous, ignore_errors=True)
    if current.is_dir():
        current.rename(previous)
    current.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(tree, current, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)  # the build replaces files, never rewrites them in place
    except OSError:
        shutil.copy2(source, target)


def job_state(bench: Pages) -> Response:
    job = _jobs.get(bench.options.content.resolve())
    body = {"state": "none"} if job is None else asdict(job)
    return Response(200, json.dumps(body, ensure_ascii=False).encode(), "application/json")


def job_page(bench: Pages, site: Site) -> Response:
    job = _jobs.get(bench.options.content.resolve())
    qr = ""
    if job is not None and job.state == "done":
        qr = "data:image/png;base64," + base64.b64encode(qr_png(job.address)).decode()
    return bench.page("publish_job.html", 200, job=job, qr=qr)
