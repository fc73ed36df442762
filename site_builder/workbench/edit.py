"""Changing one field of an officer's file and nothing else.

A colleague who keeps content in a text editor or git must see an ordinary, tidy
change: the lines of the edited field are replaced, every other byte stays as it was
(comments, key order, quoting, blank lines, the story). The field's lines are found
with the project's own YAML reader (key → line); they run to the next key, leaving out
the comments and blank lines in front of it. A field not written yet is added before
the closing ``---`` under its Chinese label. Values are written the way the officer's
files write them: plain where YAML reads them back as the same text, double-quoted
otherwise; lists of honours and media one flow mapping a line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from ..load.text import parse_yaml, split_front_matter
from ..model.record import RECORD_ALIASES, RECORD_LABELS

# Plain scalars YAML could read as something else, or that our reader would mistake.
_NEEDS_QUOTES = re.compile(
    r"""^[\s\-?:,\[\]{}#&*!|>'"%@`]|[:#]\s|\s$|:$|^(?:true|false|yes|no|null|~)$""", re.I
)
_INLINE_COMMENT = re.compile(r"\s+#(?![^\"']*[\"']\s*$).*$")
_FLOW_NEEDS_QUOTES = re.compile(r"""[,\[\]{}:#]|^[\s\-?&*!|>'"%@`]|\s$""")


def scalar(value: Any, flow: bool = False) -> str:
    """One value as YAML text that our reader reads back as the same value."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, dt.date)):
        return str(value)
    text = str(value)
    pattern = _FLOW_NEEDS_QUOTES if flow else _NEEDS_QUOTES
    if not text or "\n" in text or pattern.search(text):
        return json.dumps(text, ensure_ascii=False)
    return text


def _mapping(item: Mapping[str, Any]) -> str:
    parts = [f"{k}: {scalar(v, flow=True)}" for k, v in item.items() if v not in (None, "")]
    return "{" + ", ".join(parts) + "}"


def field_lines(label: str, value: Any) -> list[str]:
    """The lines that write ``label: value``."""
    if isinstance(value, list):
        if not value:
            return [f"{label}: []"]
        items = [_mapping(v) if isinstance(v, Mapping) else scalar(v) for v in value]
        return [f"{label}:"] + [f"  - {item}" for item in items]
    if isinstance(value, Mapping):
        return [f"{label}: {_mapping(value)}"]
    return [f"{label}: {scalar(value)}"]


def _spans(
    yaml_lines: list[str], doc_lines: Mapping[tuple[str | int, ...], int]
) -> dict[str, tuple[int, int]]:
    """Top-level key (as written) → (first, last) index into ``yaml_lines``, comments after
    the value and blank lines left to the next key."""
    starts = sorted(
        (line - 2, str(loc[0])) for loc, line in doc_lines.items() if len(loc) == 1
    )  # front matter starts on line 2 of the file
    spans = {}
    for i, (start, key) in enumerate(starts):
        end = (starts[i + 1][0] if i + 1 < len(starts) else len(yaml_lines)) - 1
        while end > start and (
            not yaml_lines[end].strip() or yaml_lines[end].lstrip().startswith("#")
        ):
            end -= 1
        spans[key] = (start, end)
    return spans


def edit_record(text: str, changes: Mapping[str, Any]) -> str:
    """index.md with the record fields in ``changes`` (declared name → value, None to
    remove) set; every other line byte for byte as it was."""
    yaml_text, _, _ = split_front_matter(text)
    head = text[: text.index(yaml_text)] if yaml_text else "---\n"
    tail = text[len(head) + len(yaml_text) :]
    doc = parse_yaml(yaml_text, first_line=2)
    if doc.problems:
        raise ValueError("the front matter does not parse; it cannot be edited field by field")
    lines = yaml_text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    spans = _spans(lines, doc.lines)
    written = {RECORD_ALIASES.get(raw, raw): raw for raw in spans}
    replacements: dict[int, tuple[int, list[str]]] = {}
    added: list[str] = []
    for key, value in changes.items():
        raw = written.get(key)
        if raw is None:
            if value not in (None, "", []):
                added += field_lines(RECORD_LABELS[key], value)
            continue
        start, end = spans[raw]
        new = [] if value in (None, "", []) and key not in ("status",) else field_lines(raw, value)
        if new and end == start:  # keep a comment at the end of a one-line field
            comment = _INLINE_COMMENT.search(lines[start])
            if comment and not isinstance(value, list):
                new[0] += comment.group()
        replacements[start] = (end, new)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replacements:
            end, new = replacements[i]
            out += new
            i = end + 1
        else:
            out.append(lines[i])
            i += 1
    out += added
    return head + "\n".join(out) + "\n" + tail
