"""Spreadsheets and Word files from outside: broken, malicious or crafted to inject. Each is
a message in Chinese and exit 1 (never 70), nothing bigger than it should be is read or
written, and nothing read becomes a formula or a field of the record."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from site_builder.cli import main
from site_builder.forms.package import MAX_PART_BYTES

from .conftest import Scratch, record
from .test_intake import _campaign, form_2024, summary_xlsx


def _rezip(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """``source`` with each part passed through ``change`` (None drops the part)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def _import(scratch: Scratch, monkeypatch: pytest.MonkeyPatch, *files: Path) -> int:
    monkeypatch.chdir(scratch.root)
    return main(["import", "2024-test", *map(str, files)])


BOMB = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _with_prolog(prolog: bytes) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name.endswith(("sheet1.xml", "document.xml")):
            return prolog + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
        return data

    return change


def _corrupt(kind: str) -> Callable[[Path, Path], Path]:
    """Each way a file from outside was found broken or hostile."""

    def make(good: Path, target: Path) -> Path:
        data = good.read_bytes()
        main_part = "xl/worksheets/sheet1.xml" if good.suffix == ".xlsx" else "word/document.xml"
        if kind == "truncated":
            target.write_bytes(data[: len(data) // 2])
        elif kind == "not a zip":
            target.write_bytes(b"\xd0\xcf\x11\xe0 an old .xls renamed, or anything" * 40)
        elif kind == "empty":
            target.write_bytes(b"")
        elif kind == "missing part":
            main_name = "xl/workbook.xml" if good.suffix == ".xlsx" else "word/document.xml"
            _rezip(good, target, lambda n, d: None if n == main_name else d)
        elif kind == "bad XML":
            _rezip(good, target, lambda n, d: d[: len(d) // 2] if n == main_part else d)
        elif kind == "bad content types":
            _rezip(good, target, lambda n, d: b"<Types" if n == "[Content_Types].xml" else d)
        elif kind == "bad CRC":
            _rezip(good, target, lambda n, d: d)
            raw = bytearray(target.read_bytes())
            at = raw.find(b"PK\x01\x02")  # the central directory's first entry
            raw[at + 16] ^= 0xFF  # its CRC-32
            target.write_bytes(bytes(raw))
        elif kind == "entity bomb":
            _rezip(good, target, _with_prolog(BOMB))
        elif kind == "external entity":
            _rezip(good, target, _with_prolog(EXTERNAL))
        elif kind == "sheet name with a colon":

            def rename(n: str, d: bytes) -> bytes:
                return d.replace(b'name="', b'name="a:b', 1) if n == "xl/workbook.xml" else d

            _rezip(good, target, rename)
        return target

    return make


KINDS = [
    "truncated", "not a zip", "empty", "missing part", "bad XML", "bad content types",
    "bad CRC", "entity bomb", "external entity",
]  # fmt: skip


@pytest.mark.parametrize("kind", [*KINDS, "sheet name with a colon"])
def test_a_broken_spreadsheet_is_a_message_and_exit_1(
    scratch: Scratch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    _campaign(scratch)
    good = summary_xlsx(scratch.root / "good.xlsx")
    bad = _corrupt(kind)(good, scratch.root / "坏文件.xlsx")
    code = _import(scratch, monkeypatch, bad, form_2024(scratch.root / "表.docx"))
    err = capsys.readouterr().err
    if kind == "sheet name with a colon":  # a name Excel itself would refuse, read anyway
        assert code in (0, 1) and "Traceback" not in err and "程序内部错误" not in err
        return
    assert code == 1, err
    assert ("坏文件.xlsx" in err and "这个文件不是有效的 Excel 文件" in err) or "过大" in err
    assert "Traceback" not in err and "程序内部错误" not in err


@pytest.mark.parametrize("kind", KINDS)
def test_a_broken_word_form_is_a_message_and_exit_1(
    scratch: Scratch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    _campaign(scratch)
    bad = _corrupt(kind)(form_2024(scratch.root / "good.docx"), scratch.root / "坏表.docx")
    assert _import(scratch, monkeypatch, bad) == 1
    err = capsys.readouterr().err
    assert "坏表.docx" in err and "这个文件不是有效的 Word 文件" in err
    assert "Traceback" not in err and "程序内部错误" not in err


def test_a_zip_bomb_is_refused_before_it_is_inflated(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _campaign(scratch)
    good = summary_xlsx(scratch.root / "good.xlsx")
    padding = b" " * (MAX_PART_BYTES + 1)  # compresses to a few kB

    def pad(name: str, data: bytes) -> bytes:
        return data.replace(b"<sheetData>", b"<sheetData>" + padding) if "sheet1" in name else data

    bomb = _rezip(good, scratch.root / "bomb.xlsx", pad)
    assert bomb.stat().st_size < 1_000_000
    assert _import(scratch, monkeypatch, bomb) == 1
    assert "解压后过大" in capsys.readouterr().err


def _huge_png() -> bytes:
    """A PNG whose header says 100,000 × 100,000 pixels."""
    body = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    ihdr = struct.pack(">I", 13) + b"IHDR" + body + struct.pack(">I", zlib.crc32(b"IHDR" + body))
    idat = zlib.compress(b"\x00" * 64)
    chunk = (
        struct.pack(">I", len(idat))
        + b"IDAT"
        + idat
        + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    )
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + chunk + end


def test_a_picture_of_too_many_pixels_is_not_imported(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _campaign(scratch)
    good = form_2024(scratch.root / "good.docx")
    with zipfile.ZipFile(good) as package:
        first = sorted(n for n in package.namelist() if n.startswith("word/media/"))[0]
    crafted = _rezip(
        good, scratch.root / "pixels.docx", lambda n, d: _huge_png() if n == first else d
    )
    monkeypatch.chdir(scratch.root)
    assert main(["import", "2024-test", str(crafted), "--write"]) == 0
    assert "像素过多" in capsys.readouterr().err
    written = sorted((scratch.campaign / "honorees").rglob("*.*"))
    assert written and all(p.stat().st_size < 5_000_000 for p in written)


def test_a_sheet_name_with_a_line_break_cannot_break_a_record(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import note names the sheet in a YAML comment: a line break in the name ended
    the comment, and the rest of the note became a line of YAML that broke the record."""
    _campaign(scratch)
    good = summary_xlsx(scratch.root / "good.xlsx")
    crafted = _rezip(
        good,
        scratch.root / "crafted.xlsx",
        lambda n, d: (
            d.replace(b'name="', 'name="&#10;第二行&#10;'.encode(), 1)
            if n == "xl/workbook.xml"
            else d
        ),
    )
    monkeypatch.chdir(scratch.root)
    assert main(["import", "2024-test", str(crafted), "--write"]) == 0
    records = sorted((scratch.campaign / "honorees").glob("*/index.md"))
    assert records
    for path in records:
        front = path.read_text("utf-8").split("---\n")[1]
        assert yaml.safe_load(front)["状态"] == "拟推荐", path
        note = next(line for line in front.splitlines() if line.startswith("#"))
        assert "第二行" in note  # the name is kept, on the comment's own line


def test_exports_write_text_never_a_formula(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hostile = {
        "单位及职务": '\'=HYPERLINK("http://evil.example","点击查看")\'',
        "事迹简介": "\"=cmd|' /C calc'!A0\"",
        "民族": "'@SUM(1+1)'",
    }
    scratch.honoree("li-ce-shi", record(**hostile))
    monkeypatch.chdir(scratch.root)
    assert main(["export", "2024-test", "-o", "out.xlsx", "--content", "content"]) == 0
    with zipfile.ZipFile(scratch.root / "out.xlsx") as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in sheet
    cells = [c for row in load_workbook(scratch.root / "out.xlsx").active.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
    assert len(texts) >= 2 and all(c.data_type == "s" for c in texts)

    assert (
        main(["export", "2024-test", "-o", "out.csv", "--format", "csv", "--content", "content"])
        == 0
    )
    text = (scratch.root / "out.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK" in text and "'=cmd" in text and "'@SUM" in text
    assert ",=" not in text and ",@" not in text and '"=' not in text


def test_a_formula_typed_as_text_in_a_summary_table_stays_text(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    _campaign(scratch)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "性别", "单位及职务", "类别", "推荐单位"])
    ws.append(["张示例", "男", '=HYPERLINK("http://evil.example")', "快递员", "甲县总工会"])
    ws["C2"].data_type = "s"
    wb.save(scratch.root / "t.xlsx")
    monkeypatch.chdir(scratch.root)
    assert main(["import", "2024-test", str(scratch.root / "t.xlsx"), "--write"]) == 0
    path = next((scratch.campaign / "honorees").glob("*/index.md"))
    data = yaml.safe_load(path.read_text("utf-8").split("---\n")[1])
    assert data["单位及职务"] == '=HYPERLINK("http://evil.example")'


def test_a_clean_file_still_imports(scratch: Scratch, monkeypatch: pytest.MonkeyPatch) -> None:
    _campaign(scratch)
    good = summary_xlsx(scratch.root / "good.xlsx")
    assert _import(scratch, monkeypatch, good, form_2024(scratch.root / "表.docx")) == 0
    assert io.BytesIO(good.read_bytes()).getbuffer().nbytes > 0
