"""What a workbench action answers, before any HTTP server carries it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
