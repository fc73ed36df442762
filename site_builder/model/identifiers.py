"""Resident ID numbers and phone-like digits as officers type them.

Pure functions shared by the record validator (is this 身份证号 valid?) and the
privacy checks (is there an ID number or a mobile in this text?): the GB 11643
checksum, a normal form for digits (full-width folded, separators between digits
removed, a +86/0086 prefix dropped) and masking for messages.
"""

from __future__ import annotations

import re

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

_FOLD = str.maketrans("０１２３４５６７８９Ｘｘ＋", "0123456789Xx+")
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[ \t\u00a0\u3000\-‐‑–—－.·]+(?=\d)")
_COUNTRY = re.compile(r"(?:\+|00)\s*86(?=\d)")


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
