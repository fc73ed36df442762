"""Photos in the workbench: upload, caption, order, removal, the portrait's focal point.

An upload is checked as the build checks a photo (``read_header``: a real JPEG or PNG,
not a HEIC — with the same message as the build — not too many pixels) before it is
stored. It is decoded in full (a truncated file is refused) and stored without its
metadata (GPS, phone, time: ``media/metadata.py``, the pixels untouched), under a name
the workbench chooses (portrait.jpg, work-N.jpg), in that honouree's folder and nowhere
else. The record then lists it (证件照 / 工作照), written
field by field like every other change. A removed photo is moved to the cache, not
deleted, so 撤销 and the officer's own mistakes can be undone.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from PIL import Image

from ..checks.photos import PHOTO_SUFFIXES
from ..errors import PhotoError
from ..media.imaging import as_jpeg, enable_heif, read_header
from ..media.metadata import strip_metadata
from ..model.source import HonoreeSource
from ..options import DEFAULT_MAX_PIXELS
from ..write.atomic import atomic_write, replace

MAX_PHOTO_BYTES = 20_000_000
SUFFIXES = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "HEIF": ".jpg"}


def store_photo(h: HonoreeSource, data: bytes, kind: str, scratch: Path) -> str:
    """Check an uploaded photo and keep it in the honouree's folder; its file name.

    Raises PhotoError (message and fix, as the build says them) for anything that is
    not a usable JPEG or PNG. A portrait it replaces goes to ``scratch``'s trash.
    """
    if not 0 < len(data) <= MAX_PHOTO_BYTES:
        raise PhotoError("照片文件是空的或超过 20 MB", "请用手机原图或导出的 JPG（通常 2–8 MB）")
    probe = scratch / "upload.bin"
    atomic_write(probe, data)
    try:
        header = read_header(probe, DEFAULT_MAX_PIXELS)
    finally:
        probe.unlink(missing_ok=True)
    suffix = SUFFIXES.get(header.format)
    if suffix is None:
        raise PhotoError(
            f"不支持的图片格式 {header.format}", "请上传 JPG、PNG 或 iPhone 的 HEIC 照片"
        )
    _decode_all(data)
    if header.format == "HEIF":  # an iPhone photo: a JPEG the workbench and the build can show
        data = as_jpeg(data)
    data = strip_metadata(data)  # the place, the phone, the time: never kept
    if kind == "portrait":
        name = f"portrait{suffix}"
        for old in sorted(h.folder.glob("portrait.*")):
            set_aside(h, old.name, scratch / "trash")
    else:
        taken = {p.name for p in h.folder.iterdir()}
        name = next(f"work-{i}{suffix}" for i in range(1, 1000) if f"work-{i}{suffix}" not in taken)
    atomic_write(h.folder / name, data)
    return name


def _decode_all(data: bytes) -> None:
    """Every pixel read, so a truncated or corrupt upload is refused here, not at the build."""
    enable_heif()
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
    except Exception:  # Pillow raises OSError, ValueError, SyntaxError … for a broken file
        raise PhotoError(
            "照片文件不完整或已损坏（可能没有传完）",
            "请重新导出或重新拍摄这张照片，再上传一次",
        ) from None


def photo_rows(h: HonoreeSource) -> list[dict[str, Any]]:
    """The work photos as the form shows them: file, caption, focus."""
    return [
        {"file": p.file, "caption": p.caption or "", "focus": p.focus or ""}
        for p in h.record.photos
    ]


def listed(h: HonoreeSource, name: str) -> Path | None:
    """A photo of this honouree's folder by its plain file name, or None."""
    if not re.fullmatch(r"[\w.\-\u4e00-\u9fff]+", name) or name.startswith("."):
        return None
    if Path(name).suffix.lower() not in PHOTO_SUFFIXES:
        return None  # photos only: never the record itself
    path = h.folder / name
    if path.is_symlink():  # it could point anywhere: never read through one
        return None
    return path if path.is_file() and path.parent == h.folder else None


def set_aside(h: HonoreeSource, name: str, trash: Path) -> None:
    """A removed photo goes to the cache's trash folder, not away."""
    path = listed(h, name)
    if path is not None:
        trash.mkdir(parents=True, exist_ok=True)
        kept = trash / f"{h.folder.name}-{name}"
        for n in range(2, 10_000):  # an earlier removal of the same name stays too
            if not kept.exists():
                break
            kept = trash / f"{h.folder.name}-{n}-{name}"
        replace(path, kept)


def changes_for_upload(h: HonoreeSource, name: str, kind: str, caption: str) -> dict[str, Any]:
    """The record change that lists a newly stored photo."""
    if kind == "portrait":
        return {"portrait": {"文件": name}}
    rows = [_row(r) for r in photo_rows(h)]
    return {"photos": [*rows, {"文件": name, "说明": caption}]}


def changes_for_update(h: HonoreeSource, form: Any, one: Any) -> tuple[dict[str, Any], list[str]]:
    """From the photo table: captions, order, removals, the portrait's focus point.
    Returns the record changes and the files to set aside."""
    kept: list[tuple[float, dict[str, str]]] = []
    removed: list[str] = []
    for i, row in enumerate(photo_rows(h)):
        if one(form, f"photo.{i}.remove"):
            removed.append(row["file"])
            continue
        try:
            order = float(one(form, f"photo.{i}.order") or i + 1)
        except ValueError:
            order = i + 1
        caption = one(form, f"photo.{i}.caption").strip()
        kept.append((order, _row({**row, "caption": caption})))
    changes: dict[str, Any] = {"photos": [row for _, row in sorted(kept, key=lambda x: x[0])]}
    portrait = h.record.portrait
    focus = one(form, "portrait.focus").strip()
    if portrait is not None and focus != (portrait.focus or ""):
        changes["portrait"] = {
            "文件": portrait.file,
            "说明": portrait.caption,
            "焦点": focus or None,
        }
    elif portrait is None and focus:
        default = next((p.name for p in h.folder.glob("portrait.*") if p.is_file()), None)
        if default:
            changes["portrait"] = {"文件": default, "焦点": focus}
    return changes, removed


def _row(row: dict[str, str]) -> dict[str, str]:
    out = {"文件": row.get("file") or row.get("文件", "")}
    caption = row.get("caption", row.get("说明", ""))
    if caption:
        out["说明"] = caption
    focus = row.get("focus", row.get("焦点", ""))
    if focus:
        out["焦点"] = focus
    return out
