"""The content as loaded: the site, its campaigns and their honourees, and the parsed
YAML they came from (data and the line of every key), so any stage can name a line.

These are the domain types every stage shares. They sit in ``model/`` so that loading
fills them in and checking, planning and rendering read them, and nothing below
``load/`` needs to import upward to know what a site is.
"""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import Problem
from .config import CampaignConfig, SiteConfig
from .fields import PLACEHOLDER, aliases
from .identifiers import normalise
from .record import PRIVATE_FIELDS, RECORD_LABELS, STATUS_VALUES, Record
from .story import plain_text, render_story

Loc = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """Parsed YAML: the data, the line of every key path, and problems found on the way."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[tuple[int | None, str, str, str]] = field(default_factory=list)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc`` or of its nearest ancestor that has one."""
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


def _strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _strings(item, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


def placeholders(doc: YamlDoc) -> list[tuple[Loc, str, int | None]]:
    """(where, text, line) of every scaffold prompt left in a parsed file."""
    return [
        (loc, text, doc.line_of(loc)) for loc, text in _strings(doc.data) if PLACEHOLDER.match(text)
    ]


def key_line(doc: YamlDoc, model: type[BaseModel], key: str) -> int | None:
    """Line of a top-level field, whichever accepted key (name or label) was written."""
    known = aliases(model)
    for raw in doc.data if isinstance(doc.data, dict) else {}:
        if known.get(raw) == key:
            return doc.lines.get((raw,))
    return None


def raw_value(doc: YamlDoc, model: type[BaseModel], key: str) -> Any:
    """A top-level field's value as written, whichever accepted key was used; None if absent."""
    known = aliases(model)
    for raw, value in (doc.data if isinstance(doc.data, dict) else {}).items():
        if known.get(raw) == key:
            return value
    return None


def raw_status(doc: YamlDoc) -> str | None:
    """The status as written, read without validating the rest of the record."""
    value = raw_value(doc, Record, "status")
    return STATUS_VALUES.get(value.strip(), "unknown") if isinstance(value, str) else None


SITE_FILE = "site.yaml"
CAMPAIGN_FILE = "campaign.yaml"
HONOREES_DIR = "honorees"
RECORD_FILE = "index.md"


_PACKED_DOC = "_doc_pickled"
_STORY_TEXTS = ("story", "story_html", "story_text")  # pickled as bytes (``__getstate__``)
# UTF-16: a Chinese story is a third smaller than in UTF-8, and decodes in two thirds
# of the time (a string of CJK text is two bytes a character in memory already).
_PACKING = "utf-16-le"


@dataclass
class HonoreeSource:
    """One honouree as loaded: the full record (private fields included) and the story."""

    folder: Path
    slug: str
    record: Record
    story: str
    story_line: int  # line of index.md where the story starts
    doc: YamlDoc
    # Fields that failed validation: ``record`` then holds stand-ins for them (so every
    # other field can still be checked) and the record is never published.
    at_fault: frozenset[str] = frozenset()
    # Problems of privacy scans already done on this record, by detector digest (the
    # record cache keeps them between builds).
    scans: dict[str, list[Problem]] = field(default_factory=dict, repr=False)
    # The file's size and modification time when the record cache gave this reading, and
    # it may be trusted to stand for the file's text (see ``RecordCache.racy``): what
    # memos of outputs made from records are kept under. None: read some other way.
    stamp: str | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def path(self) -> Path:
        return self.folder / RECORD_FILE

    @functools.cached_property
    def draft(self) -> bool:
        """拟推荐 or 已撤销 as written: not published, so its problems are only warnings."""
        return raw_status(self.doc) in ("proposed", "withdrawn")

    @functools.cached_property
    def placeholders(self) -> list[tuple[Loc, str, int | None]]:
        """Scaffold prompts left in the record's fields (``text.placeholders``)."""
        return placeholders(self.doc)

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        """What the record's folder holds (its photos), sorted: listed once a build, and
        never kept by the record cache, since photos come and go without index.md changing."""
        try:
            return tuple(sorted(os.listdir(self.folder)))
        except OSError:
            return ()

    # The parsed YAML (its data and the line of every key) is only needed for a message
    # about this record, yet was a third of the time of loading the record cache: it is
    # pickled on its own and read back the first time it is asked for.
    # The story, as written and as rendered, goes into the pickle as bytes (``_PACKING``):
    # pickling a str keeps a UTF-8 copy inside the string for as long as it lives, which
    # after saving the cache of 10,000 records was 110 MiB more for the rest of the build.
    # The folder goes in as text and ``path`` not at all: a pickled Path is rebuilt from
    # its parts one by one (5 µs); unpickling an archive's records took an eighth longer.
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("names", None)
        state.pop("path", None)
        state["folder"] = str(self.folder)
        state["stamp"] = None  # set again by the cache that hands it out
        if "doc" in state:
            state[_PACKED_DOC] = pickle.dumps(state.pop("doc"), pickle.HIGHEST_PROTOCOL)
        for key in _STORY_TEXTS:
            if isinstance(state.get(key), str):
                state[key] = state[key].encode(_PACKING, "surrogatepass")
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key in _STORY_TEXTS:
            if isinstance(state.get(key), bytes):
                state[key] = state[key].decode(_PACKING, "surrogatepass")
        if isinstance(state.get("folder"), str):
            state["folder"] = _record_folder(state["folder"])
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:
        # Only called for what is not set: ``doc`` of a record read from the cache.
        packed = self.__dict__.get(_PACKED_DOC) if name == "doc" else None
        if packed is None:
            raise AttributeError(name)
        self.doc = pickle.loads(packed)
        del self.__dict__[_PACKED_DOC]
        return self.doc

    @property
    def is_public(self) -> bool:
        """已审定 and valid: its profile is published."""
        return self.record.status == "approved" and not self.at_fault

    @functools.cached_property
    def story_html(self) -> str:
        """The story rendered and sanitised, once per build (checks and pages both use it)."""
        return render_story(self.story)

    @functools.cached_property
    def story_text(self) -> str:
        """The story as plain text, for search data and descriptions."""
        return plain_text(self.story_html)

    @functools.cached_property
    def normal_values(self) -> tuple[dict[str, str], frozenset[str]]:
        """Normal forms (``normalise``) of the record's private text values (→ field
        label) and of its other text values: what the site's privacy detector is made
        of, computed once and kept by the record cache."""
        private: dict[str, str] = {}
        public: set[str] = set()
        for key, value in self.record:
            if isinstance(value, str):
                if key in PRIVATE_FIELDS:
                    private.setdefault(normalise(value).strip(), RECORD_LABELS[key])
                else:
                    public.add(normalise(value).strip())
        return private, frozenset(public)

    @functools.cached_property
    def private_sources(self) -> dict[str, str]:
        """Each private value of ``normal_values`` → where it comes from, as the privacy
        messages name it ("li-ming/index.md 联系方式"); kept by the record cache, so the
        site's private values are gathered dictionary by dictionary."""
        where = f"{self.folder.name}/{RECORD_FILE}"
        return {norm: f"{where} {label}" for norm, label in self.normal_values[0].items()}

    def field_line(self, key: str) -> int | None:
        """The line of a record field, whichever accepted key (name or label) was written."""
        return key_line(self.doc, Record, key)


def _record_folder(folder: str) -> Path:
    """A record's folder from its text, joined to its honorees/ folder made once: a Path
    of a whole path parses every part, a join only the last."""
    parent, _, name = folder.rpartition(os.sep)
    return _honorees_folder(parent) / name if parent else Path(folder)


@functools.lru_cache(maxsize=64)
def _honorees_folder(folder: str) -> Path:
    return Path(folder)


@dataclass
class Campaign:
    id: str
    folder: Path
    config: CampaignConfig
    doc: YamlDoc
    honorees: list[HonoreeSource] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.folder / CAMPAIGN_FILE

    @property
    def public_honorees(self) -> list[HonoreeSource]:
        """The honourees whose profiles are published (``is_public``)."""
        return [h for h in self.honorees if h.is_public]


def honoree_order(h: HonoreeSource) -> tuple[int, str]:
    """Cards, the notice list and the summary table: by 序号, then by slug (pinyin)."""
    return (h.record.seq if h.record.seq is not None else 1_000_000, h.slug)


@dataclass
class Site:
    root: Path
    config: SiteConfig
    campaigns: list[Campaign]
    doc: YamlDoc = field(default_factory=lambda: YamlDoc(data=None))  # site.yaml, for lines
