"""Finding private data in text: resident ID numbers, mobile numbers, known private values.

Used twice (defence in depth, DESIGN §3):

* on every published text of every record while validating, so the officer is told
  which file, line and field hold an ID number or a phone pasted from the form;
* on every text file of the staged output after rendering, so nothing a template or
  a bug let through reaches ``output/``.

Digits are compared in a normal form: full-width digits folded, spaces, dashes and
dots between digits removed, a +86/0086 prefix dropped. Messages show values masked.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ..errors import Problems
from ..load.content import HonoreeSource, Site
from ..model.identifiers import id_checksum_ok, mask, normalise, plausible_birth
from ..model.record import PRIVATE_FIELDS, RECORD_ALIASES, RECORD_LABELS, Record

_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")

TEXT_SUFFIXES = {".html", ".htm", ".json", ".xml", ".txt", ".js", ".css", ".svg", ".conf", ""}


@dataclass(frozen=True)
class Finding:
    kind: str  # Chinese name of what was found, for messages
    value: str  # as found (normalised form)
    start: int  # offset in the *normalised* text
    source: str = ""  # which record and field a known private value came from

    @property
    def masked(self) -> str:
        return mask(self.value)


class Detector:
    """Finds ID numbers, mobile numbers and known private values in text."""

    def __init__(
        self,
        private_values: Mapping[str, str] | None = None,
        allowed: Iterable[str] = (),
    ) -> None:
        # value (normalised) -> where it comes from ("path 字段")
        self.private = {
            normalise(v).strip(): src
            for v, src in (private_values or {}).items()
            if len(normalise(v).strip()) >= 2
        }
        self.allowed = {normalise(a).strip() for a in allowed if a}

    def find(self, text: str) -> list[Finding]:
        norm = normalise(text)
        found: list[Finding] = []
        for m in _ID18.finditer(norm):
            if id_checksum_ok(m.group()) and plausible_birth(m.group()[6:14]):
                found.append(self._traced("身份证号", m.group(), m.start()))
        for m in _ID15.finditer(norm):
            d = m.group()
            if plausible_birth("19" + d[6:12]):
                found.append(self._traced("身份证号（15 位）", d, m.start()))
        for m in _MOBILE.finditer(norm):
            if m.group() not in self.allowed:
                found.append(self._traced("手机号码", m.group(), m.start()))
        patterns = {f.value.upper() for f in found}
        for value, source in self.private.items():
            if value in self.allowed or value.upper() in patterns:
                continue
            start = norm.find(value)
            if start >= 0:
                found.append(Finding("不公开字段的内容", value, start, source))
        return found

    def _traced(self, kind: str, value: str, start: int) -> Finding:
        """A pattern hit, with the record it came from when it is a known private value."""
        source = self.private.get(value) or self.private.get(value.upper()) or ""
        return Finding(kind, value, start, source)


def line_at(text: str, offset_in_normalised: int) -> int:
    """Approximate line of a finding: normalising never removes newlines."""
    norm = normalise(text)
    return norm.count("\n", 0, offset_in_normalised) + 1


def scan_output(root: Path, detector: Detector) -> list[tuple[str, Finding]]:
    """Every text file under root; (relative path, finding) pairs."""
    return scan_files(
        {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
        },
        detector,
    )


def scan_files(files: dict[str, bytes], detector: Detector) -> list[tuple[str, Finding]]:
    """Text files among ``files`` with HTML entities decoded, scanned for private data."""
    hits: list[tuple[str, Finding]] = []
    for name, data in sorted(files.items()):
        if Path(name).suffix.lower() not in TEXT_SUFFIXES:
            continue
        text = html.unescape(data.decode("utf-8", errors="replace"))
        hits.extend((name, finding) for finding in detector.find(text))
    return hits


# --- the detector for a site, and the scan of what records publish ----------------------------


def privacy_detector(site: Site) -> Detector:
    """Private values of every record, with the notices' own contacts allowed."""
    return Detector(private_values(site), allowed=notice_contacts(site))


def private_values(site: Site) -> dict[str, str]:
    """Every private value of every record (any status) → where it comes from.

    A value that is also published on purpose (an honouree's own name that happens to
    equal some record's contact person) cannot be told apart from a leak, so it is
    left out rather than failing every build.
    """
    public: set[str] = set()
    found: dict[str, str] = {}
    for campaign in site.campaigns:
        for h in campaign.honorees:
            for key, value in h.record:
                if not isinstance(value, str):
                    continue
                if key in PRIVATE_FIELDS:
                    found.setdefault(
                        value, f"{h.path.parent.name}/{h.path.name} {RECORD_LABELS[key]}"
                    )
                elif h.published:
                    public.add(normalise(value))
    return {v: src for v, src in found.items() if normalise(v) not in public}


def notice_contacts(site: Site) -> list[str]:
    """The notice's own phones and e-mails: the only contact data allowed in output."""
    allowed: list[str] = []
    for campaign in site.campaigns:
        notice = campaign.config.notice
        if notice is not None:
            allowed.extend(notice.channels.phones)
            if notice.channels.email:
                allowed.append(notice.channels.email)
    return allowed


def _texts(rec: Record) -> list[tuple[str, str]]:
    """(field label, text) of everything a record publishes."""
    out: list[tuple[str, str]] = []
    for key, value in rec:
        if key in PRIVATE_FIELDS:
            continue
        label = RECORD_LABELS[key]
        if isinstance(value, str):
            out.append((label, value))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    out.append((label, item))
                else:
                    out.extend((label, str(v)) for _, v in item if isinstance(v, str))
        elif isinstance(value, BaseModel):
            out.extend((label, str(v)) for _, v in value if isinstance(v, str))
    return out


def scan_published(h: HonoreeSource, detector: Detector, problems: Problems) -> None:
    for label, text in _texts(h.record):
        key = RECORD_ALIASES.get(label, label)
        for f in detector.find(text):
            problems.add(h.path, h.field_line(key), label, _finding_message(f), _FIX)
    for f in detector.find(h.story):
        line = h.story_line + line_at(h.story, f.start) - 1
        problems.add(h.path, line, "事迹正文", _finding_message(f), _FIX)


_FIX = "请从公开内容中删除；身份证号、电话、地址等只能写在不公开的字段里"


def _finding_message(f: Finding) -> str:
    source = f"（来自 {f.source}）" if f.source else ""
    return f"公开内容里出现了{f.kind}“{f.masked}”{source}"
