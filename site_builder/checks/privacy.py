"""Finding private data in text: resident ID numbers, mobile numbers, known private values.

Used twice (defence in depth):

* on every published text of every record while validating, so the officer is told
  which file, line and field hold an ID number or a phone pasted from the form;
* by the publish gate (``gate.py``) on every text file that leaves the tool (the staged
  output/, the preview, the 公众号 folder, the printed 公示, what deploy sends), so
  nothing a template or a bug let through is published.

Digits are compared in a normal form: full-width digits folded, spaces, dashes and
dots between digits removed, a +86/0086 prefix dropped. Messages show values masked.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import ahocorasick
from pydantic import BaseModel

from ..errors import Problem, Problems
from ..model.identifiers import id_checksum_ok, mask, normalise, plausible_birth, readings
from ..model.record import PRIVATE_FIELDS, RECORD_ALIASES, RECORD_LABELS, Record
from ..model.source import HonoreeSource, Site
from ..workers import worker_pool
from .reading import TEXT_SUFFIXES, readable, visible_text

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# One pass for the patterns: an 18- or 15-digit ID number or a mobile, as a whole token
# (told apart by length). The pattern begins with a character class, which the regex
# engine scans for quickly; the "not after a letter or digit" half of "whole token" is
# tested on each match instead (a match rejected that way cannot hide a valid one: any
# match starting inside it follows a digit too).
_PATTERNS = re.compile(r"[0-9](?:[0-9]{16}[0-9Xx]|[0-9]{14}|(?<=1)[3-9][0-9]{9})(?![0-9A-Za-z])")
_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


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
    """Finds ID numbers, mobile numbers and known private values in text, in one pass each.

    Known private values are found with one Aho–Corasick automaton (pyahocorasick), so
    the cost is the length of the text, not the text times the number of values, and a
    value is only found as a whole token: digits never match inside a longer run of
    letters and digits (a postcode inside an image hash is not a postcode).
    """

    def __init__(
        self,
        private_values: Mapping[str, str] | None = None,
        allowed: Iterable[str] = (),
        *,
        normal_values: Mapping[str, str] | None = None,
    ) -> None:
        """``private_values``: value → where it comes from ("path 字段"); or already in
        the normal form, ``normal_values``."""
        self.private: dict[str, str] = {}
        values = [(normalise(v), source) for v, source in (private_values or {}).items()]
        for norm, source in [*values, *(normal_values or {}).items()]:
            norm = _SPACES.sub("", norm)  # found with white space taken out (``find``)
            if len(norm) >= 2:
                self.private.setdefault(norm, source)
                self.private.setdefault(norm.upper(), source)  # an ID's x as X
        self.allowed = {_SPACES.sub("", normalise(a)) for a in allowed if a}
        # Identifies what this detector finds: a scan result is reusable while it is equal.
        self.digest = hashlib.sha256(
            repr((sorted(self.private.items()), sorted(self.allowed))).encode()
        ).hexdigest()
        self.automaton = ahocorasick.Automaton()
        for value in self.private:
            if value not in self.allowed:
                self.automaton.add_word(value, value)
        if len(self.automaton):
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Finding]:
        # Digits as one run (138 0000 0001) and, apart, as the runs a space separates (two
        # phones in a row, a phone after a date): a number is found in either reading.
        both = readings(text)
        norm = both[0]
        found: list[Finding] = []
        seen: set[str] = set()
        for reading in both:
            for m in _PATTERNS.finditer(reading):
                value, start = m.group(), m.start()
                if value in seen or (start and not _starts_a_number(reading, start)):
                    continue
                finding = self._pattern(value, start)
                if finding is not None:
                    seen.add(value)
                    found.append(finding)
        if len(self.automaton) and self.automaton.kind == ahocorasick.AHOCORASICK:
            seen = {f.value.upper() for f in found}
            # Known values are looked for with white space taken out of both (an address
            # typed as 示例路 1号1单元 is the 示例路1号1单元 of the record). ``split``
            # takes the same white space as ``\s`` (every Unicode space), five times faster.
            compact = "".join(norm.split())
            for end, value in self.automaton.iter(compact):
                start = end - len(value) + 1
                if value.upper() in seen or not _whole_token(compact, start, end + 1):
                    continue
                seen.add(value.upper())
                found.append(Finding("不公开字段的内容", value, start, self.private[value]))
        return found

    def _pattern(self, value: str, start: int) -> Finding | None:
        if len(value) == 18:
            if id_checksum_ok(value) and plausible_birth(value[6:14]):
                return self._traced("身份证号", value, start)
            return None
        if len(value) == 15:
            if plausible_birth("19" + value[6:12]):
                return self._traced("身份证号（15 位）", value, start)
            return None
        return None if value in self.allowed else self._traced("手机号码", value, start)

    def _traced(self, kind: str, value: str, start: int) -> Finding:
        """A pattern hit, with the record it came from when it is a known private value."""
        source = self.private.get(value) or self.private.get(value.upper()) or ""
        return Finding(kind, value, start, source)


_SPACES = re.compile(r"\s+")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
GLUED_LETTERS = 6  # wx13800000001, ID990101…, tel13800000001, phone…


def _starts_a_number(text: str, start: int) -> bool:
    """Whether digits at ``start`` begin a number of their own: after a non-alphanumeric
    character, or after a short run of letters glued on (wx, QQ, ID, tel) — not inside a
    longer run of digits, nor inside a long token of letters and digits (a hash)."""
    i = start
    while i > 0 and text[i - 1] in _LETTERS and start - i < GLUED_LETTERS:
        i -= 1
    if i == start:
        return text[start - 1] not in _ALNUM
    return i == 0 or text[i - 1] not in _ALNUM


def _whole_token(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] does not continue a run of letters and digits on either side."""
    before = start > 0 and text[start] in _ALNUM and text[start - 1] in _ALNUM
    after = end < len(text) and text[end - 1] in _ALNUM and text[end] in _ALNUM
    return not (before or after)


