"""Resident ID numbers and phone-like digits as officers type them.

Pure functions shared by the record validator (is this 身份证号 valid?) and the
privacy checks (is there an ID number or a mobile in this text?): the GB 11643
checksum, a normal form for digits and masking for messages.

The normal form is what a reader would read: every invisible format character
(Unicode Cf: zero-width space, ZWJ/ZWNJ, word joiner, soft hyphen, BOM…) removed,
letters, digits and + - . in compatibility forms folded as NFKC folds them (full-width
２, circled ②), spaces, dashes and dots *between two digits* removed, and a
+86/0086 country code dropped only where it starts a mobile number — never inside a
longer run of digits (13800861234 stays a mobile, 990101199710086104 stays an ID).
"""

from __future__ import annotations

import functools
import re
import unicodedata

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# Python's \s covers Unicode white space (no-break, thin, ideographic spaces, line breaks).
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s\-‐‑–—－.．·・]+(?=\d)")
_COUNTRY = re.compile(r"(?<![0-9A-Za-z])(?:\+|00)86(?=1[3-9]\d{9}(?!\d))")


# Where the characters that need folding live: the BMP, the supplementary planes with
# mathematical digits and format characters, and the tag characters.
_FOLD_RANGES = (range(0x20000), range(0xE0000, 0xE1000))


@functools.lru_cache(maxsize=1)
def _fold() -> tuple[dict[int, str | None], re.Pattern[str]]:
    """One translation table for the normal form, and a pattern that finds a character it
    would change (most text has none, and is then not translated at all).

    Format characters (Cf) are deleted; a character whose NFKC form holds an ASCII letter,
    digit or + (full-width ２, circled ②, ℡…) is replaced by that form. Spaces and dots
    need no folding: the separator pattern matches every Unicode space and the full-width
    dot itself. The pattern is written as ranges, which the regex engine tests quickly.
    """
    table: dict[int, str | None] = {}
    for cp in (cp for r in _FOLD_RANGES for cp in r):
        ch = chr(cp)
        if unicodedata.category(ch) == "Cf":
            table[cp] = None
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if folded != ch and any(c.isascii() and (c.isalnum() or c == "+") for c in folded):
            table[cp] = folded
    return table, re.compile(f"[{_ranges(sorted(table))}]")


def _ranges(codepoints: list[int]) -> str:
    """[1, 2, 3, 7] → the character-class body "\\x01-\\x03\\x07"."""
    parts: list[str] = []
    start = prev = codepoints[0]
    for cp in [*codepoints[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(re.escape(chr(start)) + (f"-{re.escape(chr(prev))}" if prev > start else ""))
        start = prev = cp
    return "".join(parts)


def id_checksum_ok(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def plausible_birth(digits: str) -> bool:
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
    """The text as a reader reads it, for finding digits however they were typed."""
    table, needs_folding = _fold()
    if needs_folding.search(text):
        text = text.translate(table)
    text = _BETWEEN_DIGITS.sub("", text)
    return _COUNTRY.sub("", text)


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
