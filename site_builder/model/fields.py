"""How every option and record field is declared: once, with its Chinese labels, a
one-line description and a privacy class, and the maps derived from those declarations.

The Chinese labels are accepted as keys in the officer's files (the first one is
shown in messages); ``aliases`` and ``labels_of`` are the only places the label
maps are built, so the record, the configs, the notice columns and the export all
read the same declaration.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ..errors import FieldError

Privacy = Literal["public", "notice", "private"]
# Every prompt the scaffolds write begins with one of these (forms/scaffold.py).
PLACEHOLDER = re.compile(r"^\s*(?:请填写|请用|请描述|请在此|这里写)")


def field(
    labels: str | tuple[str, ...],
    description: str,
    privacy: Privacy = "public",
    default: Any = None,
) -> Any:
    """A model field with its Chinese labels and privacy class."""
    names = (labels,) if isinstance(labels, str) else labels
    extra: dict[str, Any] = {"labels": list(names), "privacy": privacy}
    if default is ...:
        return Field(description=description, json_schema_extra=extra)
    return Field(default=default, description=description, json_schema_extra=extra)


class Declared(NamedTuple):
    """One declared field, as the docs, messages and label maps see it."""

    key: str
    labels: list[str]
    privacy: str
    description: str
    required: bool

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else self.key


@functools.lru_cache(maxsize=64)
def fields_of(model: type[BaseModel]) -> list[Declared]:
    """Every declared field of ``model``, in declaration order."""
    out = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        labels = [str(x) for x in extra.get("labels", [])]  # type: ignore[union-attr]
        privacy = str(extra.get("privacy", "public"))
        out.append(Declared(name, labels, privacy, info.description or "", info.is_required()))
    return out


@functools.lru_cache(maxsize=64)
def aliases(model: type[BaseModel]) -> dict[str, str]:
    """Every accepted key (declared name and Chinese labels) → declared name."""
    out: dict[str, str] = {}
    for declared in fields_of(model):
        out[declared.key] = declared.key
        for label in declared.labels:
            out[label] = declared.key
    return out


@functools.lru_cache(maxsize=64)
def labels_of(model: type[BaseModel]) -> dict[str, str]:
    """Declared name → the Chinese label shown to the officer."""
    return {declared.key: declared.label for declared in fields_of(model)}


def keys_by_privacy(model: type[BaseModel], privacy: Privacy) -> list[str]:
    """Declared names of one privacy class, in declaration order."""
    return [d.key for d in fields_of(model) if d.privacy == privacy]


# Han characters (all blocks), CJK and full-width punctuation: text with no spaces in it.
CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
)
_CJK_LINE_BREAK = re.compile(f"(?<=[{CJK}])[ \\t]*\\n[ \\t]*(?=[{CJK}])")
_CJK_SPACE = re.compile(f"(?<=[{CJK}]) (?=[{CJK}])")


def join_cjk_lines(text: str) -> str:
    """A line break between two Chinese characters is not a space: 活动。↵经各单位 → 活动。经各单位.
    Between Latin words it stays (it is a space there)."""
    return _CJK_LINE_BREAK.sub("", text)


def join_cjk_spaces(text: str) -> str:
    """Single spaces between two Chinese characters removed (what YAML folding left of a
    line break); spaces next to Latin words stay."""
    return _CJK_SPACE.sub("", text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BLANKS = re.compile(r"[\s\u3000]+")


def one_line(text: str) -> str:
    """Text shown on one line: pasted line breaks (Alt+Enter in Excel), tabs and runs of
    spaces become one space; control characters are dropped."""
    return _BLANKS.sub(" ", _CONTROL.sub("", text)).strip()


def paragraphs(text: str) -> str:
    """Text that may run over several lines: line breaks kept, tabs and control characters
    not, runs of blank lines folded to one."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    lines = [line.strip() for line in text.split("\n")]
    return join_cjk_lines(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip())


def _clean(value: Any, normalise: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return normalise(value) or None  # an empty cell counts as not filled in
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def text_or_none(value: Any) -> Any:
    """One line of text, trimmed; empty is None."""
    return _clean(value, one_line)


def paragraph_or_none(value: Any) -> Any:
    """Text of several lines, trimmed; empty is None."""
    return _clean(value, paragraphs)


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        v = value.strip()
        if v in ("是", "有", "已入会", "会员"):
            return True
        if v in ("否", "无", "未入会", "不是"):
            return False
    return value


def as_list(value: Any) -> Any:
    """A single value where a list is expected is a list of one."""
    if value is None:
        return []
    if isinstance(value, (str, dict)):
        return [value]
    return value


YesNo = Annotated[bool, BeforeValidator(_yes_no)]
OptYesNo = Annotated[bool | None, BeforeValidator(_yes_no)]
Text = Annotated[str, BeforeValidator(text_or_none)]  # one line on the page
OptText = Annotated[str | None, BeforeValidator(text_or_none)]
Paragraph = Annotated[str, BeforeValidator(paragraph_or_none)]  # may run over several lines
OptParagraph = Annotated[str | None, BeforeValidator(paragraph_or_none)]
OptInt = Annotated[int | None, BeforeValidator(text_or_none)]


class Strict(BaseModel):
    """Unknown keys are errors (a typo like 姓命 must not vanish); models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class FromText(Strict):
    """A model the officer may also write as plain text: ``- 示例市五一劳动奖章`` under 获得荣誉
    is that honour's title. ``text_field`` names the field the text fills."""

    text_field: ClassVar[str]

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        # "- 名称：焦作市马村区总工会" is valid YAML (one string), and the same mistake as
        # "名称：…" on a key line: a full-width colon where YAML needs ": ".
        label, colon, _ = value.partition("：")
        if colon and label.strip() in {lbl for d in fields_of(cls) for lbl in d.labels}:
            raise FieldError(
                f"“{value}”里用了中文冒号“：”，YAML 需要英文冒号",
                f"把“{label.strip()}：”改成“{label.strip()}: ”（英文冒号加一个空格），"
                "并用花括号写成一项，例如 {名称: 甲县总工会, 名额: 2}",
            )
        return {cls.text_field: value}
