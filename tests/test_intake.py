"""Import from real .xlsx/.docx files made here in the seeds' layouts (messy cases included),
build the imported site, export the summary table back; and every campaign rule."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
import yaml
from docx.shared import Cm
from openpyxl import Workbook, load_workbook
from PIL import Image

from site_builder.cli import main
from site_builder.errors import ContentError
from site_builder.forms.intake import read_docx, read_xlsx

from .conftest import Scratch, record, valid_id

HEADER_2024 = [
    "序号",
    "推荐单位",
    "姓名",
    "性别",
    "出生年月",
    "民族",
    "政治面貌",
    "单位及职务",
    "主要荣誉",
    "主要事迹（500 字左右）",
]


def summary_xlsx(path: Path) -> Path:
    """附件2 of the 2024 notice, as units fill it in: title rows, merged cells, messy values."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总"
    ws.append(["焦作“最美新就业形态劳动者”推荐汇总表"])
    ws.merge_cells("A1:J1")
    ws.append(["推荐单位：（盖章）", None, None, None, None, None, None, "日期：    年  月  日"])
    ws.append([*HEADER_2024, "备注"])
    ws.append(
        [
            1,
            "甲县总工会",
            "张 伟 ",
            "男",
            dt.datetime(1990, 5, 1),
            "汉族",
            "中共党员",
            "示例快递有限公司 快递员",
            "2022年示例市五一劳动奖章\n2023年示例县优秀快递员",
            "风雨无阻送快递。 ",
            "",
        ]
    )
    ws.append(
        [
            2,
            "甲县总工会",
            "李芳",
            "女",
            32874,
            "回族",
            "群众",
            "示例外卖平台 骑手",
            "",
            "热心助人。",
            "",
        ]
    )
    ws.append(
        [
            3,
            "乙区总工会",
            "王强",
            "男 ",
            "1988年7月",
            "汉族",
            "群众",
            "示例物流 货车司机",
            "",
            "安全行车。",
            "",
        ]
    )
    ws.append(
        [
            4,
            "乙区总工会",
            "赵敏",
            "女",
            1991.1,
            "汉族",
            "群众",
            "示例出行 网约车司机",
            "",
            "服务周到。",
            "",
        ]
    )
    ws["E7"].number_format = "0.00"  # shows 1991.10: October, not January
    ws.append(
        [
            "５",
            "乙区总工会",
            "孙丽",
            "女",
            "１９９２．０３",
            "汉族",
            "群众",
            "示例快递 快递员",
            "",
            "认真。",
            "",
        ]
    )
    ws.append([6, "乙区总工会", "周杰", "难", "1990.13", "汉族", "群众", "示例 骑手", "", "x", ""])
    ws.append([None] * 10)
    wb.save(path)
    return path


def _image(colour: tuple[int, int, int], size: tuple[int, int]) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG")
    buf.seek(0)
    return buf


