"""Story Markdown → safe HTML.

Officers paste from Word and WeChat; the story is rendered with Python-Markdown and
then sanitised by nh3 (ammonia) with an allow-list: no script, style, iframe, event
handler, image or form; links only http(s), mailto and tel, with
``rel="noopener noreferrer"``. Headings are shifted so the story's highest one is an
``<h3>`` (the page's ``<h1>`` is the name, the story sits under an ``<h2>``), which keeps
the outline valid whether the officer starts with ``#`` or ``##``.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from typing import TYPE_CHECKING

import nh3

from .fields import CJK

if TYPE_CHECKING:
    import markdown

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "mark",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "pre",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


_INLINE = r"(?:</?(?:strong|em|b|i|u|s|del|mark|a|code|sup|sub)\b[^>]*>)*"
_SOFT_BREAK = re.compile(f"(?<=[{CJK}])({_INLINE})[ \\t]*\\n[ \\t]*({_INLINE})(?=[{CJK}])")

STORY_TOP_HEADING = 3  # the page has <h1> (the name) and the story sits under an <h2>


def _shift_headings(raw: str, top: int) -> str:
    """Make the text's highest heading an <h{top}>, keeping the relative levels below it."""
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", raw)]
    if not levels:
        return raw
    shift = top - min(levels)
    return re.sub(
        r"<(/?)h([1-6])",
        lambda m: f"<{m.group(1)}h{min(max(int(m.group(2)) + shift, top), 6)}",
        raw,
    )


_PARSERS = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's Markdown parser: making one (its extensions, block and inline
    processors) was a third of the time of a story; ``reset`` clears what the last
    story left (link references, stashed HTML) before the next."""
    parser: markdown.Markdown | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        import markdown  # here: a story of plain paragraphs needs none (_plain_paragraphs)

        parser = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        _PARSERS.parser = parser
    return parser


# Most stories are plain paragraphs (text pasted from Word, a blank line between, maybe
# a full-width indent): no character Markdown reads as syntax (the ASCII punctuation
# below leaves out all it uses: * _ # = + > < & | ` [ ] ! \ ~), no control, no space but
# line breaks, U+3000 (Markdown's indents are ASCII spaces and tabs) and ASCII spaces
# inside a line; no line begins with "-" (a list, a rule, a heading's underline) or a
# number and ". " (a list), none begins or ends with a space (a code block, a line
# break) and none is spaces only (a paragraph break). Python-Markdown makes each
# paragraph a <p> of its lines, white space at its start taken off; that is done here
# in a quarter of the time (a test compares the two on random texts), and the sanitiser
# still sees the result.
_PLAIN = re.compile(
    r"[\n 0-9A-Za-z%.,:;/()?'\"\-\u00a1-\ud7ff\ue000-\ufefe\uff00-\U0010ffff]*"  # U+3000 too
)
_NOT_PLAIN = re.compile(r"[^\S\n\u3000 ]|(?:^|\n) | (?:\n|$)|(?:^|\n)\u3000*-|(?:^|\n)\d+\. ")
_PARAGRAPH_BREAK = re.compile(r"\n\n+")


def _plain_paragraphs(text: str) -> str | None:
    """What Python-Markdown makes of a story of plain paragraphs; None for any other."""
    if not _PLAIN.fullmatch(text) or _NOT_PLAIN.search(text):
        return None
    paragraphs = (p.lstrip() for p in _PARAGRAPH_BREAK.split(text.rstrip("\n")))
    return "\n".join(f"<p>{p}</p>" for p in paragraphs if p)


@functools.lru_cache(maxsize=4096)
def render_story(text: str, top: int = STORY_TOP_HEADING) -> str:
    """Markdown → sanitised HTML (pure, so cached: the preview re-renders unchanged stories);
    its highest heading at level ``top`` (2 for a text right under the page's <h1>)."""
    raw = _plain_paragraphs(text)
    if raw is None:
        raw = _shift_headings(_markdown().reset().convert(text), top)
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
    # A line broken inside a paragraph (editors, the .docx import) renders as a space, which
    # Chinese text does not have between characters; inline tags may stand beside it.
    return _SOFT_BREAK.sub(r"\1\2", clean)


def plain_text(safe_html: str) -> str:
    """Text of already-sanitised HTML, for search and descriptions."""
    text = re.sub(r"<[^>]+>", " ", safe_html)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def first_sentence(text: str, limit: int = 60) -> str:
    """A short line for cards and share descriptions, cut at a sentence end when possible."""
    text = re.sub(r"\s+", " ", text).strip()
    m = re.search(r"^(.{8,}?[。！？!?])", text[:limit])
    if m:
        return m.group(1)
    return text if len(text) <= limit else text[: limit - 1] + "…"
