"""Photos on disk for each record: inside the honouree's folder, real files, captioned.

``check_photos`` resolves the portrait and work photos a record names into paths the
image pipeline may read, and reports what it cannot use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problems
from ..model.record import Photo
from ..model.source import HonoreeSource

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp"}
DEFAULT_PORTRAIT = "portrait.jpg"


@dataclass(frozen=True)
class ResolvedPhoto:
    source: Path
    caption: str
    focus: str | None


@dataclass
class HonoreeFacts:
    portrait: ResolvedPhoto | None = None
    photos: list[ResolvedPhoto] = field(default_factory=list)


def resolve_photo(h: HonoreeSource, name: str, label: str, problems: Problems) -> Path | None:
    """The photo's path, if it stays inside the honouree's folder and is a real file."""
    line = h.field_line("portrait" if label == "证件照" else "photos")
    rel = Path(name)
    if rel.is_absolute() or ".." in rel.parts or "\\" in name:
        problems.add(
            h.path,
            line,
            label,
            f"照片路径“{name}”指向本人文件夹之外",
            "请把照片放进本人的文件夹，只写文件名，例如 work-1.jpg",
        )
        return None
    path = h.folder / rel
    if path.is_symlink() or any(p.is_symlink() for p in path.parents if h.folder in p.parents):
        problems.add(h.path, line, label, f"照片“{name}”是符号链接", "请把照片文件本身复制进文件夹")
        return None
    if not path.is_file():
        other = _same_but_case(h.names, name)
        if other is not None:
            problems.add(
                h.path,
                line,
                label,
                f"找不到照片文件“{name}”，您是否指“{other}”？",
                f"文件名的大小写要与文件夹里的一致：把这里改成“{other}”，或把文件改名为“{name}”",
            )
            return None
        problems.add(
            h.path,
            line,
            label,
            f"找不到照片文件“{name}”",
            "请检查文件名（包括 .jpg 扩展名和大小写）是否与文件夹里的一致",
        )
        return None
    if path.suffix.lower() not in PHOTO_SUFFIXES:
        problems.add(h.path, line, label, f"“{name}”不是支持的图片格式", "请使用 JPG 或 PNG 照片")
        return None
    return path


def _same_but_case(names: tuple[str, ...], name: str) -> str | None:
    """A name among a folder's ``names`` that differs from ``name`` only in case (Portrait.JPG)."""
    if "/" in name:
        return None
    return next((n for n in names if n.lower() == name.lower()), None)


def default_portrait(h: HonoreeSource) -> str | None:
    """The file name of portrait.jpg in the record's folder, whatever its case (PORTRAIT.JPG)."""
    if DEFAULT_PORTRAIT in h.names and (h.folder / DEFAULT_PORTRAIT).is_file():
        return DEFAULT_PORTRAIT
    return _same_but_case(h.names, DEFAULT_PORTRAIT)


def check_photos(h: HonoreeSource, problems: Problems) -> HonoreeFacts:
    facts = HonoreeFacts()
    rec = h.record
    portrait: Photo | None = rec.portrait
    found_default = default_portrait(h) if portrait is None else None
    if found_default is not None:
        portrait = Photo(file=found_default)
    if portrait is not None:
        path = resolve_photo(h, portrait.file, "证件照", problems)
        if path is not None:
            facts.portrait = ResolvedPhoto(
                path, portrait.caption or f"{rec.name}的证件照", portrait.focus
            )
    for i, photo in enumerate(rec.photos, start=1):
        path = resolve_photo(h, photo.file, "工作照", problems)
        if not photo.caption:
            problems.add(
                h.path,
                h.field_line("photos"),
                f"工作照 第{i}项",
                f"照片“{photo.file}”缺少说明",
                "请写“说明: …”，描述照片内容（读屏软件会读出这段文字）",
            )
        elif path is not None:
            facts.photos.append(ResolvedPhoto(path, photo.caption, photo.focus))
    listed = {p.file.lower() for p in rec.photos} | ({portrait.file.lower()} if portrait else set())
    for extra in h.names:
        if os.path.splitext(extra)[1].lower() in PHOTO_SUFFIXES and extra.lower() not in listed:
            problems.warn(
                h.path,
                None,
                "工作照",
                f"文件夹里的“{extra}”没有列在“工作照”中，不会发布",
                "如需发布，请在“工作照”下添加“- 文件: … 说明: …”",
            )
    return facts
