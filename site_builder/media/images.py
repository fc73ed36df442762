"""Image jobs: planned while pages are planned, run in parallel, cached by content hash.

Each published variant is named by a hash of the source bytes and every parameter
(crop, size, format, quality, recipe version), so an unchanged photo is never
processed twice and a changed one gets a new URL (WeChat's browser caches hard).
Variants live in a cache directory outside output/ and are hard-linked (or copied)
into the staging directory; entries no build refers to any more are pruned.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import PhotoError
from ..model.fields import one_line
from ..options import DEFAULT_MAX_PIXELS
from ..write.atomic import atomic_write
from .fonts import font_digest
from .imaging import Header, SourceJob, Variant, read_header
from .jobs import ImageReport, Job, MadeJob, Pending, cache_paths
from .posters import PosterJob
from .qr import QrJob

RECIPE_VERSION = "1"
POSTER_VERSION = "2"  # the posters' drawing: a change redraws them (not the photos)
PORTRAIT_RATIO = 5 / 7
PORTRAIT_WIDTHS = (160, 240, 320, 480)
WORK_WIDTHS = (480, 960, 1440)
QUALITY = {"webp": 78, "jpeg": 80}
POSTER_SIZES = {"moments": (1080, 1920), "cover": (900, 383), "square": (500, 500)}

Kind = Literal["portrait", "work"]


@dataclass(frozen=True)
class Rendition:
    name: str  # path relative to the output root
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class Picture:
    """What a template needs to write <picture>: renditions per format, size, alt text."""

    alt: str
    width: int
    height: int
    webp: tuple[Rendition, ...]
    jpeg: tuple[Rendition, ...]

    @property
    def fallback(self) -> Rendition:
        return self.jpeg[min(1, len(self.jpeg) - 1)]

    @property
    def largest_jpeg(self) -> Rendition:
        return self.jpeg[-1]


def crop_box(
    width: int, height: int, kind: Kind, focus: tuple[float, float] | None
) -> tuple[float, float, float, float]:
    """Crop in fractions of the oriented image; portraits to 5:7 around the focus point."""
    if kind != "portrait":
        return (0.0, 0.0, 1.0, 1.0)
    fx, fy = focus or (0.5, 0.0)  # centre-top: heads are at the top of ID photos
    if width / height > PORTRAIT_RATIO:
        cw = height * PORTRAIT_RATIO / width
        left = min(max(fx - cw / 2, 0.0), 1.0 - cw)
        return (left, 0.0, left + cw, 1.0)
    ch = width / PORTRAIT_RATIO / height
    top = min(max(fy - ch / 2, 0.0), 1.0 - ch)
    return (0.0, top, 1.0, top + ch)


def widths_for(available: int, wanted: tuple[int, ...]) -> list[int]:
    """Wanted widths that do not upscale; the source width itself if it is far from them."""
    widths = [w for w in wanted if w <= available]
    if not widths or (available < wanted[-1] and available > widths[-1] * 1.15):
        widths.append(available)
    return widths


class ImageStore:
    """Plans photo variants and posters, runs them, and links the results into a site.

    ``font`` is the poster font; without one no posters are planned.
    """

    def __init__(
        self, cache_dir: Path, max_pixels: int = DEFAULT_MAX_PIXELS, font: Path | None = None
    ) -> None:
        self.cache_dir = cache_dir
        self.variant_dir = cache_dir / "img"
        self.max_pixels = max_pixels
        self.font = font
        self.jobs: dict[str, Job] = {}
        self._made: set[Path] = set()  # cache files of MadeJobs, kept by save_and_prune
        self.outputs: dict[str, Path] = {}  # output name -> cache file
        self.errors: list[tuple[Path, PhotoError]] = []
        self._index_path = cache_dir / "sources.json"
        self._index: dict[str, list[object]] = self._load_index()
        self._seen: set[str] = set()

    def _load_index(self) -> dict[str, list[object]]:
        try:
            data = json.loads(self._index_path.read_text("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _source(self, path: Path) -> tuple[str, Header]:
        """Source hash and header, reused while size and mtime are unchanged."""
        st = path.stat()
        key = str(path.resolve())
        self._seen.add(key)
        entry = self._index.get(key)
        if entry and entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
            _, _, digest, w, h, fmt = entry
            return str(digest), Header(int(str(w)), int(str(h)), str(fmt))
        header = read_header(path, self.max_pixels)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._index[key] = [
            st.st_size,
            st.st_mtime_ns,
            digest,
            header.width,
            header.height,
            header.format,
        ]
        return digest, header

    def inspect(self, source: Path) -> PhotoError | tuple[int, int]:
        """Read a photo's header (kept while the file is unchanged): why it cannot be
        used, or its size as it will be shown (turned upright)."""
        try:
            _, header = self._source(source)
        except PhotoError as exc:
            return exc
        return header.width, header.height

    def picture(
        self,
        source: Path,
        alt: str,
        kind: Kind,
        out_dir: str,
        stem: str,
        focus: tuple[float, float] | None = None,
    ) -> Picture | None:
        """Plan the variants of one photo; None (error recorded) if it cannot be used."""
        try:
            digest, header = self._source(source)
        except PhotoError as exc:
            self.errors.append((source, exc))
            return None
        box = crop_box(header.width, header.height, kind, focus)
        crop_w = round((box[2] - box[0]) * header.width)
        crop_h = round((box[3] - box[1]) * header.height)
        wanted = PORTRAIT_WIDTHS if kind == "portrait" else WORK_WIDTHS
        renditions: dict[str, list[Rendition]] = {"webp": [], "jpeg": []}
        variants: list[Variant] = []
        for width in widths_for(crop_w, wanted):
            height = (
                round(width / PORTRAIT_RATIO)
                if kind == "portrait"
                else max(1, round(width * crop_h / crop_w))
            )
            for fmt in ("webp", "jpeg"):
                params = json.dumps(
                    [
                        RECIPE_VERSION,
                        digest,
                        [round(x, 5) for x in box],
                        width,
                        height,
                        fmt,
                        QUALITY[fmt],
                    ]
                )
                vhash = hashlib.sha256(params.encode()).hexdigest()
                ext = "webp" if fmt == "webp" else "jpg"
                cache_path = self.variant_dir / vhash[:2] / f"{vhash}.{ext}"
                name = f"{out_dir}{stem}-{width}.{vhash[:10]}.{ext}"
                self.outputs[name] = cache_path
                renditions[fmt].append(Rendition(name, width, height, fmt))
                variants.append(Variant(width, height, fmt, QUALITY[fmt], str(cache_path)))
        job_key = json.dumps([digest, box, [v.cache_path for v in variants]])
        self.jobs[job_key] = SourceJob(str(source), box, tuple(variants), self.max_pixels)
        largest = renditions["jpeg"][-1]
        return Picture(
            alt, largest.width, largest.height, tuple(renditions["webp"]), tuple(renditions["jpeg"])
        )

    def poster(
        self,
        kind: str,
        texts: dict[str, str],
        portrait: Path | None,
        focus: tuple[float, float] | None,
        out_dir: str,
        record: Path | None = None,
    ) -> Rendition | None:
        """Plan one share poster; None when posters are not wanted or the portrait is unusable."""
        if self.font is None:
            return None
        texts = {key: one_line(value) for key, value in texts.items()}  # a poster line is a line
        crop: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
        digest = ""
        if portrait is not None:
            try:
                digest, header = self._source(portrait)
            except PhotoError:
                return None  # already reported by the portrait itself
            crop = crop_box(header.width, header.height, "portrait", focus)
        width, height = POSTER_SIZES[kind]
        params = json.dumps(
            [
                RECIPE_VERSION,
                POSTER_VERSION,
                kind,
                texts,
                digest,
                crop,
                font_digest(str(self.font)),
            ],
            sort_keys=True,
            ensure_ascii=False,
        )
        phash = hashlib.sha256(params.encode()).hexdigest()
        cache_path = self.variant_dir / phash[:2] / f"{phash}.png"
        name = f"{out_dir}{kind}-{width}x{height}.{phash[:10]}.png"
        self.outputs[name] = cache_path
        self.jobs[phash] = PosterJob(
            kind=kind,
            width=width,
            height=height,
            font=str(self.font),
            portrait=str(portrait) if portrait else None,
            crop=crop,
            cache_path=str(cache_path),
            record=str(record or ""),
            **texts,
        )
        return Rendition(name, width, height, "png")

    def made(
        self, maker: str, made_from: bytes, files: Sequence[tuple[str, str]], code: str,
        record: Path,
    ) -> list[Path]:  # fmt: skip
        """Plan files ``maker`` draws from ``made_from`` in the pool, beside the photos
        (off the planning thread: a 公示 of hundreds of names takes a while to draw); the
        cache file of each (output name, kind), keyed by what it is made from and by the
        drawing code (``code``, its module's file)."""
        key = hashlib.sha256(made_from + Path(code).read_bytes() + maker.encode())
        paths = []
        for name, kind in files:
            digest = hashlib.sha256(key.digest() + f"{name}|{kind}".encode()).hexdigest()
            paths.append(self.variant_dir / digest[:2] / f"{digest}{Path(name).suffix}")
        self._made.update(paths)
        job = MadeJob(maker, made_from, tuple(k for _, k in files), tuple(map(str, paths)),
                      str(record))  # fmt: skip
        self.jobs[f"made|{paths[0]}"] = job
        return paths

    def add_qr_codes(self, jobs: list[QrJob]) -> None:
        """QR codes to make with the images (they are not counted as images)."""
        self.jobs.update((f"qr|{job.url}", job) for job in jobs)

    def add_page_codes(self, urls: Iterable[str]) -> None:
        """Pages being rendered whose SVG codes the pool makes (``Pending.codes``), each
        with its PNG where that is due too (one matrix for both)."""
        for url in urls:
            job = self.jobs.get(f"qr|{url}")
            png = job.png_path if isinstance(job, QrJob) else ""
            self.jobs[f"qr|{url}"] = QrJob(url, png, svg=True)

    def start(self) -> Pending:
        """Start the jobs whose outputs are not all cached in the worker pool (one worker per
        core) and return at once: the caller renders pages meanwhile, then ``wait``s."""
        report = ImageReport(errors=list(self.errors))
        todo: list[Job] = []
        for job in self.jobs.values():
            paths = cache_paths(job)
            missing = [p for p in paths if not Path(p).is_file()]
            if missing or (isinstance(job, QrJob) and job.svg):
                todo.append(job)
            if not isinstance(job, QrJob | MadeJob):  # images only
                report.reused += len(paths) - len(missing)
                report.made += len(missing)
                report.sources_processed += bool(missing)
        return Pending(todo, report)

    def save_and_prune(self) -> int:
        """Forget sources and variants this build did not use; returns files removed."""
        self._index = {k: v for k, v in self._index.items() if k in self._seen}
        atomic_write(self._index_path, json.dumps(self._index, sort_keys=True).encode())
        keep = {p.resolve() for p in [*self.outputs.values(), *self._made]}
        removed = 0
        if self.variant_dir.is_dir():
            for path in self.variant_dir.rglob("*"):
                if path.is_file() and path.resolve() not in keep:
                    path.unlink()
                    removed += 1
        return removed
