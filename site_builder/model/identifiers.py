"""Resident ID numbers and phone-like digits as officers type them.

Pure functions shared by the record validator (is this 身份证号 valid?) and the
privacy checks (is there an ID number or a mobile in this text?): the GB 11643
checksum, a normal form for digits and masking for messages.

The normal form is what a reader would read: every invisible format character
(Unicode Cf: zero-width space, ZWJ/ZWNJ, word joiner, soft hyphen, BOM…) removed,
letters, digits and + - . in compatibility forms folded as NFKC folds them (full-width
２, circled ②), the digits of every other script folded to 0–9, spaces, dashes and dots
*between two digits* removed (and brackets and slashes: (138)0000-0001, 138/0000/0001),
a run of Chinese numerals long enough to be a number read as digits, and a +86/0086
(or a bare 86 before a mobile, as in wa.me/86…) dropped only where it starts a mobile
number — never inside a longer run of digits (13800861234 stays a mobile,
990101199710086104 stays an ID).
"""

from __future__ import annotations

import functools
import re
import unicodedata

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# Python's \s covers Unicode white space (no-break, thin, ideographic spaces, line breaks).
# Digits are ASCII by the time these run (every script's digits are folded first); a
# pattern that begins with a character class lets the regex engine skip ahead quickly.
_BETWEEN_DIGITS = re.compile(r"([0-9])[\s\-‐‑–—－.．·・/／()（）]+(?=[0-9])")
# The same without white space: two numbers a space apart are two numbers too (a phone
# after a date, two phones in a row), so digits are also read with spaces kept.
_BETWEEN_DIGITS_KEEP_SPACES = re.compile(r"([0-9])[\-‐‑–—－.．·・/／()（）]+(?=[0-9])")
# Digits written as Chinese numerals (一三八零……): a run long enough to be a phone or an
# ID number is read as digits; shorter runs are ordinary words (一二三, 十一月).
_CHINESE_DIGITS = re.compile(r"[〇零一二三四五六七八九]{11,}")
_CHINESE_TABLE = str.maketrans("〇零一二三四五六七八九", "00123456789")
# The country code is found by its "86" (a literal is found quickly); the +/00 before it
# and the start of a number are tested on each of the few hits.
_COUNTRY = re.compile(r"86(?=1[3-9][0-9]{9}(?![0-9]))")
_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


# Where the characters that need folding live: the BMP, the supplementary planes with
# mathematical digits and format characters, and the tag characters.
_FOLD_RANGES = (range(0x20000), range(0xE0000, 0xE1000))


@functools.lru_cache(maxsize=1)
def _fold() -> tuple[dict[int, str | None], re.Pattern[str], re.Pattern[str]]:
    """One translation table for the normal form, and two patterns that find a character
    it would change, one for the BMP and one beyond it (most text has none, and is then
    not translated at all).

    Format characters (Cf) are deleted; a character whose NFKC form holds an ASCII letter,
    digit or + (full-width ２, circled ②, ℡…) is replaced by that form; any other decimal
    digit (Arabic-Indic ٣, Devanagari ३…) by its ASCII digit. Spaces and dots need no
    folding: the separator pattern matches every Unicode space and the full-width dot
    itself. The patterns are written as ranges; split at the BMP, the first compiles to a
    lookup table, which keeps the test of ordinary CJK text to a few tens of milliseconds
    a megabyte.
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
        elif not ch.isascii() and unicodedata.decimal(ch, None) is not None:
            table[cp] = str(unicodedata.decimal(ch))
    bmp = sorted(cp for cp in table if cp < 0x10000)
    astral = sorted(cp for cp in table if cp >= 0x10000)
    return table, re.compile(f"[{_ranges(bmp)}]"), re.compile(f"[{_ranges(astral)}]")


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


# Characters of ordinary Chinese text that the normal form leaves as they are: ASCII,
# CJK ideographs, CJK and full-width punctuation (not ＋ or the full-width letters and
# digits), dashes and quotes, arrows, shapes, ·, ×, ©. Text made only of these needs no
# table, and the table (a walk over every code point, ~30 ms) is then never made. A test
# checks that no character here is one the table changes.
PLAIN_RANGES = (
    "\x00-\x7f\u00a9\u00b7\u00d7\u2010-\u2027\u2190-\u21ff\u25a0-\u25ff\u3000-\u303f"
    "\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff0a\uff0c-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
)
_NOT_PLAIN = re.compile(f"[^{PLAIN_RANGES}]")


def normalise(text: str, keep_spaces: bool = False) -> str:
    """The text as a reader reads it, for finding digits however they were typed; with
    ``keep_spaces``, digits a space apart stay apart."""
    return _joined(_folded(text), keep_spaces)


def readings(text: str) -> tuple[str, str]:
    """``normalise(text)`` and ``normalise(text, keep_spaces=True)``, folded once: the
    privacy scan reads every page both ways, and folding is most of the work."""
    folded = _folded(text)
    return _joined(folded, False), _joined(folded, True)


def _folded(text: str) -> str:
    if _NOT_PLAIN.search(text):
        table, bmp, astral = _fold()
        if bmp.search(text) or (_ASTRAL.search(text) and astral.search(text)):
            text = text.translate(table)
    if "零" in text or "〇" in text or "一" in text:
        text = _CHINESE_DIGITS.sub(lambda m: m.group().translate(_CHINESE_TABLE), text)
    return text


def _joined(text: str, keep_spaces: bool) -> str:
    """Separators between digits taken out (white space too, unless ``keep_spaces``)."""
    text = (_BETWEEN_DIGITS_KEEP_SPACES if keep_spaces else _BETWEEN_DIGITS).sub(r"\1", text)
    return _without_country_code(text) if "86" in text else text


def _without_country_code(text: str) -> str:
    """A +86 or 0086 that starts a mobile number (not one inside a longer number) removed."""
    pieces: list[str] = []
    last = 0
    for m in _COUNTRY.finditer(text):
        at = m.start()
        if text[max(at - 1, 0) : at] == "+":
            at -= 1
        elif at >= 2 and text[at - 2 : at] == "00":
            at -= 2
        elif at > 0 and text[at - 1] in _ALNUM:
            continue  # inside a longer number or word
        # else: 86 and a mobile standing alone (wa.me/86…, tel:86…): the country code too
        if at < last or (at > 0 and text[at - 1] in _ALNUM):
            continue
        pieces.append(text[last:at])
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces)


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
