"""What a workbench action answers, before any HTTP server carries it."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def attachment(name: str) -> str:
    """A download's file name, Chinese included (RFC 6266)."""
    return f"attachment; filename=download; filename*=UTF-8''{urllib.parse.quote(name)}"
