"""A 推荐单位's own 公示 (三级公示): `site-builder notice 活动 --unit 单位` and the workbench's
form beside the list of units — its nominees only, the unit as issuer, the period from
the records, from a start date or left blank, through the publish gate, and rendered."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pypdf
import pytest

from site_builder.cli import main

from .conftest import ROOT, Scratch
from .test_workbench_settings import jiaozuo_bench, soup

JJ = "2022-jiujiang-zuimei"  # the 2022 seed: every record has its 单位 and 县级 公示
JZ = "2024-jiaozuo-xinjiuye"  # no lower levels recorded


def _run(site: Scratch, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(site.root)
    return main([*args, "--content", "content"])


def _read(path: Path | bytes) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(io.BytesIO(path) if isinstance(path, bytes) else path)
    paragraphs = [p.text for p in document.paragraphs]
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    return paragraphs, rows


@pytest.fixture
def jiujiang(copy_site) -> Scratch:  # type: ignore[no-untyped-def]
    return copy_site(ROOT / "examples/jiujiang-2022/content")


def _names_by_unit(site: Scratch, campaign: str) -> dict[str, set[str]]:
    import yaml

    found: dict[str, set[str]] = {}
    records = sorted((site.content / campaign / "honorees").glob("*/index.md"))
    assert records
    for record in records:
        head = yaml.safe_load(record.read_text("utf-8").split("---")[1])
        found.setdefault(head["推荐单位"], set()).add(head["姓名"])
    return found


def test_a_county_posts_its_own_notice_from_the_recorded_dates(
    jiujiang: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    by_unit = _names_by_unit(jiujiang, JJ)
    assert _run(jiujiang, monkeypatch, "notice", JJ, "--unit", "修水县") == 0
    said = capsys.readouterr().out
    target = jiujiang.root / f"公示-{JJ}-修水县.docx"
    assert f"公示-{JJ}-修水县.docx" in said and "县级公示" in said
    paragraphs, rows = _read(target)
    assert paragraphs[0].startswith("关于") and paragraphs[0].endswith("拟推荐人选的公示")
    assert "推荐单位" not in rows[0] and rows[0][:3] == ["序号", "姓名", "性别"]
    listed = {row[1] for row in rows[1:]}
    assert listed == by_unit["修水县"]
    others = set().union(*(names for unit, names in by_unit.items() if unit != "修水县"))
    assert others and not others & {cell for row in rows for cell in row}
    # the 县级 公示 of the records: 2022-07-18, five working days
    assert "公示时间：2022年7月18日至22日（5个工作日）。" in paragraphs
    assert "经基层推荐、修水县审核" in "".join(paragraphs)
    assert paragraphs[-2:] == ["修水县", "2022年7月18日"]  # issuer over the date, to stamp
    assert "联系电话：________________" in paragraphs  # a line to write the unit's phone on

    # an employer or association: its own 单位 公示 (2022-07-04 to 07-08)
    assert _run(jiujiang, monkeypatch, "notice", JJ, "--unit", "行业联合会", "-o", "hy.docx") == 0
    paragraphs, _ = _read(jiujiang.root / "hy.docx")
    assert "公示时间：2022年7月4日至8日（5个工作日）。" in paragraphs
    assert "经行业联合会研究" in "".join(paragraphs)


def test_a_start_date_counts_working_days_and_no_dates_leave_blanks(
    jiujiang: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("notice", JJ, "--unit", "修水县", "--level", "单位", "--start", "2022-09-30")
    assert _run(jiujiang, monkeypatch, *args, "-o", "start.docx") == 0
    paragraphs, _ = _read(jiujiang.root / "start.docx")
    # across National Day 2022: 9-30, then 10-08 and 10-09 (调休), 10-10, 10-11
    assert "公示时间：2022年9月30日至10月11日（5个工作日）。" in paragraphs
    assert paragraphs[-1] == "2022年9月30日"

    copy = jiujiang.root / "jz"
    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", copy / "content")
    monkeypatch.chdir(copy)
    capsys.readouterr()
    assert main(["notice", JZ, "--unit", "解放区总工会", "--content", "content"]) == 0
    said = capsys.readouterr().out
    assert "留了空" in said and "--start" in said
    paragraphs, _ = _read(copy / f"公示-{JZ}-解放区总工会.docx")
    assert "公示时间：____年__月__日至____年__月__日（不少于5个工作日）。" in paragraphs
    assert paragraphs[-2:] == ["解放区总工会", "____年__月__日"]


def test_wrong_units_and_options_are_said_in_chinese(
    jiujiang: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(jiujiang, monkeypatch, "notice", JJ, "--unit", "武宁县") == 2
    err = capsys.readouterr().err
    assert "没有“武宁县”推荐的人选" in err and "修水县（1人）" in err
    assert _run(jiujiang, monkeypatch, "notice", JJ, "--start", "2022-09-30") == 2
    assert "请同时写 --unit" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        _run(jiujiang, monkeypatch, "notice", JJ, "--unit", "修水县", "--start", "9月30日")
    assert stop.value.code == 2 and "应写成 2024-03-01" in capsys.readouterr().err
    assert not list(jiujiang.root.glob("*.docx"))


def test_the_unit_notice_passes_the_gate(
    jiujiang: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A nominee's private fields never reach it, and a phone typed into the unit's name
    (which the notice prints as its issuer) stops it before anything is written."""
    record = jiujiang.content / JJ / "honorees/he-jun/index.md"
    text = record.read_text("utf-8")
    unit = next(line for line in text.splitlines() if line.startswith("推荐单位:")).split(": ")[1]
    assert _run(jiujiang, monkeypatch, "notice", JJ, "--unit", unit, "-o", "ok.docx") == 0
    paragraphs, rows = _read(jiujiang.root / "ok.docx")
    written = "\n".join(paragraphs + [c for r in rows for c in r])
    private = [
        line.split(":", 1)[1].strip().strip('"')
        for line in text.splitlines()
        if line.split(":")[0] in ("身份证号", "联系电话", "手机", "联系人", "家庭住址")
    ]
    assert private and all(value and value not in written for value in private)
    leaked = f"{unit}13987654321"
    record.write_text(text.replace(f"推荐单位: {unit}", f"推荐单位: {leaked}"), "utf-8")
    capsys.readouterr()
    assert _run(jiujiang, monkeypatch, "notice", JJ, "--unit", leaked, "-o", "leak.docx") == 1
    assert "手机号码“139****4321”" in capsys.readouterr().err
    assert not (jiujiang.root / "leak.docx").exists()


