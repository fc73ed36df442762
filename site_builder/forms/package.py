"""A .xlsx or .docx from outside, looked at before any library parses it.

Office files are zip packages of XML. A county union's file may be truncated, not a zip
at all, or missing its main part; a hostile one may be a zip bomb (a few MB that inflate
to gigabytes), carry an XML entity bomb or an external entity, or hide a picture of
billions of pixels. ``check_package`` refuses each of these with a message in Chinese
before openpyxl or python-docx sees the file, and ``opened`` turns whatever those
libraries still raise on a malformed part into the same message: the import says which
file it could not read and goes on with the others.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MAX_PART_BYTES = 30_000_000  # one part, inflated: a 1,000-row sheet is under 1 MB
MAX_PACKAGE_BYTES = 80_000_000  # every part, inflated
MAX_PARTS = 2_000
KINDS = {
    ".xlsx": ("Excel", "xl/workbook.xml", "请用 Excel 或 WPS 打开后“另存为”.xlsx，再导入"),
    ".docx": ("Word", "word/document.xml", "请用 Word 或 WPS 打开后“另存为”.docx，再导入"),
}


class PackageError(Exception):
    """Why a package cannot be read, in Chinese, with what to do."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason, self.fix = reason, fix

    def __str__(self) -> str:
        return f"{self.reason}。{self.fix}"


def _invalid(path: Path, why: str) -> PackageError:
    name, _, fix = KINDS[path.suffix.lower()]
    return PackageError(f"这个文件不是有效的 {name} 文件（{why}）", fix)


def check_package(path: Path) -> None:
    """Raise PackageError unless ``path`` is a whole Office package of sane size."""
    _, main, _ = KINDS[path.suffix.lower()]
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if len(infos) > MAX_PARTS:
                raise _invalid(path, f"包含 {len(infos)} 个部件，过多")
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or main not in names:
                raise _invalid(path, "缺少必需的部件，文件可能不完整")
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > MAX_PART_BYTES or total > MAX_PACKAGE_BYTES:
                    raise PackageError(
                        "文件解压后过大（可能是损坏的文件或“压缩炸弹”），没有读取",
                        "推荐汇总表和推荐表通常只有几百 KB；请检查文件来源，重新导出后再导入",
                    )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with package.open(info) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise _invalid(
                            path, "含有 Office 文件不会有的 XML 实体声明，可能是恶意文件"
                        )
            bad = package.testzip()
            if bad is not None:
                raise _invalid(path, f"部件“{bad}”已损坏")
    except zipfile.BadZipFile:
        raise _invalid(path, "不是完整的压缩包，可能没有下载完或已损坏") from None
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise _invalid(path, f"无法解压：{type(exc).__name__}") from None


def opened(path: Path, open_it: Callable[[Path], T]) -> T:
    """``open_it(path)`` after ``check_package``; a library's error on a malformed part is
    a PackageError too."""
    check_package(path)
    with _library_errors(path):
        return open_it(path)


@contextmanager
def _library_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except PackageError:
        raise
    except Exception as exc:  # lxml, openpyxl, python-docx: each has its own for bad XML
        raise _invalid(path, f"内容无法解析：{type(exc).__name__}") from None


FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can say


def deterministic(package: bytes, modified: bytes | None = None) -> bytes:
    """An Office package we wrote, with fixed entry times and modes (and, given
    ``modified``, that time in docProps/core.xml, which openpyxl stamps on saving): the
    same content gives the same bytes, so a rebuild or a re-export shows no change."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            data = source.read(info.filename)
            if modified is not None and info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + modified + rb"\g<2>",
                    data,
                )
            target.writestr(entry, data)
    return out.getvalue()
