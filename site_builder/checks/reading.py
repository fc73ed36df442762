"""How a file that leaves the tool reads to a person: the text the privacy scan reads.

An HTML or XML file is its visible text and then every attribute value (alt text,
links) but a drawing's path (the page's QR code); an SVG only its text (its numbers
are drawing coordinates); a Word document the text of every part; other text files
as they are. References to the files this tool names by their hash
(photo-1-480.7de46294f4.webp) are taken out: nothing in them was written by the officer.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

TEXT_SUFFIXES = {
    ".html", ".htm", ".json", ".xml", ".txt", ".js", ".css", ".svg", ".conf", "", ".docx",
}  # fmt: skip


# A reference to a generated, content-hashed file (photo-1-480.7de46294f4.webp): nothing in
# it was written by the officer, so digits in it can never be a leak.
# Found by its tail (a literal "." the regex engine skips to quickly), then widened to the
# whole path before it.
_HASHED_TAIL = re.compile(r"\.[0-9a-f]{10}\.[A-Za-z0-9]+")
_PATH_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./-")
_ATTRIBUTE = re.compile(r"""[ \t\n\r\f]([\w:-]+)=(?:"([^"]*)"|'([^']*)')""")
# Attributes that are drawing, not text: an SVG path's coordinates (every page's QR code
# is one, of some 1,500 digits and spaces, which the scan read as much as the page's
# text), as an SVG file's numbers are not read either.
_GEOMETRY = frozenset({"d"})
# Inline markup a number can be split by and still read as one (**0013**, <br>, a link).
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|br|code|del|em|i|mark|s|small|span|strong|sub|sup|u|wbr)\b[^>]*>", re.I
)
_TAG = re.compile(r"<[^>]*>")


_LONG_DIGITS = re.compile(r"[0-9]{7}")


def without_hashed_refs(text: str) -> str:
    """``text`` with every reference to a generated hashed file replaced by a space."""
    pieces: list[str] = []
    last = 0
    for m in _HASHED_TAIL.finditer(text):
        start = m.start()
        while start > last and text[start - 1] in _PATH_CHARS:
            start -= 1
        if start < m.start():  # a name before the hash: a file this tool made …
            if _LONG_DIGITS.search(text, start, m.start()):
                start = m.start()  # … whose names never hold seven digits in a row: this
                # one is read like any other text, but for its hash
            pieces += (text[last:start], " ")
            last = m.end()
    pieces.append(text[last:])
    return "".join(pieces)


def visible_text(markup: str) -> str:
    """What a reader sees of some HTML: inline tags vanish (a number split by them reads as
    one number), other tags separate, entities are decoded."""
    return html.unescape(_TAG.sub(" | ", _INLINE_TAG.sub("", markup)))


def readable(name: str, data: bytes) -> str:
    """What a file says to a reader, for the scan: generated hashed names taken out; for
    HTML and XML the visible text and then every attribute value (alt text, links) but
    an SVG path's coordinates (``d``); for an SVG only its text (its numbers are drawing
    coordinates); for a Word document the text of every part (body, headers, footers,
    properties)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".docx":
        return _document_text(data)
    text = without_hashed_refs(data.decode("utf-8", errors="replace"))
    if suffix == ".svg":
        return visible_text(text)
    if suffix in (".html", ".htm", ".xml"):
        values = (a or b for name, a, b in _ATTRIBUTE.findall(text) if name not in _GEOMETRY)
        return visible_text(text) + "\n | " + " | ".join(html.unescape(v) for v in values)
    return html.unescape(text)


_WORD_BREAK = re.compile(r"</w:p>|<w:(?:tab|br|cr)\b[^>]*/>")


def _document_text(data: bytes) -> str:
    """A .docx as its reader sees it: the runs of a paragraph joined (a number split across
    runs reads as one number), paragraphs, tabs and breaks apart."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = [
                package.read(n).decode("utf-8", "replace")
                for n in sorted(package.namelist())
                if n.endswith(".xml") and n.startswith(("word/", "docProps/"))
            ]
    except (zipfile.BadZipFile, OSError, KeyError):
        return data.decode("utf-8", errors="replace")  # not a package: read it as it is
    return html.unescape(" | ".join(_TAG.sub("", _WORD_BREAK.sub(" | ", part)) for part in parts))
