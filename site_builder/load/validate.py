"""Turning parsed YAML into models, with every problem reported in Chinese with its line.

Two steps:

1. ``_Canon`` renames the Chinese labels the officer wrote (姓名) to the
   declared keys (name), walking nested models; unknown keys become problems with a
   "did you mean" suggestion, and are dropped so pydantic does not report them twice.
2. pydantic validates; each of its errors is translated (``explain``) and placed on
   the line of the key it concerns.
"""

from __future__ import annotations

import difflib
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Discriminator, Tag, ValidationError

from ..errors import FieldError, Problems
from ..model.fields import aliases, fields_of
from ..model.source import Loc, YamlDoc

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], doc: YamlDoc, path: Path, problems: Problems) -> M | None:
    """Validate a parsed YAML document as ``model``; None (with problems added) if invalid."""
    return validate_with_stand_ins(model, doc, path, problems, None)[0]


def validate_with_stand_ins(
    model: type[M],
    doc: YamlDoc,
    path: Path,
    problems: Problems,
    stand_ins: Mapping[str, object] | None,
) -> tuple[M | None, frozenset[str]]:
    """Validate, and when the document is invalid, salvage what can still be checked.

    Returns (model, the top-level fields at fault). Without ``stand_ins`` an invalid
    document gives None. With them, the fields at fault are dropped (or replaced by their
    stand-in when required) and the rest validated again, so the checks after this one
    still see every other field; problems found on the way that concern fields not yet
    at fault are real (a field needed by another) and are reported too.
    """
    for line, key, message, fix in doc.problems:
        problems.add(path, line, key, message, fix)
    if doc.problems:
        return None, frozenset()
    canon = _Canon(doc, path, problems)
    data = canon.model(model, doc.data, (), ())
    lines, misspelt = canon.lines, canon.misspelt
    if data is None:
        return None, frozenset()
    at_fault: set[str] = set()
    for _ in range(4):  # each round can only add fields at fault; a few rounds settle it
        attempt = {k: v for k, v in data.items() if k not in at_fault}
        attempt.update({k: v for k, v in (stand_ins or {}).items() if k in at_fault})
        try:
            return model.model_validate(attempt), frozenset(at_fault)
        except ValidationError as exc:
            found = _report(exc, model, doc, lines, misspelt, path, problems, at_fault)
        if stand_ins is None or not found:
            break
        at_fault |= found
    return None, frozenset(at_fault)


def _report(
    exc: ValidationError,
    model: type[BaseModel],
    doc: YamlDoc,
    lines: dict[Loc, int],
    misspelt: set[Loc],
    path: Path,
    problems: Problems,
    at_fault: set[str],
) -> set[str]:
    """Add pydantic's errors as problems (except those about fields already at fault);
    returns the top-level fields the errors are about."""
    found: set[str] = set()
    for err in exc.errors():
        loc: Loc = tuple(err["loc"])
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, FieldError) and ctx_error.field:
            loc = (*loc, ctx_error.field)
        plain, _ = resolve(model, loc)
        key = str(plain[0]) if plain else ""
        found.add(key)
        if key in at_fault or (err["type"] == "missing" and plain in misspelt):
            continue  # a stand-in's echo, or already reported as the misspelt key (姓命 → 姓名)
        message, fix = explain(err, model, loc)
        problems.add(path, _line(lines, doc, plain), label_for(model, loc), message, fix)
    return found


def _line(lines: dict[Loc, int], doc: YamlDoc, loc: Loc) -> int | None:
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return doc.lines.get(()) or None


def closest(model: type[BaseModel], key: str) -> str | None:
    close = difflib.get_close_matches(key, list(aliases(model)), n=1, cutoff=0.5)
    return close[0] if close else None


def suggestion(model: type[BaseModel], key: str) -> str:
    close = closest(model, key)
    if close:
        return f"您是否想写“{close}”？"
    shown = "、".join(labels[0] if labels else k for k, labels, *_ in fields_of(model))
    return f"可用的字段有：{shown}"


