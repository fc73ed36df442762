"""site_builder: static microsites for trade-union honour campaigns (最美劳动者).

The public surface, for scripts and tests::

    from site_builder import BuildOptions, build, check, ContentError

    result = build(BuildOptions(content=Path("content"), output=Path("output")))

``build`` and ``check`` are imported on first use, so ``import site_builder`` (and the
command line deciding that nothing changed) stays cheap. The package reads as its
pipeline::

    model/   what the officer writes: the record schema, site/campaign/theme configs, rules
    load/    reading files: text and YAML with lines, validation into models, content/
    checks/  across files: the campaign, photos, privacy, rules, the notice period
    media/   photos, share posters, QR codes, the poster font
    pages/   the public model, URLs, themes, rendering, files for the host
    write/   output/ written atomically, the no-op fingerprint
    dev/     the live preview server
    forms/   the officer's forms: import, export, scaffolds, slugs
    pipeline.py the build as its stages · cli.py the command · errors.py the exceptions
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    ContentError,
    DeployError,
    FieldError,
    FixableError,
    PhotoError,
    Problem,
    SiteBuilderError,
    TextFileError,
    UnknownYear,
    UsageError,
)
from .options import BuildOptions
from .version import __version__

if TYPE_CHECKING:
    from .pipeline import BuildResult, build, check


def __getattr__(name: str) -> Any:
    if name in ("build", "check", "BuildResult"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'site_builder' has no attribute {name!r}")


__all__ = [
    "BuildOptions",
    "BuildResult",
    "ContentError",
    "DeployError",
    "FieldError",
    "FixableError",
    "PhotoError",
    "Problem",
    "SiteBuilderError",
    "TextFileError",
    "UnknownYear",
    "UsageError",
    "__version__",
    "build",
    "check",
]