def test_the_unit_notice_rendered_by_libreoffice(
    jiujiang: Scratch, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail(
            "需要 LibreOffice：请用 scripts/test.sh 运行测试，它会安装 libreoffice-writer-nogui"
        )
    assert _run(jiujiang, monkeypatch, "notice", JJ, "--unit", "修水县", "-o", "u.docx") == 0
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(jiujiang.root / "u.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pages = [p.extract_text() for p in pypdf.PdfReader(tmp_path / "u.pdf").pages]
    assert pages
    for number, page in enumerate(pages, start=1):
        assert f"— {number} —" in page
    last = pages[-1].replace(" ", "").splitlines()
    assert "修水县" in last and "2022年7月18日" in last  # the stamp's place, on one page
    everything = "".join(pages).replace(" ", "")
    assert "许燕平" in everything and "2022年7月18日至22日" in everything


def test_the_workbench_offers_each_units_notice(tmp_path: Path) -> None:
    bench = jiaozuo_bench(tmp_path)
    page = soup(bench.handle("GET", f"{JZ}/", {}, None).body)
    form = page.select_one("form.unit-notice")
    assert form is not None and form["method"] == "get"
    options = [o.get_text() for o in form.select("#unit-notice-unit option")]
    assert "解放区总工会（1人，县级公示）" in options and len(options) == 5
    answer = bench.handle(
        "GET", f"{JZ}/_notice.docx", {},
        None, {"unit": ["解放区总工会"], "level": ["单位"], "start": ["2024年3月11日"]},
    )  # fmt: skip
    assert answer.status == 200, soup(answer.body).get_text()[:300]
    assert "attachment" in answer.headers["Content-Disposition"]
    paragraphs, rows = _read(answer.body)
    assert "公示时间：2024年3月11日至15日（5个工作日）。" in paragraphs
    assert "经解放区总工会研究" in "".join(paragraphs) and len(rows) == 2
    refused = bench.handle("GET", f"{JZ}/_notice.docx", {}, None, {"unit": ["无此单位"]})
    assert refused.content_type.startswith("text/html")
    assert "没有“无此单位”推荐的人选" in soup(refused.body).get_text()
    typo = bench.handle(
        "GET", f"{JZ}/_notice.docx", {}, None, {"unit": ["解放区总工会"], "start": ["三月"]}
    )
    assert "应写成 2024-03-01" in soup(typo.body).get_text()
