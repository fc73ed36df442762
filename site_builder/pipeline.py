"""The build, as its stages: load → validate → plan pages → process images → render →
check privacy → write atomically.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks.glyphs import check_poster_glyphs
from .checks.privacy import Detector, privacy_detector
from .checks.site import check_photo_files, check_site
from .errors import ContentError, PhotoError, Problem, Problems
from .gate import Gate
from .load.cache import RecordCache
from .load.content import load_site
from .media.fonts import find_font
from .media.images import ImageStore
from .media.jobs import ImageReport
from .media.qr import QrCache
from .model.config import SiteConfig
from .model.source import SITE_FILE, Site, key_line
from .model.urls import is_hashed
from .options import BuildOptions, Since
from .pages.plan import SitePlan, plan_site
from .pages.public import public_campaign
from .pages.render import QR_IN_POOL_FROM, PoolCodes, Rendered, render_site
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
    pages: int = 0  # the site's pages, all of them
    rendered: int = 0  # of them, rendered this time (the others were unchanged)
    files: int = 0
    bytes: int = 0
    images: ImageReport = field(default_factory=ImageReport)
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    unchanged: bool = False  # nothing changed since the last build: nothing was done


@dataclass
class Prepared:
    """Stages 1–3: the site loaded and checked, its public model and the site plan, with
    every image job planned but none run."""

    site: Site
    problems: Problems
    detector: Detector  # the same one validates the records and scans the output
    gate: Gate  # with that detector: what the build stages passes it
    theme: Theme
    images: ImageStore
    qr_codes: QrCache
    plan: SitePlan
    # The records as read; the caller saves them (RecordCache.save) once it has let go of
    # the rendered pages: pickling caches a UTF-8 copy inside every story string it writes.
    records: RecordCache


@dataclass
class Rendering(Prepared):
    """Stages 1–5 done in memory: what the build writes and the dev server serves."""

    rendered: Rendered = field(default_factory=Rendered)
    report: ImageReport = field(default_factory=ImageReport)
    linked: dict[str, Path] = field(default_factory=dict)  # output name → cache file


def prepare(
    options: BuildOptions,
    records: RecordCache | None = None,
    files: Mapping[str, tuple[int, int]] | None = None,
) -> Prepared:
    """Load, validate across files (photos opened) and plan the site; raises ContentError
    with every problem found. ``records``: a record cache kept by a long-running caller
    (the preview), instead of the one read from the cache folder; ``files``: content/ as
    the caller has just walked it (``fingerprint.walk``), so it is not looked at again."""
    problems = Problems(display_root=options.display_root or Path.cwd())

    # 1. Load every file (records unchanged since the last build come from the cache),
    # 2. validate across files; stop once with every problem.
    if records is None or records.display_root != problems.display_root:
        records = RecordCache(options.cache_dir, problems.display_root)
    records.begin()

    def stop_if_errors() -> None:
        if problems.errors:
            records.save()  # what was read stays cached for the build after the fix
        problems.raise_if_errors()

    records.prefetch(options.content, files)
    site = load_site(options.content, problems, records.load_honoree)
    detector = privacy_detector(site) if site is not None else Detector()
    facts = check_site(site, problems, detector) if site is not None else {}
    stop_if_errors()
    assert site is not None
    theme = find_theme(
        site.config.theme,
        options.themes_dir,
        problems,
        (site.root / SITE_FILE, key_line(site.doc, SiteConfig, "theme")),
    )
    images = _image_store(site, options, problems)
    check_photo_files(site, facts, images.inspect, problems)
    stop_if_errors()
    assert theme is not None

    # 3. Plan: the public model templates receive (no private field exists in it), every
    #    image job on the way, and from it the site plan of every output.
    campaigns = [public_campaign(c, facts[c.id], site.config, images) for c in site.campaigns]
    qr_codes = QrCache(options.cache_dir / "qr")
    plan, qr_jobs = plan_site(site, campaigns, theme, images, qr_codes)
    images.add_qr_codes(qr_jobs)
    gate = Gate(site, detector, problems)
    return Prepared(site, problems, detector, gate, theme, images, qr_codes, plan, records)


def render(
    options: BuildOptions,
    progress: ProgressHook | None = None,
    changed: Iterable[Path] | None = None,
    only: Callable[[str], bool] | None = None,
    records: RecordCache | None = None,
    files: Mapping[str, tuple[int, int]] | None = None,
) -> Rendering:
    """Load, validate, plan, process images and render; raises ContentError with every problem.

    ``changed`` (the files changed since the last rendering) limits the pages rendered
    again to those the plan says show them; ``only`` names the pages to render outright.
    Pages left out are listed in ``rendered.skipped``: the caller has them already.
    ``records``, ``files``: see ``prepare``.
    """
    prepared = prepare(options, records, files)
    plan, images, problems = prepared.plan, prepared.images, prepared.problems
    wanted = only or plan.affected(_relative(changed, options.content))

    # 4. Images and the pages' QR codes (PNG) are made in the worker pool (and kept in
    #    the cache) while 5. the pages are rendered into memory; both reach output/ as
    #    links to the cache. Many pages' SVG codes are drawn there too, and put into the
    #    pages after. A corrupt photo stops the build before anything is written.
    base = plan.config.base_url
    pages = [
        base + o.url
        for o in plan
        if o.is_page and o.url is not None and (wanted is None or wanted(o.path))
    ]
    codes = PoolCodes() if len(pages) >= QR_IN_POOL_FROM else None
    if codes is not None:
        images.add_page_codes(pages)
    pending = images.start()
    try:
        rendered = render_site(
            plan,
            prepared.theme,
            wanted,
            options.cache_dir / "templates",
            None if codes is None else codes.mark,
        )
        report = pending.wait(progress)
    except BaseException:
        pending.cancel()
        raise
    if codes is not None:
        codes.fill(rendered.files, pending.codes)
    _photo_problems(report.errors, problems)
    if problems.errors:
        prepared.records.save()
    problems.raise_if_errors()
    return Rendering(**vars(prepared), rendered=rendered, report=report, linked=plan.cached)


def _relative(changed: Iterable[Path] | None, content: Path) -> list[str] | None:
    """Changed files as content-relative paths; None if unknown or one lies outside
    content/ (a theme file: every page depends on it)."""
    if changed is None:
        return None
    root = content.resolve()
    found = []
    for path in changed:
        try:
            found.append(path.resolve().relative_to(root).as_posix())
        except ValueError:
            return None
    return found


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
    workers = Gate.workers(len(files)) if changed is None else None
    try:
        done = render(options, progress, changed, files=files)
    except BaseException:
        if workers is not None:
            workers.shutdown(wait=False, cancel_futures=True)
        raise
    rendered, images, problems = done.rendered, done.images, done.problems
    out = str(options.output)
    # What output/ holds: the files walked to recognise it, when it is as the last build
    # left it (no stat of each of an archive's thousands of pages again).
    there: Callable[[str], bool] = (
        since.present.__contains__ if last is not None else lambda n: os.path.isfile(f"{out}/{n}")
    )
    reused = set(filter(there, rendered.skipped))
    if reused != rendered.skipped:  # a page the last build did not make after all
        again = render(options, only=(rendered.skipped - reused).__contains__, files=files)
        rendered.files.update({k: v for k, v in again.rendered.files.items() if k not in reused})
        rendered.pages += again.rendered.pages
    if not options.force and last is not None:
        # A file named by the hash of its bytes (search data, theme assets) that output/
        # holds already is that very file: it is linked like an unchanged page, and it
        # was scanned with this detector (if the detector changed, it is scanned below).
        # Not when output/ was changed by hand since the last build (``last`` is None).
        hashed = [n for n in rendered.files if is_hashed(n) and there(n)]
        for name in hashed:
            del rendered.files[name]
        reused.update(hashed)
    if options.precompress:
        rendered.files.update(precompressed(rendered.files))
        svg = {n: p.read_bytes() for n, p in done.linked.items() if n.endswith(".svg")}
        rendered.files.update(precompressed(svg))
        reused |= {f"{name}.gz" for name in reused if there(f"{name}.gz")}

    # 6. Scan what is new for private data — everything, if the detector changed since the
    #    reused files were scanned — then 7. stage (reused files and images as hard links)
    #    and swap.
    #    A large output is scanned in worker processes while this one stages it; the
    #    staging folder is only swapped in once the scan found nothing.
    scanned = dict(rendered.files)
    if last is None or last.get("detector") != done.detector.digest:
        scanned.update((name, (options.output / name).read_bytes()) for name in reused)
    scan = done.gate.scan(scanned, Path(options.output), workers)
    links: dict[str, str | Path] = {name: f"{out}/{name}" for name in reused}
    links.update(done.linked)
    try:
        staging, sizes = stage(options.output, rendered.files, links)
    except BaseException:
        scan.cancel()
        raise
    try:
        scan.passed()
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
        pages=len(done.plan.pages()),
        rendered=rendered.pages,
        files=len(sizes) - 1,  # every file of output/ but its marker
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
    return {content / rel for rel in fingerprint.changed_between(before, files)}


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
        check_photo_files(site, facts, images.inspect, problems)
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
