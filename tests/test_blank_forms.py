"""The call's blank forms, generated from the campaign: filled in as a unit would, and
imported back without a single unreadable cell."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
from PIL import Image

from site_builder.errors import Problems
from site_builder.forms.blank import blank_form, quota_table, summary_template
from site_builder.forms.importing import run_import
from site_builder.load.content import load_site

from .conftest import ROOT, valid_id

JZ = "2024-jiaozuo-xinjiuye"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", tmp_path / "content")
    return tmp_path / "content"


def config_of(content: Path):  # type: ignore[no-untyped-def]
    site = load_site(content, Problems())
    assert site is not None
    return next(c for c in site.campaigns if c.id == JZ).config


def fill_form(data: bytes, path: Path, values: dict[str, str], category: str) -> Path:
    """As a unit fills the 推荐表 in Word: each value in the cell after its label, the
    category ticked, an ID photo in its cell."""
    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("类别："):
            text = paragraph.text.replace(f"☐{category}", f"☑{category}")
            for run in paragraph.runs[1:]:
                run.text = ""
            paragraph.runs[0].text = text
    table = document.tables[0]
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        for i, cell in enumerate(cells[:-1]):
            label = cell.text.split("（")[0]
            if label in values:
                cells[i + 1].text = values[label]
    photo = io.BytesIO()
    Image.new("RGB", (250, 350), (180, 40, 40)).save(photo, format="JPEG")
    photo.seek(0)
    table.cell(0, 6).paragraphs[0].add_run().add_picture(photo, width=docx.shared.Cm(2.5))
    document.save(str(path))
    return path


def test_the_blank_form_filled_in_imports_without_an_unreadable_cell(
    content: Path, tmp_path: Path
) -> None:
    config = config_of(content)
    data = blank_form(config)
    assert blank_form(config) == data  # the same campaign, the same bytes
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert f"{config.title}推荐表" in text
    assert all(f"☐{c}" in text for c in config.categories)
    values = {
        "姓名": "宋示例", "性别": "男", "出生年月": "1988.07", "民族": "汉族", "政治面貌": "群众",
        "籍贯": "河南温县", "学历": "高中", "参加工作时间": "2012.03", "工会会员": "是",
        "身份证号": valid_id(7), "单位及职务": "焦作示例物流有限公司 货车司机",
        "推荐单位": "温县总工会", "职称": "", "技术等级": "中级工", "联系方式": "13912345678",
        "联系人": "王示例", "联系人电话": "0391-1234567",
        "曾获主要荣誉": "2023年焦作市五一劳动奖章", "主要事迹": "十二年安全行车零事故（示例）。",
    }  # fmt: skip
    filled = fill_form(data, tmp_path / "推荐表-宋示例.docx", values, "货车司机")
    plan, notes, _ = run_import(content, JZ, [filled], write=False, force=False)
    assert notes == [], [str(n) for n in notes]
    (person,) = plan
    fields = person.intake.fields
    for label in ("姓名", "性别", "民族", "政治面貌", "单位及职务", "推荐单位", "联系人"):
        assert fields[label] == values[label], label
    assert fields["类别"] == "货车司机" and fields["身份证号"] == values["身份证号"]
    assert fields["联系人电话"] == "0391-1234567" and fields["联系方式"] == "13912345678"
    assert str(fields["出生年月"]) in ("1988.07", "1988.7", "1988年7月")
    assert person.intake.photos  # the ID photo came along
    plan, notes, written = run_import(content, JZ, [filled], write=True, force=False)
    assert written and not notes
    problems = Problems()
    site = load_site(content, problems)
    assert site is not None and not [p for p in problems.errors if "song-shili" in p.path]


def test_the_summary_sheet_lists_only_the_campaigns_values(content: Path, tmp_path: Path) -> None:
    config = config_of(content)
    book = openpyxl.load_workbook(io.BytesIO(summary_template(config)))
    sheet = book["推荐汇总表"]
    assert sheet["A1"].value == f"{config.title}推荐汇总表"
    rules = {str(r.sqref): r.formula1 for r in sheet.data_validations.dataValidation}
    options = book["选项"]
    assert options.sheet_state == "hidden"

    def listed(column: str) -> list[str]:
        formula = next(f for ref, f in rules.items() if ref.startswith(column))
        letter = formula.split("$")[1]
        return [c.value for c in options[letter] if c.value]

    assert listed("D") == ["男", "女"]
    assert listed("I") == list(config.categories)
    assert listed("B") == [u.name for u in config.units]
    # filled in as a unit does, then imported
    for row, (name, gender, unit, category) in enumerate(
        [
            ("许示例", "女", "解放区总工会", "快递员"),
            ("梁示例", "男", "修武县总工会", "网约车司机"),
        ],
        start=4,
    ):
        for column, value in zip("CDBI", (name, gender, unit, category), strict=True):
            sheet[f"{column}{row}"] = value
        sheet[f"E{row}"] = "1991.10"
        sheet[f"H{row}"] = "焦作示例公司 快递员"
        sheet[f"K{row}"] = "示例事迹。"
    path = tmp_path / "推荐汇总表.xlsx"
    book.save(path)
    plan, notes, _ = run_import(content, JZ, [path], write=False, force=False)
    assert notes == [], [str(n) for n in notes]
    assert [p.intake.name for p in plan] == ["许示例", "梁示例"]
    assert plan[0].intake.fields["类别"] == "快递员" and str(plan[0].intake.fields["出生年月"]) in (
        "1991.10",
        "1991年10月",
    )


def test_the_quota_table_is_the_campaigns(content: Path) -> None:
    config = config_of(content)
    sheet = openpyxl.load_workbook(io.BytesIO(quota_table(config))).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[:-1] == [[i, u.name, u.quota] for i, u in enumerate(config.units, start=1)]
    assert rows[-1] == [None, "合计", sum(u.quota or 0 for u in config.units)]


def test_the_blank_form_prints_on_one_sheet(content: Path, tmp_path: Path) -> None:
    """Rendered by LibreOffice: at most two pages (one sheet, both sides)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("需要 LibreOffice：请用 scripts/test.sh 运行测试")
    (tmp_path / "推荐表.docx").write_bytes(blank_form(config_of(content)))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(tmp_path / "推荐表.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pages = pypdf.PdfReader(tmp_path / "推荐表.pdf").pages
    assert 1 <= len(pages) <= 2
    assert "推荐表" in pages[0].extract_text() and "主要事迹" in pages[0].extract_text()


def test_the_workbench_offers_the_blank_forms(tmp_path: Path) -> None:
    from .test_workbench_settings import jiaozuo_bench, soup

    bench = jiaozuo_bench(tmp_path)
    page = soup(bench.handle("GET", f"{JZ}/", {}, None).body)
    links = [a["href"] for a in page.select("a[href*='/_blank/']")]
    assert len(links) == 3
    for link in links:
        name = link.rsplit("/", 1)[-1]
        answer = bench.handle("GET", link.removeprefix("/_admin/"), {}, None)
        assert answer.status == 200 and answer.body[:2] == b"PK", name
        assert "attachment" in answer.headers["Content-Disposition"]
    assert bench.handle("GET", f"{JZ}/_blank/x.docx", {}, None).status == 404


def test_the_forms_carry_no_time_of_making(content: Path) -> None:
    """The same campaign gives the same bytes: no file inside says when it was made."""
    import re
    import zipfile

    config = config_of(content)
    for data in (blank_form(config), summary_template(config), quota_table(config)):
        core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
        stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
        assert stamps and all(s.startswith("2000-01-01T00:00:00") for s in stamps), stamps
        assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {
            (1980, 1, 1, 0, 0, 0)
        }
