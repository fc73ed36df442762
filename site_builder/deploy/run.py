"""One deploy: the last good output/ to one target, changed files only, in the safe order.

A dry run unless ``write``: it lists what would be uploaded, replaced and deleted.
Network trouble is retried with backoff (reconnecting first); every error that ends
the deploy is a message that names the target and what to check.
"""

from __future__ import annotations

import contextlib
import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..errors import DeployError, UsageError
from ..gate import Gate
from ..model.config import SiteConfig
from ..model.targets import AnyTarget, S3Target
from ..write.output import MARKER
from ..write.swap import checkpoint
from .plan import Plan, local_files, make_plan
from .remote import Remote
from .remotes import open_remote, remote_kind

T = TypeVar("T")
ATTEMPTS = 4
BACKOFF = (0.5, 1.0, 2.0)
DEFAULT_DOMAINS = ("aliyuncs.com", "myqcloud.com")


@dataclass(frozen=True)
class Progress:
    """How far a deploy is: files (uploads, then deletions) and bytes sent."""

    files: int
    total_files: int
    bytes: int
    total_bytes: int


@dataclass
class DeployReport:
    target: AnyTarget
    plan: Plan
    written: bool = False
    warnings: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # in the order it was done, "+path" / "-path"


def choose(config: SiteConfig, name: str | None) -> AnyTarget:
    targets = config.deploy
    if not targets:
        raise UsageError("site.yaml 里还没有“发布”目标。请按 README 的“发布网站”一节添加。")
    if name is None:
        if len(targets) > 1:
            names = "、".join(t.name for t in targets)
            raise UsageError(f"site.yaml 里有多个发布目标（{names}），请用 --to 指定其中一个。")
        return targets[0]
    for target in targets:
        if target.name == name:
            return target
    raise UsageError(f"site.yaml 里没有名为“{name}”的发布目标。")


def warnings_for(target: AnyTarget, config: SiteConfig) -> list[str]:
    """Object storage's own bucket domains serve HTML as a download: say so, and what to do."""
    host = re.sub(r"^https?://([^/]+).*$", r"\1", config.base_url)
    storage = isinstance(target, S3Target) and any(
        d in (target.endpoint or "") for d in DEFAULT_DOMAINS
    )
    if storage and any(host.endswith(d) for d in DEFAULT_DOMAINS):
        return [
            f"网址 {config.base_url} 是对象存储的默认域名：阿里云 OSS 和腾讯云 COS 在默认域名上"
            "会把网页当作文件下载，读者打不开。请在存储桶上绑定已备案的自定义域名（并开启 CDN），"
            "再把 site.yaml 的“网址”改成这个域名。"
        ]
    return []


def deploy(
    output: Path,
    config: SiteConfig,
    target_name: str | None,
    write: bool,
    allow_deletes: bool = False,
    progress: Callable[[Progress], None] | None = None,
    *,
    gate: Gate,
) -> DeployReport:
    """``gate``: what is sent passes it first, all of it before anything is sent, so a
    refusal leaves the target as it was."""
    if not (output / MARKER).is_file():
        raise UsageError(f"“{output}”不是 site-builder 生成的网站。请先运行 site-builder build。")
    target = choose(config, target_name)
    if write and config.is_example_url:
        raise UsageError(
            f"site.yaml 的“网址”还是模板里的示例（{config.base_url}），没有发布任何文件。"
            "请先改成网站发布后的真实网址：每页的二维码和分享链接都由它生成。"
        )
    report = DeployReport(target, Plan(), warnings=warnings_for(target, config))
    local = local_files(output)
    remote = _attempt(target, None, lambda: open_remote(target))
    try:
        listing = _attempt(target, remote, remote.listing)
        report.plan = plan = make_plan(local, listing, remote.compare_by)
        # What the gate reads (the text files) is read once, here, and sent as it passed;
        # photos, which it does not read, are read one at a time as they are sent.
        sent = {f.path: (output / f.path).read_bytes() for f in plan.uploads if gate.reads(f.path)}
        gate.check(sent, Path(f"（发布到“{target.name}”）"))
        if not write:
            return report
        if len(plan.deletes) > target.max_deletes and not allow_deletes:
            raise DeployError(
                f"发布目标“{target.name}”上有 {len(plan.deletes)} 个文件要删除，超过上限 "
                f"{target.max_deletes} 个。请确认没有选错目标；确认无误后加 --allow-deletes，"
                "或在 site.yaml 的这个目标里写“最多删除: …”。"
            )
        total = len(plan.uploads) + len(plan.deletes)
        touched = {f.path for f in plan.uploads} | set(plan.deletes)
        known = {p: h for p, h in listing.items() if h and p not in touched}
        _attempt(target, remote, lambda: remote.begin(known))
        moved = Progress(0, total, 0, plan.upload_bytes)
        for done, file in enumerate(plan.uploads, start=1):
            data = sent.pop(file.path) if file.path in sent else (output / file.path).read_bytes()
            _attempt(target, remote, functools.partial(remote.upload, file, data))
            report.sent.append(f"+{file.path}")
            moved = Progress(done, total, moved.bytes + file.size, moved.total_bytes)
            if progress:
                progress(moved)
            checkpoint(f"uploaded-{done}")  # tests kill a deploy after its Nth file
        for done, path in enumerate(plan.deletes, start=len(plan.uploads) + 1):
            _attempt(target, remote, functools.partial(remote.delete, path))
            report.sent.append(f"-{path}")
            if progress:
                progress(Progress(done, total, moved.bytes, moved.total_bytes))
        _attempt(target, remote, lambda: remote.prune(plan.deletes))
        _attempt(target, remote, lambda: remote.finish({p: f.sha256 for p, f in local.items()}))
        report.written = True
        return report
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection loses nothing
            remote.close()


def _attempt(target: AnyTarget, remote: Remote | None, operation: Callable[[], T]) -> T:
    """Run ``operation``; on network trouble wait, reconnect and try again, a few times."""
    for attempt in range(ATTEMPTS):
        try:
            return operation()
        except (DeployError, UsageError):
            raise
        except Exception as exc:
            error = remote_kind(target).explain(exc, target)
            if error is None or attempt == ATTEMPTS - 1:
                raise (error or _network(target, exc)) from None
            time.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
            if remote is not None:
                with contextlib.suppress(Exception):  # the next attempt says what is wrong
                    remote.reconnect()
    raise AssertionError("unreachable")


def _network(target: AnyTarget, exc: BaseException) -> DeployError:
    where = remote_kind(target).address(target)
    return DeployError(
        f"无法连接发布目标“{target.name}”（{where}）：{type(exc).__name__} {exc}。"
        "请检查网络、地址和端口，稍后重新运行 deploy --write（已完成的部分不会重复上传）。"
    )
