"""The jobs the worker pool runs for a build: a source photo's variants, a poster, files
drawn from texts (the 公示 board, the call's posters), a page's QR code; and ``Pending``,
the jobs under way while the pages render."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PhotoError
from ..workers import worker_pool
from ..write.atomic import atomic_write
from ..write.swap import checkpoint
from .imaging import SourceJob, process
from .posters import PosterJob, render_poster
from .qr import QrJob, make_qr

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor


@dataclass
class ImageReport:
    made: int = 0
    reused: int = 0
    sources_processed: int = 0
    errors: list[tuple[Path, PhotoError]] = field(default_factory=list)


@dataclass(frozen=True)
class MadeJob:
    """Files drawn from texts, not photos (the 公示 for the notice board, the call's
    posters): ``maker`` is "module:function", called once as ``function(made_from,
    kinds)`` for the bytes of each kind (so pages drawn once serve a PNG and a PDF)."""

    maker: str
    made_from: bytes
    kinds: tuple[str, ...]
    cache_paths: tuple[str, ...]
    record: str  # the file a failure is reported against


def make_files(job: MadeJob) -> None:
    module, name = job.maker.split(":")
    draw = getattr(importlib.import_module(module), name)
    made = draw(job.made_from, list(job.kinds))
    for data, path in zip(made, job.cache_paths, strict=True):
        atomic_write(Path(path), data)


Job = SourceJob | PosterJob | QrJob | MadeJob


def run_job(job: Job) -> bytes | None:
    """Worker entry point: one source photo (all its variants), one poster or one page's
    QR code (which returns the page's SVG code, if it was asked for)."""
    if isinstance(job, PosterJob):
        render_poster(job)
    elif isinstance(job, MadeJob):
        make_files(job)
    elif isinstance(job, QrJob):
        return make_qr(job)
    else:
        process(job)
    return None


def cache_paths(job: Job) -> list[str]:
    if isinstance(job, PosterJob):
        return [job.cache_path]
    if isinstance(job, QrJob):
        return job.paths
    if isinstance(job, MadeJob):
        return list(job.cache_paths)
    return [v.cache_path for v in job.variants]


# QR codes to a task: each takes under a millisecond, so a task each would spend most
# of the time passing messages between processes.
QR_BATCH = 32


Done = tuple[list[tuple[int, PhotoError]], dict[str, bytes]]


def run_jobs(jobs: Sequence[Job]) -> Done:
    """Worker entry point for a few jobs: which of them failed, and why; the SVG codes
    made, by URL."""
    errors = []
    codes = {}
    for i, job in enumerate(jobs):
        try:
            made = run_job(job)
        except PhotoError as exc:
            errors.append((i, exc))
            continue
        if isinstance(job, QrJob) and made is not None:
            codes[job.url] = made
    return errors, codes


class Pending:
    """Jobs started in the worker pool; ``wait`` collects them (errors are reported, not
    raised) and ``cancel`` drops what has not started, when the build stops early.
    ``codes``: the pages' SVG QR codes made (``ImageStore.add_page_codes``), once waited."""

    def __init__(self, todo: list[Job], report: ImageReport) -> None:
        self.report = report
        self.codes: dict[str, bytes] = {}
        self.total = len(todo)
        qr = [job for job in todo if isinstance(job, QrJob)]
        self.units: list[Sequence[Job]] = [[job] for job in todo if not isinstance(job, QrJob)]
        self.units += [qr[i : i + QR_BATCH] for i in range(0, len(qr), QR_BATCH)]
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future[Done]] = []
        workers = min(len(self.units), os.cpu_count() or 1)
        if workers > 1:
            self.pool = worker_pool(workers)
            try:
                self.futures = [self.pool.submit(run_jobs, unit) for unit in self.units]
            except BaseException:
                self.cancel()
                raise
            checkpoint("images")  # tests kill a build here, its workers busy

    def wait(self, on_progress: Callable[[int, int], None] | None = None) -> ImageReport:
        done = 0
        if on_progress:
            on_progress(done, self.total)
        try:
            for n, unit in enumerate(self.units):
                errors, codes = self.futures[n].result() if self.pool else run_jobs(unit)
                self.codes.update(codes)
                self.report.errors += [(_job_source(unit[i]), exc) for i, exc in errors]
                done += len(unit)
                if on_progress:
                    on_progress(done, self.total)
        except BaseException:
            self.cancel()
            raise
        if self.pool is not None:
            self.pool.shutdown()
        return self.report

    def cancel(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


def _job_source(job: Job) -> Path:
    if isinstance(job, PosterJob):
        return Path(job.record or job.portrait or job.cache_path)
    if isinstance(job, QrJob):
        return Path(job.png_path)
    if isinstance(job, MadeJob):
        return Path(job.record)
    return Path(job.source)
