"""Themes: a folder of templates, static files and a small theme.yml — no Python.

The built-in themes are package data (``site_builder/themes/``), found through
``importlib.resources``, so an installed wheel works in an empty folder. A project's
``themes/<name>/`` comes first; when its theme.yml says ``继承: default`` it needs to
hold only the templates and static files it changes, and everything else comes from
the parent (as mkdocs' ``custom_dir`` works). theme.yml is validated like every
other config file: its problems name the file and line.

``make_environment`` is the one place the Jinja environment is built: autoescape
on for everything, StrictUndefined so a typo in a template fails the build instead
of printing nothing, and our filters registered.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)
from markupsafe import Markup, escape

from ..errors import Problems, TextFileError
from ..load.text import decode, parse_yaml
from ..load.validate import validate
from ..model.dates import chinese_date
from ..model.source import YamlDoc, key_line
from ..model.theme import ThemeConfig

THEME_FILE = "theme.yml"
HASHED_SUFFIXES = {".css", ".js", ".json", ".svg", ".png", ".ico", ".webp", ".jpg"}


def builtin_themes() -> Traversable:
    return resources.files("site_builder") / "themes"


@dataclass(frozen=True)
class ThemeLayer:
    """One theme folder; ``project`` is true for the project's own themes/ folder."""

    name: str
    root: Traversable
    project: bool

    @property
    def templates(self) -> Traversable:
        return self.root / "templates"

    @property
    def static(self) -> Traversable:
        return self.root / "static"


@dataclass(frozen=True)
class Theme:
    """A theme and the themes it extends: the first layer that has a file wins."""

    name: str
    layers: tuple[ThemeLayer, ...]
    # The template files of every layer (name, mtime): a template added, removed or
    # edited gives another Theme, so a cached environment never renders the old one.
    files: tuple[tuple[str, int], ...] = ()

    @property
    def project_folders(self) -> tuple[Path, ...]:
        return tuple(Path(str(layer.root)) for layer in self.layers if layer.project)


def _locate(name: str, project_themes: Path | None, skip_project: bool) -> ThemeLayer | None:
    if project_themes is not None and not skip_project:
        folder = project_themes / name
        if (folder / THEME_FILE).is_file():
            return ThemeLayer(name, folder, project=True)
    builtin = builtin_themes() / name
    if (builtin / THEME_FILE).is_file():
        return ThemeLayer(name, builtin, project=False)
    return None


def _config(layer: ThemeLayer, problems: Problems) -> tuple[ThemeConfig | None, YamlDoc]:
    path = Path(str(layer.root / THEME_FILE))
    try:
        doc = parse_yaml(decode((layer.root / THEME_FILE).read_bytes()))
    except TextFileError as exc:
        problems.add(path, exc.line, "", exc.message, exc.fix)
        return None, YamlDoc(data=None)
    return validate(ThemeConfig, doc, path, problems), doc


def find_theme(
    name: str,
    project_themes: Path | None,
    problems: Problems,
    named_in: tuple[Path, int | None],
) -> Theme | None:
    """The theme ``name`` with its parents; None (with a problem) if it cannot be used.

    ``named_in`` is the file and line that asked for it (site.yaml's 主题).
    """
    layers: list[ThemeLayer] = []
    where, line = named_in
    wanted: str | None = name
    while wanted is not None:
        # A project theme may extend the built-in theme of the same name.
        skip_project = any(layer.project and layer.name == wanted for layer in layers)
        layer = _locate(wanted, project_themes, skip_project)
        if layer is None:
            searched = [str(p / wanted) for p in (project_themes,) if p is not None]
            searched.append(f"内置主题 {wanted}")
            problems.add(
                where,
                line,
                "主题",
                f"找不到主题“{wanted}”（已查找：{'、'.join(searched)}）",
                "请检查主题名；自定义主题的文件夹里要有 theme.yml",
            )
            return None
        if layer in layers:
            problems.add(where, line, "继承", f"主题继承形成了循环（{wanted}）", "请修改“继承”")
            return None
        layers.append(layer)
        config, doc = _config(layer, problems)
        if config is None:
            return None
        wanted = config.extends
        where = Path(str(layer.root / THEME_FILE))
        line = key_line(doc, ThemeConfig, "extends")
    files = tuple(
        (str(path), path.stat().st_mtime_ns)
        for layer in layers
        for path in sorted(Path(str(layer.templates)).rglob("*"))  # none from a zipped package
        if path.is_file()
    )
    return Theme(name, tuple(layers), files)


def _loader(layer: ThemeLayer) -> BaseLoader:
    if layer.project:
        return FileSystemLoader(str(layer.templates))
    return PackageLoader("site_builder", f"themes/{layer.name}/templates")


def name_breaks(name: str) -> Markup:
    """A name that may break after each “·” (阿卜杜热合曼·买买提艾力·…) and nowhere else
    unless it must: the parts of a long name stay whole on their lines."""
    return Markup("·<wbr>").join(escape(part) for part in str(name).split("·"))


def make_environment(theme: Theme, compiled: Path | None = None) -> Environment:
    """One environment per theme: compiled templates are reused and, with ``compiled`` (a
    cache folder), kept between builds — Jinja checks each one against its template's
    source, so an edited template is compiled again.

    Jinja's auto_reload is off: it looked at a template file's time for every page
    rendered (three templates a page), and an edited template already gives another
    ``Theme`` (its ``files``), so the preview renders it with a new environment.

    The folder is made (and its path made absolute) on every call, outside the memo: a
    relative "cache/templates" from another working folder, or a cache folder removed
    since, must not reach Jinja as a folder that is not there.
    """
    if compiled is not None:
        compiled = compiled.resolve()
        compiled.mkdir(parents=True, exist_ok=True)
    return _environment(theme, compiled)


@functools.lru_cache(maxsize=8)
def _environment(theme: Theme, compiled: Path | None) -> Environment:
    cache = None
    if compiled is not None:
        cache = FileSystemBytecodeCache(str(compiled))
    env = Environment(
        loader=ChoiceLoader([_loader(layer) for layer in theme.layers]),
        bytecode_cache=cache,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["cdate"] = chinese_date
    env.filters["name_breaks"] = name_breaks
    env.filters["json_attr"] = lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True)
    return env


def hashed_name(name: str, data: bytes) -> str:
    """site.css → site.3f2a9c1b0d.css; the hash changes exactly when the bytes do."""
    path = Path(name)
    if path.suffix not in HASHED_SUFFIXES:
        return name
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}").as_posix())


def _walk(folder: Traversable, prefix: str = "") -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    if not folder.is_dir():
        return out
    for entry in folder.iterdir():
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            out.update(_walk(entry, rel + "/"))
        elif entry.is_file():
            out[rel] = entry.read_bytes()
    return out


def static_files(theme: Theme) -> dict[str, bytes]:
    """Theme static files by relative name, the child's over its parent's, in a stable order."""
    merged: dict[str, bytes] = {}
    for layer in reversed(theme.layers):
        merged.update(_walk(layer.static))
    return dict(sorted(merged.items()))