def line_at(text: str, finding: Finding) -> int:
    """The line of ``text`` a finding stands on (normalising may join lines, so the
    normal form of each prefix is compared; findings are rare, the cost does not matter)."""
    lines = text.split("\n")
    for i in range(len(lines)):
        if finding.value in normalise("\n".join(lines[: i + 1])):
            return i + 1
    return 1


def scan_files(files: Mapping[str, bytes], detector: Detector) -> list[tuple[str, Finding]]:
    """Text files among ``files``, each scanned once as a reader would read it."""
    return [
        (name, finding)
        for name in sorted(files)
        if is_scanned(name)
        for finding in detector.find(readable(name, files[name]))
    ]


def is_scanned(name: str) -> bool:
    """Whether the scan reads a file of this name: a text file (a page's QR code is a
    PNG; the code a page draws is scanned with the page)."""
    return Path(name).suffix.lower() in TEXT_SUFFIXES


PARALLEL_SCAN_BYTES = 4_000_000  # below this, scanning here is quicker than starting workers
SCAN_PARTS_PER_WORKER = 8

# The files of a Scan, for workers forked while it is set: they read them from the memory
# they share with this process instead of being sent a pickled copy (which this process
# would hold as well: +90 MiB at 10,000 honourees).
_INHERITED: Mapping[str, bytes] = {}


def _forking() -> bool:
    return multiprocessing.get_start_method() == "fork"


def _scan_inherited(names: list[str], detector: Detector) -> list[tuple[str, Finding]]:
    return scan_files({name: _INHERITED[name] for name in names}, detector)


class Scan:
    """``scan_files`` under way: a large output is scanned on every core in worker
    processes while this one goes on (the build stages the files meanwhile); ``result``
    gives the same list, in the same order, as ``scan_files``.

    Where processes are forked (Linux), the workers are forked here and read the files
    from memory they share with this process; elsewhere they are started early
    (``scan_workers``) and sent the files in parts."""

    def __init__(
        self,
        files: Mapping[str, bytes],
        detector: Detector,
        started: ProcessPoolExecutor | None = None,
    ) -> None:
        """``started``: workers from ``scan_workers``, used if the scan is large, else let go."""
        global _INHERITED
        self.files, self.detector = files, detector
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future[list[tuple[str, Finding]]]] = []
        names = [name for name in sorted(files) if is_scanned(name)]
        size = sum(len(files[name]) for name in names)
        workers = min(os.cpu_count() or 1, size // PARALLEL_SCAN_BYTES + 1)
        if workers < 2:
            if started is not None:
                started.shutdown(wait=False)
            return
        try:
            if _forking() and started is None:
                _INHERITED = files
                self.pool = worker_pool(workers)
                for part in range(workers):  # the first submit forks every worker
                    names_part = names[part::workers]
                    self.futures.append(self.pool.submit(_scan_inherited, names_part, detector))
                return
            self.pool = started or worker_pool(workers)
            # Every parts-th file: parts of about equal size, small enough that only the
            # few the workers are about to scan are held here pickled at once.
            parts = workers * SCAN_PARTS_PER_WORKER
            for part in range(parts):
                chunk = {name: files[name] for name in names[part::parts]}
                self.futures.append(self.pool.submit(scan_files, chunk, detector))
        except BaseException:
            self.cancel()
            raise

    def result(self) -> list[tuple[str, Finding]]:
        if self.pool is None:
            return scan_files(self.files, self.detector)
        try:
            hits = [hit for future in self.futures for hit in future.result()]
        except BaseException:
            self.cancel()
            raise
        self._close(wait=True)  # the workers are idle: they are gone when this returns
        return sorted(hits, key=lambda hit: hit[0])  # stable: a file's hits keep their order

    def cancel(self) -> None:
        self._close(wait=False)

    def _close(self, wait: bool) -> None:
        global _INHERITED
        _INHERITED = {}
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=not wait)


SCAN_WORKERS_FROM = 500  # content files: fewer make well under PARALLEL_SCAN_BYTES of pages


