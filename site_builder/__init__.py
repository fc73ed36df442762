"""site_builder: static microsites for trade-union honour campaigns (最美劳动者).

The public surface, for scripts and tests::

    from site_builder import BuildOptions, build, check, ContentError

    result = build(BuildOptions(content=Path("content"), output=Path("output")))

``build`` and ``check`` are imported on first use, so ``import site_builder`` (and the
command line deciding that nothing changed) stays cheap. The package reads as its
pipeline::

    model/      what the officer writes: the record schema, site/campaign/theme configs,
                rules, and the content as loaded (model/source.py), its URLs and stories
    load/       reading files: text and YAML with lines, validation into models, content/
    media/      photos, share posters, QR codes, the poster font: the image side
    checks/     across files: the campaign, photos, privacy, rules, the notice period
    pages/      the public model, the site plan of every output (pages/plan.py), themes,
                rendering, files for the host
    gate.py     the publish gate: every byte that leaves the tool passes its privacy scan
    write/      output/ written atomically, the no-op fingerprint
    pipeline.py the build as its stages · cli.py the command · errors.py the exceptions
    dev/        the live preview server
    workbench/  the officer's 工作台 at /_admin/ of the preview
    publicity/  outside the site: 公众号 articles, the printed 公示 (.docx)
    deploy/     publishing output/ to object storage, SFTP, FTP or a folder
    forms/      the officer's paper and spreadsheet forms: import, export, scaffolds, slugs
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
