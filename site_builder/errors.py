"""Problems found in content, and the small exception hierarchy of the build.

    SiteBuilderError        everything the CLI reports as a message, never as a traceback
     ├── ContentError       bad content: a list of Problems, reported together (exit 1)
     ├── UsageError         a bad command line or a missing folder (exit 2)
     ├── DeployError        a deploy that cannot go on: names the target and what to check (exit 1)
     └── FixableError       one problem found by a pure function: 问题 and 怎么改; the
          │                 caller knows the file and line and turns it into a Problem
          ├── FieldError    raised inside model validators (also a ValueError, for pydantic)
          ├── TextFileError a file that cannot be read as text, with the line at fault
          ├── PhotoError    a photo that cannot be published
          └── UnknownYear   a year whose holidays neither chinesecalendar nor the campaign knows

A ``Problem`` is one line for the officer, in Simplified Chinese::

    content/demo/honorees/li-ming/index.md:3: 姓名 — 未知字段“姓命” — 您是否想写“姓名”？

Every stage appends to a ``Problems`` collector instead of raising, so one run
reports everything that is wrong; the build stops once, after the stage that found
errors.
"""

from __future__ import annotations

import dataclasses
import errno
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding: where, which field, what is wrong and how to fix it."""

    path: str
    line: int | None
    field: str
    message: str
    fix: str
    severity: Severity = "error"
    # The records' folders a finding about several of them concerns (a campaign rule a
    # unit breaks with three people): their own pages show it too.
    concerns: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        parts = [p for p in (self.field, self.message, self.fix) if p]
        prefix = "" if self.severity == "error" else "警告："
        return f"{where}: {prefix}{' — '.join(parts)}"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.field, self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
            "severity": self.severity,
        }


@dataclass
class Problems:
    """Collects problems across files; ``display_root`` shortens paths in messages."""

    display_root: Path | None = None
    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: Path | str,
        line: int | None,
        field_label: str,
        message: str,
        fix: str = "",
        severity: Severity = "error",
        concerns: Iterable[Path] = (),
    ) -> None:
        shown = tuple(self.show(c) for c in concerns)
        problem = Problem(self.show(path), line, field_label, message, fix, severity, shown)
        self.items.append(self._adopt(problem))

    def warn(
        self,
        path: Path | str,
        line: int | None,
        field_label: str,
        message: str,
        fix: str = "",
        concerns: Iterable[Path] = (),
    ) -> None:
        self.add(path, line, field_label, message, fix, "warning", concerns)

    def show(self, path: Path | str) -> str:
        p = Path(path)
        if self.display_root is not None:
            try:
                return p.resolve().relative_to(self.display_root.resolve()).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    def merge(self, other: Problems) -> None:
        """Take over the problems collected by another collector."""
        for p in other.items:
            self.items.append(self._adopt(p))

    def _adopt(self, problem: Problem) -> Problem:
        return problem

    def as_warnings(self) -> Problems:
        """A view whose errors are recorded as warnings (for records that are not published)."""
        return _Warnings(self.display_root, self.items)

    @property
    def errors(self) -> list[Problem]:
        return sorted({p for p in self.items if p.severity == "error"}, key=Problem.sort_key)

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self.items if p.severity == "warning"}, key=Problem.sort_key)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(set(self.items), key=Problem.sort_key))

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors, self.warnings)


class _Warnings(Problems):
    """Records every error as a warning: the record it concerns is not published."""

    def _adopt(self, problem: Problem) -> Problem:
        if problem.severity == "warning":
            return problem
        return dataclasses.replace(
            problem, message=problem.message + DRAFT_NOTE, severity="warning"
        )


DRAFT_NOTE = "（该人选未审定，暂不发布）"


class SiteBuilderError(Exception):
    """Base of every error the CLI turns into a message instead of a traceback."""


class ContentError(SiteBuilderError):
    """The content has problems; all of them are listed."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        self.warnings = warnings or []


class UsageError(SiteBuilderError):
    """The command was called wrongly (missing folder, unknown campaign …)."""


class DeployError(SiteBuilderError):
    """A deploy that cannot go on: the message names the target and what to check."""


class FixableError(SiteBuilderError):
    """One problem with its fix, in Chinese; the caller adds the file and line.

    Crosses from worker processes intact (the photo pipeline raises it in a pool).
    """

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __reduce__(self) -> tuple[object, ...]:
        return (_restore, (type(self), dict(self.__dict__)))


def _restore(cls: type[FixableError], state: dict[str, object]) -> FixableError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class FieldError(FixableError, ValueError):
    """Raised inside model validators; ``field`` names the field a model-level check is about."""

    def __init__(self, message: str, fix: str = "", field: str | None = None) -> None:
        super().__init__(message, fix)
        self.field = field


class TextFileError(FixableError):
    """A file that cannot be read as content (encoding, size, front matter)."""

    def __init__(self, message: str, fix: str, line: int | None = None) -> None:
        super().__init__(message, fix)
        self.line = line


class PhotoError(FixableError):
    """A photo that cannot be published."""


class UnknownYear(FixableError):
    """A year the calendar cannot count working days in."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"{year} 年的放假和调休安排还没有收录",
            f"请按国务院办公厅发布的 {year} 年部分节假日安排，在 campaign.yaml 里添加："
            f"“日历: {{{year}: {{放假: [{year}-01-01, …], 调休上班: […]}}}}”",
        )
        self.year = year


# What the officer can do about a file system that refuses a write.
_DISK = {
    errno.ENOSPC: ("磁盘已满", "请清理磁盘空间（删除不用的文件、清空回收站）后重新运行"),
    errno.EDQUOT: ("磁盘配额已用完", "请清理这个账号的文件，或请管理员增加配额，再重新运行"),
    errno.EROFS: ("所在的磁盘是只读的", "请用 --output 换到可以写入的文件夹，或取消只读后重新运行"),
    errno.EACCES: (
        "没有读写权限",
        "请检查这个文件夹的权限（或是否被别的程序占用），或用 --output 换一个位置",
    ),
    errno.EPERM: ("没有读写权限", "请检查这个文件夹的权限，或用 --output 换一个位置"),
}


def disk_problem(exc: BaseException) -> str | None:
    """A file system's refusal (full, read-only, no permission) as a message naming the
    place and what to do; None for any other error."""
    if not isinstance(exc, OSError) or exc.errno not in _DISK:
        return None
    why, fix = _DISK[exc.errno]
    where = f"“{exc.filename}”" if exc.filename else "文件"
    return f"无法写入{where}：{why}。{fix}"