def form_2024(path: Path, name: str = "陈 示例") -> Path:
    """附件1 of the 2024 notice, filled in, with an ID photo and two work photos."""
    d = docx.Document()
    d.add_paragraph("焦作“最美新就业形态劳动者”推荐表")
    t = d.add_table(rows=8, cols=7)
    rows = [
        ["姓名", name, "性别", "男", "出生年月", "1990.05", "正面免冠彩色近照 (1寸)"],
        ["籍贯", "河南示例", "民族", "汉族", "政治面貌", "中共党员", ""],
        ["身份证号", valid_id(42), "", "", "", "", ""],
        ["单位及职务", "示例物流有限公司 货车司机", "", "", "学 历", "高中", ""],
        ["职 称", "", "技术等级", "高级工", "联系方式", "13912340000", ""],
        ["曾获 主要荣誉", "2023年示例市五一劳动奖章", "", "", "", "", ""],
        ["主要事迹 (500字)", "十年安全行车零事故。", "", "", "", "", ""],
        ["申报单位 意见", "(盖章) 2024年 月 日", "", "", "", "", ""],
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            t.cell(r, c).text = value
    t.cell(0, 6).merge(t.cell(1, 6))
    t.cell(2, 1).merge(t.cell(2, 6))
    t.cell(3, 1).merge(t.cell(3, 3))
    photo_cell = t.cell(0, 6)
    photo_cell.paragraphs[0].add_run().add_picture(_image((200, 30, 30), (250, 350)), width=Cm(2.5))
    d.add_paragraph("推荐单位：丙市总工会（盖章）")
    d.add_picture(_image((30, 160, 30), (800, 600)), width=Cm(8))
    d.add_picture(_image((30, 30, 160), (800, 600)), width=Cm(8))
    d.save(str(path))
    return path


def form_2022(path: Path) -> Path:
    """附件1 of the 2022 notice: category checkboxes, labels broken across lines."""
    d = docx.Document()
    d.add_paragraph("全市“最美劳动者”推荐表")
    d.add_paragraph("类别：☑数字经济领域   ☐新业态领域")
    t = d.add_table(rows=8, cols=8)
    rows = [
        ["姓名", "刘　文博", "性别", "男", "出生\n年月", "1992.3", "民族", "汉族"],
        [
            "职务职称",
            "运维工程师",
            "学历",
            "本科",
            "参加工\n作时间",
            "2014.07",
            "政治\n面貌",
            "中共党员",
        ],
        ["工作单位", "示例数字科技有限公司", "", "", "电话", "13912341111", "", ""],
        ["详细地址", "示例市示例路 1 号", "", "", "邮编", "332000", "", ""],
        ["联系人", "王联系", "电话", "0792-0000000", "手机", "13912342222", "", ""],
        ["获得荣誉", "2021年示例区技术能手", "", "", "", "", "", ""],
        ["媒体宣传\n情况", "示例日报 2021年报道", "", "", "", "", "", ""],
        ["事\n迹\n简\n介\n（500字以内）", "守护政务云平台。", "", "", "", "", "", ""],
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            t.cell(r, c).text = value
    d.save(str(path))
    return path


def test_summary_table_is_read_by_label_with_the_mess_handled(tmp_path: Path) -> None:
    people, notes = read_xlsx(summary_xlsx(tmp_path / "汇总.xlsx"))
    by_name = {p.name: p.fields for p in people}
    assert list(by_name) == ["张伟", "李芳", "王强", "赵敏", "孙丽", "周杰"]
    assert (
        by_name["张伟"]["出生年月"] == "1990.5"
        and by_name["张伟"]["事迹简介"] == "风雨无阻送快递。"
    )
    assert by_name["张伟"]["获得荣誉"] == ["2022年示例市五一劳动奖章", "2023年示例县优秀快递员"]
    assert by_name["李芳"]["出生年月"] == "1990.1"  # Excel serial 32874 is 1990-01-01
    assert by_name["王强"]["出生年月"] == "1988.7" and by_name["王强"]["性别"] == "男"
    assert by_name["赵敏"]["出生年月"] == "1991.10"
    assert by_name["孙丽"]["出生年月"] == "1992.3" and by_name["孙丽"]["序号"] == 5
    reasons = [str(n) for n in notes]
    assert any("工作表“汇总” 第 3 行 K 列" in r and "备注" in r for r in reasons)
    assert any("第 9 行 D 列" in r and "性别“难”" in r for r in reasons)
    assert any("第 9 行 E 列" in r and "月份“13”不存在" in r for r in reasons)


def test_2024_form_with_merged_cells_and_photos(tmp_path: Path) -> None:
    (person,), notes = read_docx(form_2024(tmp_path / "推荐表.docx"))
    f = person.fields
    assert person.name == "陈示例" and f["推荐单位"] == "丙市总工会"
    assert f["身份证号"] == valid_id(42) and f["学历"] == "高中" and f["技术等级"] == "高级工"
    assert f["单位及职务"] == "示例物流有限公司 货车司机" and f["联系方式"] == "13912340000"
    assert f["获得荣誉"] == ["2023年示例市五一劳动奖章"] and f["事迹简介"] == "十年安全行车零事故。"
    assert "职称" not in f  # left empty on the form
    assert len(person.photos) == 3
    with Image.open(io.BytesIO(person.photos[0][1])) as portrait:
        assert portrait.size == (250, 350)  # the ID photo comes first
    assert notes == []


def test_2022_form_with_checkbox_and_broken_labels(tmp_path: Path) -> None:
    (person,), _ = read_docx(form_2022(tmp_path / "推荐表2022.docx"))
    f = person.fields
    assert person.name == "刘文博" and f["类别"] == "数字经济领域"
    assert (
        f["出生年月"] == "1992.3" and f["参加工作时间"] == "2014.7" and f["政治面貌"] == "中共党员"
    )
    assert f["工作单位"] == "示例数字科技有限公司" and f["职务"] == "运维工程师"
    assert f["联系方式"] == "13912341111" and f["联系人电话"] == "0792-0000000"
    assert (
        f["联系人"] == "王联系" and f["详细地址"] == "示例市示例路 1 号" and f["邮编"] == "332000"
    )
    assert f["媒体宣传情况"] == ["示例日报 2021年报道"] and f["事迹简介"] == "守护政务云平台。"


def _campaign(scratch: Scratch) -> None:
    scratch.write(
        "2024-test/campaign.yaml",
        """\
        活动名称: 测试活动（示例）
        年度: 2024
        类别: [快递员, 外卖配送员, 货车司机, 网约车司机, 数字经济领域]
        推荐单位: [甲县总工会, 乙区总工会, 丙市总工会]
        """,
    )


def test_import_dry_run_write_force_and_stable_slugs(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _campaign(scratch)
    monkeypatch.chdir(scratch.root)
    xlsx = summary_xlsx(scratch.root / "汇总.xlsx")
    form = form_2024(scratch.root / "推荐表.docx")
    honorees = scratch.campaign / "honorees"

    assert main(["import", "2024-test", str(xlsx), str(form)]) == 0
    out = capsys.readouterr()
    assert "新建：zhang-wei/" in out.out and "预览" in out.out and not honorees.exists()
    assert "未能读取" in out.err and "第 9 行 D 列" in out.err

    assert main(["import", "2024-test", str(xlsx), str(form), "--write"]) == 0
    slugs = sorted(p.name for p in honorees.iterdir())
    assert slugs == [
        "chen-shili",
        "li-fang",
        "sun-li",
        "wang-qiang",
        "zhang-wei",
        "zhao-min",
        "zhou-jie",
    ]
    front = yaml.safe_load(
        (honorees / "chen-shili" / "index.md").read_text("utf-8").split("---")[1]
    )
    assert front["状态"] == "拟推荐" and front["证件照"] == {"文件": "portrait.jpg"}
    assert [w["文件"] for w in front["工作照"]] == ["work-1.jpg", "work-2.jpg"]
    assert (honorees / "chen-shili" / "work-2.jpg").is_file()

    (honorees / "zhang-wei" / "index.md").write_text("edited by hand", "utf-8")
    capsys.readouterr()
    assert main(["import", "2024-test", str(xlsx), "--write"]) == 0
    assert "已存在，跳过：zhang-wei/" in capsys.readouterr().out
    assert (honorees / "zhang-wei" / "index.md").read_text("utf-8") == "edited by hand"
    assert sorted(p.name for p in honorees.iterdir()) == slugs  # re-import: the same slugs
    assert main(["import", "2024-test", str(xlsx), "--write", "--force"]) == 0
    assert "张伟" in (honorees / "zhang-wei" / "index.md").read_text("utf-8")


def test_imported_records_build_once_approved_and_round_trip_through_export(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _campaign(scratch)
    monkeypatch.chdir(scratch.root)
    xlsx = summary_xlsx(scratch.root / "汇总.xlsx")
    assert main(["import", "2024-test", str(xlsx), "--write"]) == 0
    honorees = scratch.campaign / "honorees"
    for folder in honorees.iterdir():  # the officer completes and approves every record
        path = folder / "index.md"
        _, front, body = path.read_text("utf-8").split("---\n", 2)
        fields = yaml.safe_load(front)
        fields.update(状态="已审定")
        fields.setdefault("类别", "快递员")
        fields.setdefault("性别", "男")
        path.write_text(
            "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n" + body,
            "utf-8",
        )
    capsys.readouterr()
    assert main(["build", "--output", "output", "--cache", "cache"]) == 0
    profile = scratch.html("2024-test/zhang-wei/index.html")
    assert profile.h1.get_text() == "张伟"

    assert main(["export", "2024-test", "-o", "back.xlsx"]) == 0
    sheet = load_workbook(scratch.root / "back.xlsx").active
    assert sheet is not None
    rows = [[c for c in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0] == [*HEADER_2024[:-1], "主要事迹"]
    assert rows[1][:8] == [
        "1",
        "甲县总工会",
        "张伟",
        "男",
        "1990.05",
        "汉族",
        "中共党员",
        "示例快递有限公司 快递员",
    ]
    assert rows[1][8] == "2022年示例市五一劳动奖章；2023年示例县优秀快递员"
    # exporting the export again and importing it gives back the same records
    people, notes = read_xlsx(scratch.root / "back.xlsx")
    assert notes == [] and [p.name for p in people] == [
        "张伟",
        "李芳",
        "王强",
        "赵敏",
        "孙丽",
        "周杰",
    ]
    assert people[0].fields["获得荣誉"] == ["2022年示例市五一劳动奖章", "2023年示例县优秀快递员"]

    assert main(["export", "2024-test", "--format", "csv", "-o", "back.csv"]) == 0
    csv_text = (scratch.root / "back.csv").read_bytes()
    assert csv_text.startswith(b"\xef\xbb\xbf") and "身份证号" not in csv_text.decode("utf-8-sig")
    capsys.readouterr()
    assert main(["export", "2024-test", "--include-private", "-o", "private.xlsx"]) == 0
    assert "仅供内部存档" in capsys.readouterr().err
    header = next(
        load_workbook(scratch.root / "private.xlsx").active.iter_rows(
            min_row=2, max_row=2, values_only=True
        )
    )  # type: ignore[union-attr]
    assert "身份证号" in header


RULES = """\
规则:
  推荐名额: 错误
  每类每单位最多: {人数: 1}
  总人数: {人数: 2}
  省级推荐: {人数: 0}
  最少工作年限: {年数: 2}
  须为工会会员: 错误
  须有荣誉: 警告
  须有媒体报道: 警告
  照片: {工作照最少: 1, 级别: 错误}
  详细事迹字数: {最少字数: 100, 最多字数: 5000}
"""


@pytest.mark.parametrize(
    ("fragment", "level"),
    [
        ("“甲县总工会”推荐了 3 人，超过名额 2 人", "error"),
        ("“甲县总工会”在“快递员”类别推荐了 3 人，每个类别最多 1 人", "error"),
        ("已审定 3 人，超过评选人数 2 人", "error"),
        ("带“推荐省级候选人”标记的有 1 人，超过 0 人", "error"),
        ("2023年3月参加工作，到 2024-03-28 不满 2 年", "error"),
        ("未注明是工会会员", "error"),
        ("没有填写任何荣誉", "warning"),
        ("没有填写媒体报道", "warning"),
        ("有 0 张工作照，要求 1–3 张", "error"),
        ("缺少证件照", "error"),
        ("详细事迹约 11 字，要求 100–5000 字", "warning"),
    ],
)
def test_each_rule_violated_once(scratch: Scratch, fragment: str, level: str) -> None:
    campaign = scratch.campaign / "campaign.yaml"
    text = campaign.read_text("utf-8").replace(
        "  - {名称: 甲县总工会, 名额: 4}", "  - {名称: 甲县总工会, 名额: 2}"
    )
    campaign.write_text(text + RULES, "utf-8")
    scratch.honoree(
        "li-ce-shi", photos=1, 参加工作时间="2023.03", 工会会员="是", 标记="[推荐省级候选人]"
    )
    scratch.honoree("wang-ce-shi", text=record("王测试", 工会会员="是", 参加工作时间="2010.01"))
    scratch.honoree("zhao-ce-shi", text=record("赵测试", 工会会员=None, 参加工作时间="2010.01"))
    with pytest.raises(ContentError) as info:
        scratch.build()
    found = [p for p in info.value.problems + info.value.warnings if fragment in p.message]
    assert found, "\n".join(str(p) for p in info.value.problems + info.value.warnings)
    assert found[0].severity == level


def test_examples_carry_the_seed_rules() -> None:
    from .conftest import ROOT

    jiaozuo = yaml.safe_load(
        (ROOT / "examples/jiaozuo-2024/content/2024-jiaozuo-xinjiuye/campaign.yaml").read_text(
            "utf-8"
        )
    )
    assert (
        jiaozuo["规则"]["每类每单位最多"]["人数"] == 2 and jiaozuo["规则"]["总人数"]["人数"] == 20
    )
    assert jiaozuo["规则"]["最少工作年限"]["年数"] == 2 and jiaozuo["规则"]["省级推荐"]["人数"] == 5
    jiujiang = yaml.safe_load(
        (ROOT / "examples/jiujiang-2022/content/2022-jiujiang-zuimei/campaign.yaml").read_text(
            "utf-8"
        )
    )
    assert jiujiang["规则"]["推荐名额"] == "错误" and jiujiang["规则"]["须有媒体报道"] == "错误"
    assert {u["名称"]: u["名额"] for u in jiujiang["推荐单位"]}["修水县"] == 4
