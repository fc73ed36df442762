"""Themes: a folder of templates, static files and a small theme.yml — no Python.

``make_environment`` is the one place the Jinja environment is built: autoescape
on for everything, StrictUndefined so a typo in a template fails the build instead
of printing nothing, and our filters registered.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .dates import chinese_date
from .errors import UsageError

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"
HASHED_SUFFIXES = {".css", ".js", ".json", ".svg", ".png", ".ico", ".webp", ".jpg"}


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    settings: tuple[tuple[str, object], ...]

    @property
    def templates(self) -> Path:
        return self.folder / "templates"

    @property
    def static(self) -> Path:
        return self.folder / "static"


def find_theme(name: str, project_themes: Path | None) -> Theme:
    candidates = [p / name for p in (project_themes, BUILTIN_THEMES) if p is not None]
    for folder in candidates:
        if (folder / "theme.yml").is_file():
            settings = yaml.safe_load((folder / "theme.yml").read_text("utf-8")) or {}
            items = tuple(sorted(settings.items())) if isinstance(settings, dict) else ()
            return Theme(name, folder, items)
    where = "、".join(str(p) for p in candidates)
    raise UsageError(f"找不到主题“{name}”（已查找：{where}）。请检查 site.yaml 的“主题”。")


@functools.lru_cache(maxsize=8)
def make_environment(theme: Theme) -> Environment:
    """One environment per theme: compiled templates are reused (auto_reload notices edits)."""
    env = Environment(
        loader=FileSystemLoader(str(theme.templates)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cdate"] = chinese_date
    env.filters["json_attr"] = lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True)
    return env


def hashed_name(name: str, data: bytes) -> str:
    """site.css → site.3f2a9c1b0d.css; the hash changes exactly when the bytes do."""
    path = Path(name)
    if path.suffix not in HASHED_SUFFIXES:
        return name
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}").as_posix())


def static_files(theme: Theme) -> dict[str, bytes]:
    """Theme static files by their hashed name under assets/, in a stable order."""
    out: dict[str, bytes] = {}
    if theme.static.is_dir():
        for path in sorted(theme.static.rglob("*")):
            if path.is_file():
                rel = path.relative_to(theme.static).as_posix()
                out[rel] = path.read_bytes()
    return out
