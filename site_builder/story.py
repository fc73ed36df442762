"""Story Markdown → safe HTML.

Officers paste from Word and WeChat; the story is rendered with Python-Markdown and
then sanitised by nh3 (ammonia) with an allow-list: no script, style, iframe, event
handler, image or form; links only http(s), mailto and tel, with
``rel="noopener noreferrer"``. Headings move two levels down: the page's ``<h1>`` is
the honouree's name and the story sits in an ``<h2>`` section.
"""

from __future__ import annotations

import html
import re

import markdown
import nh3

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


def _demote(match: re.Match[str]) -> str:
    level = min(int(match.group(2)) + 2, 6)
    return f"<{match.group(1)}h{level}"


def render_story(text: str) -> str:
    raw = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    raw = re.sub(r"<(/?)h([1-6])", _demote, raw)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


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
