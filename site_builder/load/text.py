"""Reading the officer's text files: encoding, front matter and YAML with line numbers.

Pure functions take text and return data plus a map from key path to line number,
so every later message can point at a line. The YAML is read with PyYAML's
composer and turned into Python by our own walk, because the defaults are wrong
for this content:

* duplicate keys are errors (PyYAML silently keeps the last one);
* anchors and aliases are refused (no officer writes them; "billion laughs" needs them);
* numbers stay as the text the officer typed: ``出生年月: 1990.10`` must not become
  the float 1990.1 (January), and ``邮编: 044000`` must not become an octal int.
  Pydantic turns text into numbers where a field really is a number.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import TextFileError
from ..model.fields import join_cjk_spaces
from ..model.source import Loc, YamlDoc

MAX_FILE_BYTES = 1_000_000
# libyaml's composer is ~15× faster; it gives the same nodes and marks.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def decode(raw: bytes) -> str:
    """Bytes of a content file to text: UTF-8 (BOM allowed), CRLF folded to LF."""
    if len(raw) > MAX_FILE_BYTES:
        raise TextFileError(
            f"文件过大（{len(raw) // 1024} KB）",
            f"内容文件不应超过 {MAX_FILE_BYTES // 1000} KB；请检查是否误把图片或表格粘贴进来",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            pass
        raise TextFileError(
            f"文件不是 UTF-8 编码{guess}",
            "请用记事本或 WPS 打开，选择“另存为”，编码选 UTF-8 后保存",
            line,
        ) from None
    if "\x00" in text:
        raise TextFileError("文件含有二进制内容", "请确认这是文本文件，而不是图片或 Word 文档")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> str:
    return decode(path.read_bytes())


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _front_matter(text: str) -> re.Match[str]:
    m = _FRONT_MATTER.match(text)
    if not m:
        raise TextFileError(
            "文件开头缺少用 --- 包围的基本信息（front matter）",
            "第一行写 ---，接着写“姓名: …”等字段，再用一行 --- 结束，之后是事迹正文",
            1,
        )
    return m


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split ``---``-fenced YAML from the Markdown body (closed by ``---`` or ``...``).

    Returns (yaml_text, body, body_first_line). The YAML's own line 1 is line 2 of
    the file, which ``parse_yaml(..., first_line=2)`` accounts for.
    """
    m = _front_matter(text)
    yaml_text = m.group(1) or ""
    body = text[m.end() :]
    body_first_line = text[: m.end()].count("\n") + 1
    return yaml_text, body, body_first_line


def with_body(text: str, body: str) -> str:
    """A record file with its Markdown body replaced: the front matter and both fences stay
    exactly as written, whichever closing fence (``---`` or ``...``) it has."""
    head = text[: _front_matter(text).end()]
    return (head if head.endswith("\n") else head + "\n") + body


