"""The build, as its stages: load → validate → plan pages → process images → render →
check privacy → write atomically.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks.glyphs import check_poster_glyphs
from .checks.privacy import Detector, Finding, Scan, privacy_detector, scan_workers, trace
from .checks.site import check_site
from .errors import ContentError, PhotoError, Problem, Problems
from .load.cache import RecordCache
from .load.content import load_site
from .media.fonts import find_font
from .media.images import ImageReport, ImageStore
from .media.qr import QrCache
from .model import urls as page_urls
from .model.config import SiteConfig
from .model.source import SITE_FILE, Site, key_line
from .options import BuildOptions, Since
from .pages.affected import affected_pages
from .pages.public import PublicCampaign, public_campaign
from .pages.render import Rendered, is_hashed, qr_pages, render_site
from .pages.theme import Theme, find_theme
from .write import fingerprint
from .write.output import (
    check_output_location,
    discard,
    precompressed,
    stage,
    swap_in,
    write_zip,
)

ProgressHook = Callable[[int, int], None]


@dataclass
class BuildResult:
    pages: int = 0
    files: int = 0
    bytes: int = 0
    images: ImageReport = field(default_factory=ImageReport)
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    unchanged: bool = False  # nothing changed since the last build: nothing was done


@dataclass
class Rendering:
    """Stages 1–5 done in memory: what the build writes and the dev server serves."""

    site: Site
    rendered: Rendered
    images: ImageStore
    report: ImageReport
    problems: Problems
    qr_codes: QrCache
    linked: dict[str, Path]  # output name → cache file: images, posters, QR codes
    detector: Detector  # the same one validates the records and scans the output
    campaigns: list[PublicCampaign]  # the public model the pages were rendered from
    theme: Theme
    # The records as read; the caller saves them (RecordCache.save) once it has let go of
    # the rendered pages: pickling caches a UTF-8 copy inside every story string it writes.
    records: RecordCache


def render(
    options: BuildOptions,
    progress: ProgressHook | None = None,
    changed: Iterable[Path] | None = None,
    only: Callable[[str], bool] | None = None,
) -> Rendering:
    """Load, validate, plan, process images and render; raises ContentError with every problem.

    ``changed`` (the files changed since the last rendering) limits the pages rendered
    again to those that depend on them; ``only`` names the pages to render outright.
    Pages left out are listed in ``rendered.skipped``: the caller has them already.
    """
    problems = Problems(display_root=options.display_root or Path.cwd())

    # 1. Load every file (records unchanged since the last build come from the cache),
    # 2. validate across files; stop once with every problem.
    records = RecordCache(options.cache_dir, problems.display_root)

    def stop_if_errors() -> None:
        if problems.errors:
            records.save()  # what was read stays cached for the build after the fix
        problems.raise_if_errors()

    records.prefetch(options.content)
    site = load_site(options.content, problems, records.load_honoree)
    detector = privacy_detector(site) if site is not None else Detector()
    facts = check_site(site, problems, detector) if site is not None else {}
    stop_if_errors()
    assert site is not None
    wanted = only
    if wanted is None and changed is not None:
        slugs = {  # where a record chose another slug (网址名) than its folder's name
            h.folder.resolve(): h.slug
            for c in site.campaigns
            for h in c.honorees
            if h.slug != h.folder.name
        }
        wanted = affected_pages(changed, options.content, slugs)

    # 3. Plan pages: the public model templates receive (no private field exists in
    #    it) and, on the way, every image job.
    theme = find_theme(
        site.config.theme,
        options.themes_dir,
        problems,
        (site.root / SITE_FILE, key_line(site.doc, SiteConfig, "theme")),
    )
    images = _image_store(site, options, problems)
    campaigns = [public_campaign(c, facts[c.id], site.config, images) for c in site.campaigns]
    _photo_problems(images.errors, problems)
    stop_if_errors()
    assert theme is not None

    # 4. Images and every page's QR codes are made in the worker pool (and kept in the
    #    cache) while 5. the pages are rendered into memory; both reach output/ as links
    #    to the cache. A corrupt photo stops the build before anything is written.
    qr_codes = QrCache(options.cache_dir / "qr")
    pages = qr_pages(campaigns)
    qr_files, qr_jobs = qr_codes.plan([site.config.base_url + page for page in pages])
    images.add_qr_codes(qr_jobs)
    linked: dict[str, Path] = {}
    for page in pages:
        png, svg = qr_files[site.config.base_url + page]
        linked[page_urls.qr_code(page, "png")] = png
        linked[page_urls.qr_code(page, "svg")] = svg
    linked.update(images.outputs)
    pending = images.start()
    try:
        rendered = render_site(
            site.config,
            campaigns,
            theme,
            sorted(images.outputs),
            wanted,
            options.cache_dir / "templates",
        )
        report = pending.wait(progress)
    except BaseException:
        pending.cancel()
        raise
    _photo_problems(report.errors, problems)
    stop_if_errors()
    return Rendering(
        site,
        rendered,
        images,
        report,
        problems,
        qr_codes,
        linked,
        detector,
        campaigns,
        theme,
        records,
    )


def privacy_problems(
    hits: list[tuple[str, Finding]], where: Path, problems: Problems, site: Site
) -> None:
    """Output-scan hits as problems naming the output file, the pattern and the record."""
    for path, finding in hits:
        origin = finding.source or trace(site, finding.value)
        source = f"（来自 {origin}）" if origin else ""
        problems.add(
            where / path,
            None,
            "隐私检查",
            f"生成的文件里出现了{finding.kind}“{finding.masked}”{source}",
            "构建已停止，output/ 保持原样；请检查模板和内容，删除这些信息",
        )


def build(
    options: BuildOptions, progress: ProgressHook | None = None, since: Since | None = None
) -> BuildResult:
    """Build the site into output/; ``since``: what ``options.since_last_build()`` found
    just before, if the caller asked already."""
    started = time.perf_counter()
    check_output_location(options.output, options.content)
    since = since or options.since_last_build()
    if options.up_to_date(since):
        return BuildResult(unchanged=True, seconds=time.perf_counter() - started)
    last, files, settings, inputs = since.last, since.files, since.settings, since.inputs

    # What changed since the last build into this output/, if it can be known: then only
    # the pages that depend on it are rendered again; the others are reused as they are.
    changed = _changed_since(last, files, settings, options.content)

    # 1–5. Everything in memory; nothing is written unless all of it succeeded. A build
    #    of every page will scan a large output: where workers are not forked, they
    #    start now and get ready while the pages render.
    workers = scan_workers(len(files)) if changed is None else None
    try:
        done = render(options, progress, changed)
    except BaseException:
        if workers is not None:
            workers.shutdown(wait=False, cancel_futures=True)
        raise
    rendered, images, problems = done.rendered, done.images, done.problems
    out = str(options.output)
    reused = {name for name in rendered.skipped if os.path.isfile(f"{out}/{name}")}
    if reused != rendered.skipped:  # a page the last build did not make after all
        again = render(options, only=(rendered.skipped - reused).__contains__)
        rendered.files.update({k: v for k, v in again.rendered.files.items() if k not in reused})
        rendered.pages += again.rendered.pages
    if not options.force and last is not None:
        # A file named by the hash of its bytes (search data, theme assets) that output/
        # holds already is that very file: it is linked like an unchanged page, and it
        # was scanned with this detector (if the detector changed, it is scanned below).
        # Not when output/ was changed by hand since the last build (``last`` is None).
        hashed = [n for n in rendered.files if is_hashed(n) and os.path.isfile(f"{out}/{n}")]
        for name in hashed:
            del rendered.files[name]
        reused.update(hashed)
    if options.precompress:
        rendered.files.update(precompressed(rendered.files))
        svg = {n: p.read_bytes() for n, p in done.linked.items() if n.endswith(".svg")}
        rendered.files.update(precompressed(svg))
        reused |= {f"{name}.gz" for name in reused if os.path.isfile(f"{out}/{name}.gz")}

    # 6. Scan what is new for private data — everything, if the detector changed since the
    #    reused files were scanned — then 7. stage (reused files and images as hard links)
    #    and swap.
    #    A large output is scanned in worker processes while this one stages it; the
    #    staging folder is only swapped in once the scan found nothing.
    scanned = dict(rendered.files)
    if last is None or last.get("detector") != done.detector.digest:
        scanned.update((name, (options.output / name).read_bytes()) for name in reused)
    scan = Scan(scanned, done.detector, workers)
    links: dict[str, str | Path] = {name: f"{out}/{name}" for name in reused}
    links.update(done.linked)
    try:
        staging, sizes = stage(options.output, rendered.files, links)
    except BaseException:
        scan.cancel()
        raise
    try:
        privacy_problems(scan.result(), Path(options.output), problems, done.site)
        problems.raise_if_errors()
        swap_in(staging, options.output, keep=True)
    except BaseException:
        discard(staging)
        raise
    written = (len(rendered.files) + len(done.linked), sum(map(len, rendered.files.values())))
    rendered.files.clear()  # the pages are in output/ now: their memory is for the cache
    scanned.clear()
    done.records.save()
    images.save_and_prune()
    done.qr_codes.prune()
    if options.zip is not None:
        write_zip(options.output, options.zip)
    fingerprint.remember(
        options.cache_dir,
        options.output,
        inputs,
        None if options.zip is not None else sizes,  # an archive may be written into output/
        files=files,
        settings=settings,
        detector=done.detector.digest,
    )

    result = BuildResult(
        pages=rendered.pages,
        files=written[0],
        bytes=written[1],
        images=done.report,
        warnings=problems.warnings,
    )
    result.seconds = time.perf_counter() - started
    return result


def _changed_since(
    last: dict[str, Any] | None, files: dict[str, tuple[int, int]], settings: str, content: Path
) -> set[Path] | None:
    """Content files added, removed or modified since the last build; None if unknown (no
    build remembered, or something every page depends on changed: themes, package, options)."""
    if last is None or last.get("settings") != settings or not isinstance(last.get("files"), dict):
        return None
    before = {rel: tuple(value) for rel, value in last["files"].items()}
    differ = set(before) ^ set(files) | {
        r for r in set(before) & set(files) if before[r] != files[r]
    }
    return {content / rel for rel in differ}


def check(options: BuildOptions) -> list[Problem]:
    """Everything the build validates, photos opened, nothing written; every problem found."""
    problems = Problems(display_root=options.display_root or Path.cwd())
    records = RecordCache(options.cache_dir, problems.display_root)
    records.prefetch(options.content)
    site = load_site(options.content, problems, records.load_honoree)
    records.save()
    if site is not None:
        facts = check_site(site, problems, privacy_detector(site))
        images = _image_store(site, options, problems)
        for c in site.campaigns:
            public_campaign(c, facts[c.id], site.config, images)
        _photo_problems(images.errors, problems)
    return list(problems)


def _image_store(site: Site, options: BuildOptions, problems: Problems) -> ImageStore:
    """The store that plans photo variants and, unless turned off, share posters."""
    font = None
    if site.config.posters:
        font = find_font(site.config.poster_font, options.content)
        check_poster_glyphs(site, font, problems)
    return ImageStore(options.cache_dir, options.max_pixels, font)


def _photo_problems(errors: list[tuple[Path, PhotoError]], problems: Problems) -> None:
    for path, exc in errors:
        problems.add(path, None, "照片", exc.message, exc.fix)


__all__ = ["BuildOptions", "BuildResult", "ContentError", "build", "check"]