def scan_workers(content_files: int) -> ProcessPoolExecutor | None:
    """Workers for a ``Scan`` of a site of ``content_files`` files, started early where
    they are not forked (Windows, macOS): they start while the pages render. Where they
    are forked, ``Scan`` forks them itself, once the files are there to share; a small
    site gets none (its scan is quicker here than starting them)."""
    workers = os.cpu_count() or 1
    if workers < 2 or _forking() or content_files < SCAN_WORKERS_FROM:
        return None
    pool = worker_pool(workers)
    for _ in range(workers):
        pool.submit(int)  # starts the workers
    return pool


# --- the detector for a site, and the scan of what records publish ----------------------------


def privacy_detector(site: Site) -> Detector:
    """Private values of every record, with the notices' own contacts allowed.

    The last detector made is made again only when they differ: the preview rebuilds
    and the workbench answers each request with the same private values, and building
    the automaton for thousands of records is a tenth of an edit's rebuild. A detector
    is never changed once made, so the threads of the preview and the workbench share it.
    """
    global _last_detector
    values, allowed = private_values(site), notice_contacts(site)
    last = _last_detector
    if last is not None and last[0] == values and last[1] == allowed:
        return last[2]
    detector = Detector(normal_values=values, allowed=allowed)
    _last_detector = (values, allowed, detector)
    return detector


_last_detector: tuple[dict[str, str], list[str], Detector] | None = None


def private_values(site: Site) -> dict[str, str]:
    """Every private value of every record (any status), in the normal form → where it
    comes from.

    A value that is also published on purpose (an honouree's own name that happens to
    equal some record's contact person) cannot be told apart from a leak, so it is
    left out rather than failing every build.
    """
    published: list[frozenset[str]] = []
    found: dict[str, str] = {}
    # Last record first, so the first record that names a value is where it comes from;
    # a dictionary updated by each record's (not a value at a time: 8,000 at 2,000).
    for campaign in reversed(site.campaigns):
        for h in reversed(campaign.honorees):
            found.update(h.private_sources)
            if h.is_public:
                published.append(h.normal_values[1])
    public = frozenset().union(*published)
    return {v: src for v, src in found.items() if v not in public}


def notice_contacts(site: Site) -> list[str]:
    """The contacts published on purpose — the 公示's objection channels and the call's
    报送方式 — and the only contact data allowed in output."""
    allowed: list[str] = []
    for campaign in site.campaigns:
        notice, call = campaign.config.notice, campaign.config.call
        if notice is not None:
            allowed.extend(notice.channels.phones)
            if notice.channels.email:
                allowed.append(notice.channels.email)
        if call is not None:
            allowed.extend(call.submission.phones)
            allowed.extend(v for v in (call.submission.email, call.submission.contact) if v)
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


def scan_record(h: HonoreeSource, detector: Detector, problems: Problems) -> None:
    """``scan_published``, done once per record and detector (kept with the record)."""
    found = h.scans.get(detector.digest)
    if found is None:
        found = keep_scan(h, detector, published_problems(h, detector, problems.display_root))
    problems.items.extend(found)


def published_problems(
    h: HonoreeSource, detector: Detector, display_root: Path | None
) -> list[Problem]:
    """``scan_published``'s problems of one record, as the record keeps them."""
    collected = Problems(display_root)
    scan_published(h, detector, collected)
    return list(collected.items)


def keep_scan(h: HonoreeSource, detector: Detector, found: list[Problem]) -> list[Problem]:
    """Keep a record's scan with it, under its detector; ``found``, for the caller."""
    h.scans.clear()  # results for another detector will not be asked for again
    h.scans[detector.digest] = found
    return found


def scan_published(h: HonoreeSource, detector: Detector, problems: Problems) -> None:
    """Every text a record publishes, each finding placed on its field and line.

    Everything is scanned in one pass first; only a record with a finding (rare) is
    scanned again field by field to say where.
    """
    fields = _texts(h.record)
    rendered = visible_text(h.story_html)
    everything = " | ".join([*(text for _, text in fields), h.story, rendered])
    if not detector.find(everything):
        return
    for label, text in fields:
        key = RECORD_ALIASES.get(label, label)
        for f in detector.find(text):
            problems.add(h.path, h.field_line(key), label, _finding_message(f), _FIX)
    found = detector.find(h.story)
    # As rendered too: **0013** or a <br> between digits reads as one number on the page.
    found += [f for f in detector.find(rendered) if f.value not in {g.value for g in found}]
    for f in found:
        line = h.story_line + line_at(h.story, f) - 1
        problems.add(h.path, line, "事迹正文", _finding_message(f), _FIX)


def trace(site: Site, value: str) -> str:
    """Which record and field publish ``value`` (normalised), for an output-scan hit whose
    value is not a known private one; "" if none does (a template wrote it)."""
    for campaign in site.campaigns:
        for h in campaign.public_honorees:
            texts = [*_texts(h.record), ("事迹正文", visible_text(h.story_html))]
            for label, text in texts:
                if value in normalise(text):
                    return f"{h.path.parent.name}/{h.path.name} {label}"
    return ""


_FIX = "请从公开内容中删除；身份证号、电话、地址等只能写在不公开的字段里"


def _finding_message(f: Finding) -> str:
    source = f"（来自 {f.source}）" if f.source else ""
    return f"公开内容里出现了{f.kind}“{f.masked}”{source}"