@dataclass
class _Canon:
    """Renames keys to declared names across one document, recursing into nested models.

    Unknown keys are reported; ``lines`` collects each declared location's line, and
    ``misspelt`` the locations whose key was a near miss (pydantic's "missing" there
    would only repeat the unknown-key problem).
    """

    doc: YamlDoc
    path: Path
    problems: Problems
    lines: dict[Loc, int] = dataclass_field(default_factory=dict)
    misspelt: set[Loc] = dataclass_field(default_factory=set)

    def model(self, model: type[BaseModel], data: Any, raw_loc: Loc, loc: Loc) -> Any:
        """``data`` with its keys renamed as ``model`` declares them."""
        if data is None:
            data = {}
        if not isinstance(data, dict):
            if loc == ():
                self.problems.add(
                    self.path, self.doc.line_of(raw_loc), "", "内容应为若干行“字段: 值”",
                    "请参照示例文件的写法",
                )  # fmt: skip
                return None
            return data  # a plain value where a model is expected: its own validator decides
        known = aliases(model)
        out: dict[str, Any] = {}
        for raw_key, value in data.items():
            line = self.doc.lines.get((*raw_loc, raw_key))
            name = known.get(raw_key)
            if name is None:
                self.problems.add(
                    self.path, line, raw_key, f"未知字段“{raw_key}”", suggestion(model, raw_key)
                )
                close = closest(model, raw_key)
                if close is not None:
                    self.misspelt.add((*loc, known[close]))
                continue
            if name in out:
                self.problems.add(
                    self.path, line, raw_key, "与前面的同义字段重复",
                    "同一信息只写一次，请删除其中一行",
                )  # fmt: skip
                continue
            if line is not None:
                self.lines[(*loc, name)] = line
            out[name] = self._nested(model, name, value, (*raw_loc, raw_key), (*loc, name))
        return out

    def _nested(self, model: type[BaseModel], name: str, value: Any, raw_loc: Loc, loc: Loc) -> Any:
        nested = _nested_in(model, name)
        if nested is None:
            return value
        if nested.container == "list" and isinstance(value, list):
            result = []
            for i, item in enumerate(value):
                if (*raw_loc, i) in self.doc.lines:
                    self.lines[(*loc, i)] = self.doc.lines[(*raw_loc, i)]
                result.append(self._item(nested, item, (*raw_loc, i), (*loc, i)))
            return result
        if nested.container == "dict" and isinstance(value, dict):
            return {k: self._item(nested, v, (*raw_loc, k), (*loc, k)) for k, v in value.items()}
        return self._item(nested, value, raw_loc, loc)

    def _item(self, nested: _Nested, value: Any, raw_loc: Loc, loc: Loc) -> Any:
        """One nested value renamed as its model declares; for a tagged union, as the member
        its tag chooses (as written: an unknown tag is pydantic's to report)."""
        if not isinstance(value, dict):
            return value
        if nested.members is None:
            return self.model(nested.inner, value, raw_loc, loc)
        model = nested.members.get(str(nested.tag_of(value)))
        return value if model is None else self.model(model, value, raw_loc, loc)


@dataclass(frozen=True)
class _Nested:
    """What a field holds of models: the model (or tagged union), in a list or dict or
    neither (""), and a union's members by tag and the function that reads the tag."""

    inner: Any
    container: str
    members: dict[str, type[BaseModel]] | None
    tag_of: Any


@functools.lru_cache(maxsize=512)
def _nested_in(model: type[BaseModel], name: str) -> _Nested | None:
    """``_model_in`` of a field, worked out once per model and field: it walked the field's
    type for every key of every record (a fifth of parsing one)."""
    inner, container = _model_in(model.model_fields[name].annotation)
    if inner is None:
        return None
    members = _tagged(inner)
    return _Nested(inner, container, members, _discriminator(inner) if members else None)


def _model_in(annotation: Any) -> tuple[Any, str]:
    """The model type inside an annotation (or a tagged union of models, as itself), and
    whether it sits in a list or dict."""
    if _tagged(annotation) is not None:
        return annotation, ""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list and args:
        inner, _ = _model_in(args[0])
        return inner, "list"
    if origin is dict and len(args) == 2:
        inner, _ = _model_in(args[1])
        return inner, "dict"
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for arg in args:
            inner, container = _model_in(arg)
            if inner is not None:
                return inner, container
    return None, ""


