"""The build, as its stages: load → validate → plan pages → process images → render →
check privacy → write atomically.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .checks import check_poster_glyphs, check_site, notice_contacts, private_values
from .content import Site, load_site
from .errors import ContentError, Problem, Problems
from .images import DEFAULT_MAX_PIXELS, ImageReport, ImageStore
from .imaging import PhotoError
from .output import (
    check_output_location,
    discard,
    new_staging,
    precompressed,
    swap_in,
    write_files,
    write_zip,
)
from .privacy import Detector, scan_output
from .public import public_campaign
from .render import render_site
from .share import find_font
from .theme import find_theme

ProgressHook = Callable[[int, int], None]


@dataclass
class BuildOptions:
    content: Path = Path("content")
    output: Path = Path("output")
    cache: Path | None = None  # default: .site-builder-cache/<content name> beside content/
    themes: Path | None = None  # default: themes/ beside content/, then the built-in themes
    max_pixels: int = DEFAULT_MAX_PIXELS
    precompress: bool = False  # write name.gz beside text files for hosts that serve them
    zip: Path | None = None  # also write output/ as this archive
    display_root: Path | None = None  # paths in messages are shown relative to this

    @property
    def cache_dir(self) -> Path:
        if self.cache is not None:
            return self.cache
        return self.content.resolve().parent / ".site-builder-cache" / self.content.resolve().name

    @property
    def themes_dir(self) -> Path:
        return self.themes or self.content.resolve().parent / "themes"


@dataclass
class BuildResult:
    pages: int = 0
    files: int = 0
    bytes: int = 0
    images: ImageReport = field(default_factory=ImageReport)
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)


def build(options: BuildOptions, progress: ProgressHook | None = None) -> BuildResult:
    started = time.perf_counter()
    problems = Problems(display_root=options.display_root or Path.cwd())
    check_output_location(options.output, options.content)

    # 1. Load every file, 2. validate across files; stop once with every problem.
    site = load_site(options.content, problems)
    facts = check_site(site, problems) if site is not None else {}
    problems.raise_if_errors()
    assert site is not None

    # 3. Plan pages: the public model templates receive (no private field exists in
    #    it) and, on the way, every image job.
    theme = find_theme(site.config.theme, options.themes_dir)
    images = _image_store(site, options, problems)
    campaigns = [public_campaign(c, facts[c.id], site.config, images) for c in site.campaigns]
    _photo_problems(images.errors, problems)
    problems.raise_if_errors()

    # 4. Images: parallel, cached; a corrupt photo stops the build before anything is written.
    report = images.run(progress)
    _photo_problems(report.errors, problems)
    problems.raise_if_errors()

    # 5. Render every page and file into memory.
    rendered = render_site(site.config, campaigns, theme, sorted(images.outputs))
    if options.precompress:
        rendered.files.update(precompressed(rendered.files))

    # 6-7. Stage, scan the staged output for private data, then swap it in.
    staging = new_staging(options.output)
    try:
        write_files(staging, rendered.files)
        images.publish(staging)
        detector = Detector(private_values(site), allowed=notice_contacts(site))
        for path, finding in scan_output(staging, detector):
            source = f"（来自 {finding.source}）" if finding.source else ""
            problems.add(
                Path(options.output) / path,
                None,
                "隐私检查",
                f"生成的文件里出现了{finding.kind}“{finding.masked}”{source}",
                "构建已停止，output/ 保持原样；请检查模板和内容，删除这些信息",
            )
        problems.raise_if_errors()
        swap_in(staging, options.output)
    except BaseException:
        discard(staging)
        raise
    images.save_and_prune()
    if options.zip is not None:
        write_zip(options.output, options.zip)

    result = BuildResult(
        pages=rendered.pages,
        files=len(rendered.files) + len(images.outputs),
        bytes=sum(len(b) for b in rendered.files.values()),
        images=report,
        warnings=problems.warnings,
    )
    result.seconds = time.perf_counter() - started
    return result


def check(options: BuildOptions) -> list[Problem]:
    """Everything the build validates, photos opened, nothing written; every problem found."""
    problems = Problems(display_root=options.display_root or Path.cwd())
    site = load_site(options.content, problems)
    if site is not None:
        facts = check_site(site, problems)
        images = _image_store(site, options, problems)
        for c in site.campaigns:
            public_campaign(c, facts[c.id], site.config, images)
        _photo_problems(images.errors, problems)
    return list(problems)


def _image_store(site: Site, options: BuildOptions, problems: Problems) -> ImageStore:
    """The store that plans photo variants and, unless turned off, share posters."""
    images = ImageStore(options.cache_dir, options.max_pixels)
    if site.config.posters:
        images.font = find_font(site.config.poster_font, options.content)
        check_poster_glyphs(site, images.font, problems)
    return images


def _photo_problems(errors: list[tuple[Path, PhotoError]], problems: Problems) -> None:
    for path, exc in errors:
        problems.add(path, None, "照片", exc.message, exc.fix)


__all__ = ["BuildOptions", "BuildResult", "ContentError", "build", "check"]
