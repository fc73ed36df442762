"""Photo metadata taken out of an uploaded original without touching its pixels.

A phone photo carries the place it was taken (GPS), the phone, the time and often the
owner's name. The build never publishes any of it (every rendition is re-encoded), but
an original kept in content/ travels with the folder and is shown by the workbench, so
an upload is stored without it. The compressed image data is copied byte for byte (no
re-encoding, no loss); only the orientation survives, as a minimal EXIF block, because
the build turns the photo upright from it.

JPEG: the APPn segments but JFIF (APP0), ICC profiles (APP2) and Adobe's colour
transform (APP14) go, and so do comments. PNG: text, time and EXIF chunks go.
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

ORIENTATION = 0x0112
_JPEG_KEEP = {0xE0, 0xE2, 0xEE}  # APP0 JFIF, APP2 ICC, APP14 Adobe
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def orientation(data: bytes) -> int:
    """The EXIF orientation (1–8; 1 if there is none or it cannot be read)."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            value = im.getexif().get(ORIENTATION, 1)
    except Exception:  # unreadable metadata: the photo is checked on its own elsewhere
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _exif_with_orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = value
    return exif.tobytes()  # b"Exif\0\0" + a TIFF block with that one tag


def strip_metadata(data: bytes) -> bytes:
    """``data`` (a JPEG or PNG) without its metadata; other data is returned as it is."""
    if data.startswith(b"\xff\xd8"):
        return _strip_jpeg(data, orientation(data))
    if data.startswith(PNG_SIGNATURE):
        return _strip_png(data, orientation(data))
    return data


def _strip_jpeg(data: bytes, turn: int) -> bytes:
    out = bytearray(b"\xff\xd8")
    if turn != 1:
        exif = _exif_with_orientation(turn)
        out += b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            break  # not a marker where one must be: keep the rest as it is
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA:  # start of scan: the image data, copied to the end
            out += data[i:]
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out += data[i : i + 2]
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        segment = data[i : i + 2 + length]
        is_app = 0xE0 <= marker <= 0xEF
        if not (marker == 0xFE or (is_app and marker not in _JPEG_KEEP)):
            out += segment
        i += 2 + length
    out += data[i:]
    return bytes(out)


def _strip_png(data: bytes, turn: int) -> bytes:
    out = bytearray(PNG_SIGNATURE)
    i = len(PNG_SIGNATURE)
    while i + 12 <= len(data):
        length = struct.unpack(">I", data[i : i + 4])[0]
        kind = data[i + 4 : i + 8]
        chunk = data[i : i + 12 + length]
        if kind == b"IHDR" and turn != 1:
            out += chunk
            body = _exif_with_orientation(turn)[6:]  # eXIf holds the TIFF block alone
            crc = zlib.crc32(b"eXIf" + body) & 0xFFFFFFFF
            out += struct.pack(">I", len(body)) + b"eXIf" + body + struct.pack(">I", crc)
        elif kind not in _PNG_DROP:
            out += chunk
        i += 12 + length
        if kind == b"IEND":
            return bytes(out)
    out += data[i:]
    return bytes(out)
