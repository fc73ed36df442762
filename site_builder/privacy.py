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

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

_FOLD = str.maketrans("０１２３４５６７８９Ｘｘ＋", "0123456789Xx+")
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[ \t\u00a0\u3000\-‐‑–—－.·]+(?=\d)")
_COUNTRY = re.compile(r"(?:\+|00)\s*86(?=\d)")
_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")

TEXT_SUFFIXES = {".html", ".htm", ".json", ".xml", ".txt", ".js", ".css", ".svg", ".conf", ""}


def id_checksum_ok(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def _plausible_birth(digits: str) -> bool:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def id_number_problem(value: str) -> tuple[str, str] | None:
    """Why a 身份证号 field value is not a valid resident ID, or None."""
    number = normalise(value)
    if len(number) == 15 and number.isdigit():
        return None
    if len(number) != 18 or not re.fullmatch(r"\d{17}[\dX]", number.upper()):
        return (
            f"身份证号“{mask(value)}”应为 18 位",
            "请对照身份证重新填写（最后一位可以是 X）",
        )
    if not id_checksum_ok(number):
        return (
            f"身份证号“{mask(value)}”校验位不对",
            "很可能抄错了某一位，请对照身份证核对",
        )
    return None


def normalise(text: str) -> str:
    text = text.translate(_FOLD)
    text = _BETWEEN_DIGITS.sub("", text)
    return _COUNTRY.sub(" ", text)


def mask(value: str) -> str:
    """110105********002X, 138****8000 — enough to recognise, not enough to leak."""
    v = value.strip()
    if len(v) >= 15:
        return v[:6] + "*" * (len(v) - 10) + v[-4:]
    if len(v) >= 11:
        return v[:3] + "*" * (len(v) - 7) + v[-4:]
    if len(v) >= 3:
        return v[0] + "*" * (len(v) - 2) + v[-1]
    return "*" * len(v)


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
            if id_checksum_ok(m.group()) and _plausible_birth(m.group()[6:14]):
                found.append(self._traced("身份证号", m.group(), m.start()))
        for m in _ID15.finditer(norm):
            d = m.group()
            if _plausible_birth("19" + d[6:12]):
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
