"""Uploaded forms (.xlsx, .docx) kept for the import's preview and its confirmation.

Each upload is a fresh folder in the cache named by a random id; a file keeps only a
safe version of its base name and is kept only if it is a form of the right kind and
size, so nothing a request sends can land outside that folder.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from ..write.atomic import atomic_write

Files = Mapping[str, list[tuple[str, bytes]]]  # field → (file name, bytes) of each upload
IMPORTABLE = {".xlsx", ".docx"}
MAX_UPLOAD_BYTES = 20_000_000


def store_uploads(root: Path, files: Files) -> str:
    """The uploaded forms under safe names in a fresh folder of ``root``; its id."""
    upload = secrets.token_hex(8)
    for name, data in files.get("files", []):
        safe = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", Path(name).name)[-100:]
        if Path(safe).suffix.lower() in IMPORTABLE and 0 < len(data) <= MAX_UPLOAD_BYTES:
            atomic_write(root / upload / safe, data)
    return upload


def stored(root: Path, upload: str) -> list[Path]:
    """The files of an upload id ([] for an id that is not one of ours)."""
    if not re.fullmatch(r"[0-9a-f]{16}", upload):
        return []
    folder = root / upload
    return sorted(folder.iterdir()) if folder.is_dir() else []
