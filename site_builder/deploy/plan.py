"""What a deploy sends, and in what order.

Readers are on the site while it changes, so the order is fixed: first every new or
changed file that is not a page (hashed assets, photos, posters, QR codes: new names
break nothing), then the pages (which now find everything they reference), then the
deletions of what the new site no longer has. Stopped at any moment, the live site is
an older page or a newer one, never a page whose images are missing; the next run
compares again and finishes the job.

Headers come from the same rules as ``_headers``: everything under assets/ carries a
content hash and is cached for good, everything else is revalidated; text has
``charset=utf-8``.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import UsageError
from ..model.urls import ASSETS
from ..pages.hosting import CACHE_FOREVER, NO_CACHE
from ..write.output import MARKER

# Files for hosts that read them from the folder (Netlify, nginx), not for a deploy.
NOT_PUBLISHED = {MARKER, "_headers", "nginx-site-builder.conf"}
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml")


@dataclass(frozen=True)
class LocalFile:
    path: str  # relative, with /
    size: int
    md5: str
    sha256: str
    content_type: str
    cache_control: str

    @property
    def is_page(self) -> bool:
        return PurePosixPath(self.path).suffix in (".html", ".xml", ".txt")


def content_type(path: str) -> str:
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.endswith(".js"):
        kind = "application/javascript"
    return (
        f"{kind}; charset=utf-8" if kind.startswith(TEXT_TYPES) or kind.endswith("+xml") else kind
    )


def cache_control(path: str) -> str:
    return CACHE_FOREVER if path.startswith(f"{ASSETS}/") else NO_CACHE


def local_files(output: Path) -> dict[str, LocalFile]:
    """Every file a deploy publishes from output/ (never anything outside it)."""
    files: dict[str, LocalFile] = {}
    root = str(output)
    for folder, dirs, names in os.walk(root):  # a linked folder is not walked into
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        if links:
            names = [*names, *links]  # refused below, like a linked file
            dirs[:] = [d for d in dirs if d not in links]
        dirs.sort()
        for name in sorted(names):
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if rel in NOT_PUBLISHED or rel.endswith(".gz"):
                continue
            if os.path.islink(full):  # the build makes none: it could point anywhere
                raise UsageError(
                    f"“{output}”里的“{rel}”是一个链接，不是 site-builder 生成的文件，没有发布任何文件。"
                    "请删除它，或重新运行 site-builder build --force。"
                )
            data = Path(full).read_bytes()
            files[rel] = LocalFile(
                rel,
                len(data),
                hashlib.md5(data, usedforsecurity=False).hexdigest(),
                hashlib.sha256(data).hexdigest(),
                content_type(rel),
                cache_control(rel),
            )
    return files


@dataclass
class Plan:
    uploads: list[LocalFile] = field(default_factory=list)  # in the order to send them
    replaced: set[str] = field(default_factory=set)  # of the uploads, those already there
    deletes: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def upload_bytes(self) -> int:
        return sum(f.size for f in self.uploads)


def make_plan(local: dict[str, LocalFile], remote: dict[str, str | None], by: str) -> Plan:
    """Compare by ``by`` ("md5" or "sha256"); a remote file of unknown hash is sent again."""
    plan = Plan()
    for path, file in local.items():
        known = remote.get(path, "")
        if known is not None and known and known.lower() == getattr(file, by):
            plan.unchanged += 1
            continue
        plan.uploads.append(file)
        if path in remote:
            plan.replaced.add(path)
    plan.uploads.sort(key=lambda f: (f.is_page, f.path))  # everything else first, then pages
    plan.deletes = sorted(path for path in remote if path not in local)
    return plan
