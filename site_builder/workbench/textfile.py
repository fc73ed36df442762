"""site.yaml or a campaign.yaml as plain text, for when it does not read.

A YAML mistake (``年度：2024`` with a full-width colon) makes the file unreadable, and a
form cannot show a file that does not read: the campaign would vanish from the
workbench while ``check`` names the line. Here the officer sees the file, the problem
with its line marked, and fixes it in the browser. A save goes through the same reading
as the build (nothing that does not read is written) and is kept in the history.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from ..errors import Problem, Problems
from ..load.content import parse_campaign, parse_site
from ..model.record import SLUG_RE
from ..model.source import CAMPAIGN_FILE, SITE_FILE
from ..options import BuildOptions
from ..write.atomic import atomic_write
from .history import History
from .record_form import Form, digest, one
from .response import Response

SITE = "site"  # the name of site.yaml in the editor's path: /_admin/_yaml/site
CONTEXT = 2  # lines shown around a marked line


class Pages(Protocol):
    options: BuildOptions
    history: History

    def page(self, template: str, status: int, **context: Any) -> Response: ...


def yaml_path(content: Path, name: str) -> Path | None:
    """The file the editor's path names: site.yaml, or the campaign.yaml of a folder
    directly in content/ (never a link that leads elsewhere); None for anything else."""
    if name == SITE:
        path = content / SITE_FILE
    elif SLUG_RE.match(name):
        path = content / name / CAMPAIGN_FILE
    else:
        return None
    try:
        path.resolve().relative_to(content.resolve())
    except (ValueError, OSError):
        return None
    return path if path.is_file() and not path.is_symlink() else None


def unreadable_campaigns(content: Path, loaded: set[str]) -> list[str]:
    """Folders in content/ with a campaign.yaml that did not load (a YAML mistake)."""
    return sorted(
        p.parent.name
        for p in content.glob(f"*/{CAMPAIGN_FILE}")
        if p.parent.name not in loaded and yaml_path(content, p.parent.name) is not None
    )


def reading_problems(bench: Pages, name: str, path: Path, text: str) -> list[Problem]:
    problems = Problems(display_root=bench.options.content.resolve())
    if name == SITE:
        parse_site(text, path, problems)
    else:
        parse_campaign(text, path, problems)
    return problems.errors


def _marked(text: str, problems: list[Problem]) -> list[tuple[Problem, list[tuple[int, str]]]]:
    """Each problem with the lines around its own, numbered from 1."""
    lines = text.split("\n")
    out = []
    for p in problems:
        around: list[tuple[int, str]] = []
        if p.line:
            first = max(1, p.line - CONTEXT)
            last = min(len(lines), p.line + CONTEXT)
            around = [(n, lines[n - 1]) for n in range(first, last + 1)]
        out.append((p, around))
    return out


def show_yaml(
    bench: Pages, name: str, path: Path, text: str | None = None, message: str = "",
    status: int = 200, typed: str = "",
) -> Response:  # fmt: skip
    on_disk = path.read_text("utf-8", errors="replace")
    shown = on_disk if text is None else text
    problems = reading_problems(bench, name, path, shown)
    return bench.page(
        "yaml.html", status, name=name, file=SITE_FILE if name == SITE else f"{name}/{CAMPAIGN_FILE}",
        text=shown, digest=digest(on_disk), marked=_marked(shown, problems), message=message,
        typed=typed, first_line=next((p.line for p in problems if p.line), 0),
        back="/_admin/" if name == SITE else f"/_admin/{name}/",
    )  # fmt: skip


def save_yaml(bench: Pages, name: str, path: Path, form: Form) -> Response:
    on_disk = path.read_text("utf-8", errors="replace")
    text = one(form, "text").replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    if one(form, "digest") != digest(on_disk):
        return show_yaml(
            bench, name, path, None, "保存被拒绝：打开本页之后，这个文件已被别处修改。为了不覆盖"
            "那些修改，本次没有写入。下面已是文件现在的内容；您刚才写的内容列在最下面。", 409, text,
        )  # fmt: skip
    if text == on_disk:
        return show_yaml(bench, name, path, None, "没有改动。")
    if reading_problems(bench, name, path, text):
        return show_yaml(
            bench, name, path, text, "还有错误，没有保存：请按下面的提示修改后再保存。", 422
        )
    bench.history.keep(path, on_disk.encode())
    atomic_write(path, text.encode())
    back = "/_admin/?saved=1" if name == SITE else f"/_admin/{name}/?saved=1"
    return Response(303, headers={"Location": back})
