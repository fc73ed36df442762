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
from ..model.source import Loc

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
        if not any(isinstance(v, (Mapping, list)) for v in value.values()):
            return [f"{label}: {_mapping(value)}"]
        lines = [f"{label}:"]  # a section of sections (规则): one key a line, indented
        for key, inner in value.items():
            if inner not in (None, ""):
                lines += ["  " + line for line in field_lines(key, inner)]
        return lines
    return [f"{label}: {scalar(value)}"]


def _spans(
    lines: list[str], doc_lines: Mapping[Loc, int], parent: Loc, offset: int, limit: int
) -> dict[str, tuple[int, int]]:
    """Keys of the mapping at ``parent`` (as written) → (first, last) index into ``lines``;
    comments after a value and blank lines before the next key are left out."""
    starts = sorted(
        (line - offset, str(loc[-1]))
        for loc, line in doc_lines.items()
        if len(loc) == len(parent) + 1 and loc[: len(parent)] == parent and isinstance(loc[-1], str)
    )
    spans = {}
    for i, (start, key) in enumerate(starts):
        end = (starts[i + 1][0] if i + 1 < len(starts) else limit) - 1
        while end > start and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
            end -= 1
        spans[key] = (start, end)
    return spans


def edit_mapping(
    yaml_text: str,
    first_line: int,
    parent: Loc,
    changes: Mapping[str, Any],
    aliases: Mapping[str, str],
    labels: Mapping[str, str],
) -> str:
    """``yaml_text`` with the keys in ``changes`` (declared name → value, None to remove) of
    the mapping at ``parent`` set; every other line byte for byte as it was."""
    doc = parse_yaml(yaml_text, first_line=first_line)
    if doc.problems:
        raise ValueError("the YAML does not parse; it cannot be edited field by field")
    lines = yaml_text.split("\n")
    trailing = lines[-1] == ""
    if trailing:
        lines.pop()
    offset = first_line
    limit = len(lines)
    indent = ""
    if parent:
        start = doc.lines[parent] - offset
        indent = re.match(r"\s*", lines[start]).group() + "  "  # type: ignore[union-attr]
        siblings = _spans(lines, doc.lines, parent[:-1], offset, len(lines))
        limit = siblings[str(parent[-1])][1] + 1
    spans = _spans(lines, doc.lines, parent, offset, limit)
    if spans:  # new keys line up with the ones already there
        first = min(start for start, _ in spans.values())
        indent = re.match(r"\s*", lines[first]).group()  # type: ignore[union-attr]
    written = {aliases.get(raw, raw): raw for raw in spans}
    replacements: dict[int, tuple[int, list[str]]] = {}
    added: list[str] = []
    for key, value in changes.items():
        raw = written.get(key)
        if raw is None:
            if value not in (None, "", []):
                added += [indent + line for line in field_lines(labels[key], value)]
            continue
        start, end = spans[raw]
        new = [] if value in (None, "", []) else [indent + x for x in field_lines(raw, value)]
        if new and end == start and not isinstance(value, list):
            comment = _INLINE_COMMENT.search(lines[start])  # keep a comment at the end
            if comment:
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
        if i == limit and added:
            out += added
            added = []
    out += added
    return "\n".join(out) + ("\n" if trailing else "")


def edit_record(text: str, changes: Mapping[str, Any]) -> str:
    """index.md with the record fields in ``changes`` (declared name → value, None to
    remove) set; every other line byte for byte as it was."""
    yaml_text, _, _ = split_front_matter(text)
    head = text[: text.index(yaml_text)] if yaml_text else "---\n"
    tail = text[len(head) + len(yaml_text) :]
    edited = edit_mapping(yaml_text, 2, (), changes, RECORD_ALIASES, RECORD_LABELS)
    return head + edited + tail