def _tagged(annotation: Any) -> dict[str, type[BaseModel]] | None:
    """A tagged union's models by tag (pydantic's ``Discriminator`` with ``Tag``s), or None."""
    if typing.get_origin(annotation) is not typing.Annotated:
        return None
    base, *meta = typing.get_args(annotation)
    if not any(isinstance(m, Discriminator) for m in meta):
        return None
    members: dict[str, type[BaseModel]] = {}
    for member in typing.get_args(base):
        model, *tags = typing.get_args(member) or (member,)
        members.update((tag.tag, model) for tag in tags if isinstance(tag, Tag))
    return members


def _discriminator(annotation: Any) -> Any:
    disc = next(m for m in typing.get_args(annotation)[1:] if isinstance(m, Discriminator))
    return disc.discriminator


def resolve(model: type[BaseModel], loc: Loc) -> tuple[Loc, list[str]]:
    """A pydantic error's loc as the document's keys (a tagged union's tag taken out) and as
    Chinese labels: ("deploy", 0, "folder", "prefix") → ("deploy", 0, "prefix"), 发布 第1项 路径."""
    plain: list[str | int] = []
    parts: list[str] = []
    current: Any = model
    for element in loc:
        members = _tagged(current)
        if members is not None and element in members:
            current = members[str(element)]
            continue
        plain.append(element)
        if isinstance(element, int):
            parts.append(f"第{element + 1}项")
            continue
        if not (
            isinstance(current, type)
            and issubclass(current, BaseModel)
            and element in current.model_fields
        ):
            continue
        labels = next(lbl for key, lbl, *_ in fields_of(current) if key == element)
        parts.append(labels[0] if labels else element)
        current, _ = _model_in(current.model_fields[element].annotation)
    return tuple(plain), parts


def label_for(model: type[BaseModel], loc: Loc) -> str:
    """Chinese label path for a loc: ("honours", 1, "title") → 获得荣誉 第2项 名称."""
    return " ".join(resolve(model, loc)[1])


def _value(err: Any) -> str:
    value = err.get("input")
    if isinstance(value, (dict, list)) or value is None:
        return ""
    return str(value)


def explain(err: Any, model: type[BaseModel], loc: Loc) -> tuple[str, str]:
    """(问题, 怎么改) for one pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = _value(err)
    if isinstance(ctx.get("error"), FieldError):
        error: FieldError = ctx["error"]
        return error.message, error.fix
    label = label_for(model, loc) or "该项"
    if kind == "missing":
        return "缺少必填项", f"请添加一行“{label.split()[-1]}: …”"
    if kind == "literal_error" and value == "":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", "、")
        return "没有填写", f"请填写以下之一：{expected.replace(', ', '、')}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", "、")
        expected = expected.replace(", ", "、")
        return f"取值“{value}”不在允许范围", f"请改为以下之一：{expected}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"“{value}”不是整数", "请只写阿拉伯数字，例如 4"
    if kind in ("bool_parsing", "bool_type"):
        return f"“{value}”无法理解为是或否", "请写“是”或“否”"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"日期“{value}”无法识别", "请写成 2024-03-28 这样的格式"
    if kind in ("string_type",):
        return "应为一段文字", "请直接写文字；含冒号等符号时请加引号"
    if kind == "list_type":
        return "应为列表", "每项单独一行，以“- ”开头"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "格式不对", "这里应写若干行“字段: 值”，请参照示例文件"
    if kind == "extra_forbidden":
        return f"未知字段“{loc[-1]}”", "请删除或改正"
    if kind == "value_error":
        return str(err.get("msg", "")).removeprefix("Value error, "), ""
    if kind == "choice":  # a tagged union whose tag is missing or unknown: "问题；怎么改"
        message, _, fix = str(err.get("msg", "")).partition("；")
        return message, fix
    return f"格式不正确（{err.get('msg', kind)}）", "请参照示例文件修改"