def parse_yaml(text: str, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document into plain data with line numbers; never raises on content."""
    doc = YamlDoc(data=None)
    offset = first_line - 1
    tab_line = _leading_tab_line(text)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or ""
        if exc.context_mark is not None and (
            "expected ','" in problem
            or "end of stream" in problem
            or "end of the stream" in problem
            or "could not find expected ':'" in problem
        ):
            # an unclosed bracket or quote: where it opened; a key without its colon: the
            # key's own line (PyYAML notices only on the next one)
            mark = exc.context_mark
        line = mark.line + 1 + offset if mark else None
        hint = _fullwidth(text, mark.line if mark else None)
        if hint is not None:
            at, message, fix = hint
            doc.problems.append((at + 1 + offset, "", message, fix))
        elif tab_line is not None:
            doc.problems.append(
                (
                    tab_line + offset,
                    "",
                    "行首使用了 Tab 制表符",
                    "YAML 只能用空格缩进，请把 Tab 换成两个空格",
                )
            )
        else:
            doc.problems.append((line, "", f"YAML 格式错误：{_explain(exc)}", _yaml_fix(exc)))
        return doc
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        doc.problems.append((None, "", f"YAML 格式错误：{exc}", "请检查冒号、缩进和引号"))
        return doc
    if node is None:
        doc.data = {}
        return doc
    walker = _Walker(doc, offset)
    doc.data = walker.value(node, ())
    return doc


# Full-width punctuation the Chinese input method types where YAML needs ASCII.
FULLWIDTH = {
    "：": (":", "冒号"),
    "，": (",", "逗号"),
    "［": ("[", "方括号"),
    "］": ("]", "方括号"),
    "【": ("[", "方括号"),
    "】": ("]", "方括号"),
    "｛": ("{", "花括号"),
    "｝": ("}", "花括号"),
    "“": ('"', "引号"),
    "”": ('"', "引号"),
    "‘": ("'", "引号"),
    "’": ("'", "引号"),
}
_KEY_WITH_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[^\s:#\-\[{][^:]*?：")
# Each check below reads a line once: a long line (100 KB of "[") must not take time
# that grows with its square, as a backtracking ".*" between two brackets would.
_AFTER_COLON = re.compile(r":\s*(.)")
_AFTER_DASH = re.compile(r"\s*-\s*(.)")


def _value_starts_with(line: str, chars: str) -> bool:
    """Whether a value (after "key:" before any comment, or after "- ") starts with one of
    ``chars``."""
    head = line.split("#", 1)[0]
    dash = _AFTER_DASH.match(head)
    if dash is not None and dash.group(1) in chars:
        return True
    return any(m.group(1) in chars for m in _AFTER_COLON.finditer(head))


def _flow_with_fullwidth(line: str) -> bool:
    """A flow list or map (``[a，b]``) closed or separated with full-width punctuation."""
    opened = min((i for i in (line.find("["), line.find("{")) if i >= 0), default=-1)
    if opened >= 0 and any(ch in "，］】｝" for ch in line[opened + 1 :]):
        return True
    return _value_starts_with(line, "［【｛")


def _fullwidth(text: str, error_line: int | None) -> tuple[int, str, str] | None:
    """The line (0-based) near a YAML error where full-width punctuation stands in for
    YAML's own, with the message and fix; None if there is none.

    A key typed as ``民族：汉族`` makes PyYAML complain at the *next* line, so the lines
    just before the error are searched too, nearest first.
    """
    if error_line is None:
        return None
    lines = text.split("\n")
    for i in range(min(error_line, len(lines) - 1), max(error_line - 4, -1), -1):
        line = lines[i]
        if _KEY_WITH_FULLWIDTH_COLON.match(line):
            found = "："
        elif _flow_with_fullwidth(line):
            found = next(ch for ch in line if ch in "，［］【】｛｝")
        elif _value_starts_with(line, "“‘"):
            found = next(ch for ch in line if ch in "“‘")
        else:
            continue
        ascii_char, name = FULLWIDTH[found]
        if name == "引号":
            message = f"这一行用了中文引号（{found}），YAML 需要英文半角的引号"
            fix = f"把中文引号换成英文引号（{ascii_char}），或去掉引号"
        else:
            message = f"这一行用了中文{name}“{found}”，YAML 需要英文半角的{name}"
            wanted = "“: ”（英文冒号加一个空格）" if found == "：" else f"“{ascii_char}”"
            fix = f"把“{found}”改成{wanted}"
        return i, message, fix + "；用中文输入法时先按 Shift 切换到英文再输入标点"
    return None


def _leading_tab_line(text: str) -> int | None:
    for i, line in enumerate(text.split("\n"), start=1):
        if line.startswith("\t") or re.match(r"^ +\t", line):
            return i
    return None


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "mapping values are not allowed" in problem:
        return "这一行的冒号位置不对（可能缺少空格，或上一行的引号没有闭合）"
    if "could not find expected ':'" in problem:
        return "缺少冒号“:”"
    if "found character '\\t'" in problem:
        return "出现了 Tab 制表符"
    if "found unexpected end of stream" in problem or "found unexpected end" in problem:
        return "引号或括号没有闭合"
    if "expected ',' or ']'" in problem:
        return "方括号 [ ] 没有闭合"
    if "expected ',' or '}'" in problem:
        return "花括号 { } 没有闭合"
    if "did not find expected key" in problem:
        return "缩进不一致，或上一行的引号没有闭合"
    if "expected <block end>" in problem:
        return "缩进不一致"
    return problem or str(exc)


def _yaml_fix(exc: yaml.MarkedYAMLError) -> str:
    return (
        "每个字段写成“字段名: 值”（英文冒号后加一个空格），同级字段缩进相同；值里有冒号时请加引号"
    )


class _Walker:
    """Node graph → plain Python, refusing aliases and duplicate keys."""

    MAX_NODES = 100_000

    def __init__(self, doc: YamlDoc, offset: int) -> None:
        self.doc = doc
        self.offset = offset
        self.seen: set[int] = set()
        self.constructor = yaml.SafeLoader("")
        self.count = 0

    def line(self, node: Node) -> int:
        return int(node.start_mark.line) + 1 + self.offset

    def value(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if id(node) in self.seen or self.count > self.MAX_NODES:
            self.doc.problems.append(
                (
                    self.line(node),
                    "",
                    "不支持 YAML 锚点和别名（& 与 *）",
                    "请把内容直接写出来，不要引用别处",
                )
            )
            return None
        self.seen.add(id(node))
        if isinstance(node, MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, SequenceNode):
            out = []
            for i, item in enumerate(node.value):
                self.doc.lines.setdefault((*loc, i), self.line(item))
                out.append(self.value(item, (*loc, i)))
            return out
        assert isinstance(node, ScalarNode)
        return self.scalar(node)

    def mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.doc.problems.append(
                    (self.line(key_node), "", "不支持 YAML 合并键（<<）", "请把字段逐一写出")
                )
                continue
            key = self.scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if key is None or isinstance(key, (list, dict)):
                self.doc.problems.append(
                    (self.line(key_node), "", "字段名无效", "字段名应为一段文字，例如“姓名”")
                )
                continue
            key = str(key).strip()
            if key in out:
                first = self.doc.lines.get((*loc, key))
                where = f"（第 {first} 行已写过）" if first else ""
                self.doc.problems.append(
                    (
                        self.line(key_node),
                        key,
                        f"字段重复出现{where}",
                        "同一字段只能写一次，请删除多余的一行",
                    )
                )
                continue
            self.doc.lines[(*loc, key)] = self.line(key_node)
            out[key] = self.value(value_node, (*loc, key))
        return out

    def scalar(self, node: ScalarNode) -> Any:
        if node.style != "|" and node.end_mark.line > node.start_mark.line:
            # YAML folds the line breaks of a multi-line scalar into spaces, which Chinese
            # text does not have between characters (活动。 经各单位).
            return join_cjk_spaces(node.value)
        if node.style:  # quoted or block scalars are always text (plain is None or "")
            return node.value
        if node.tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"):
            try:
                return self.constructor.construct_object(node)
            except (yaml.YAMLError, ValueError):
                return node.value
        return node.value
