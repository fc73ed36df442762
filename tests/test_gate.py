"""The publish gate, route by route: whatever leaves the tool (the build's output/, the
preview, the 公众号 folder, the printed 公示, a deploy) is refused with the same message
when it would publish a private value, and nothing of it is written or sent."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import docx
import pytest

from site_builder.cli import main
from site_builder.dev.serve import DevSite
from site_builder.errors import ContentError
from site_builder.gate import Gate
from site_builder.pipeline import prepare

from .conftest import Scratch

PHONE = "13987654321"
SAID = "生成的文件里出现了手机号码“139****4321”"


def _run(scratch: Scratch, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(scratch.root)
    return main([*args, "--content", "content"])


def _plant(scratch: Scratch, old: str, new: str) -> None:
    campaign = scratch.campaign / "campaign.yaml"
    text = campaign.read_text("utf-8")
    assert old in text
    campaign.write_text(text.replace(old, new, 1), "utf-8")


def test_the_wechat_folder_is_refused_whole(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    _plant(scratch, "年度: 2024", f"年度: 2024\n简介: 咨询 {PHONE}")
    assert _run(scratch, monkeypatch, "wechat", "2024-test", "-o", "公众号") == 1
    err = capsys.readouterr().err
    assert SAID in err and "公众号/" in err
    assert not (scratch.root / "公众号").exists()


def test_the_printed_notice_is_refused_and_not_written(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    assert _run(scratch, monkeypatch, "notice", "2024-test", "-o", "ok.docx") == 0
    text = "\n".join(p.text for p in docx.Document(scratch.root / "ok.docx").paragraphs)
    assert (
        "李测试"
        in "".join(
            c.text
            for t in docx.Document(scratch.root / "ok.docx").tables
            for r in t.rows
            for c in r.cells
        )
        and "公示" in text
    )  # the gate let a clean notice through
    _plant(scratch, "  工作日数: 5", f"  工作日数: 5\n  导语: 如有疑问请致电 {PHONE}")
    assert _run(scratch, monkeypatch, "notice", "2024-test", "-o", "leak.docx") == 1
    err = capsys.readouterr().err
    assert SAID in err and "公示/公示.docx" in err
    assert not (scratch.root / "leak.docx").exists()


def test_the_gate_reads_a_word_document_as_its_reader_does(scratch: Scratch) -> None:
    """A number split across runs, in a table cell, or in a footer is still a number."""
    scratch.honoree("li-ce-shi")
    gate = prepare(scratch.options()).gate
    document = docx.Document()
    paragraph = document.add_paragraph("电话：")
    for part in ("139", "8765", "4321"):
        paragraph.add_run(part)
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(Exception, match=r"139\*\*\*\*4321"):
        gate.check({"x.docx": buffer.getvalue()}, Path("公示"))
    footer = docx.Document()
    footer.sections[0].footer.paragraphs[0].text = f"联系 {PHONE}"
    buffer = io.BytesIO()
    footer.save(buffer)
    with pytest.raises(Exception, match=r"139\*\*\*\*4321"):
        gate.check({"y.docx": buffer.getvalue()}, Path("公示"))
    clean = docx.Document()
    clean.add_paragraph("2024年3月28日至4月3日（5个工作日）")
    buffer = io.BytesIO()
    clean.save(buffer)
    gate.check({"z.docx": buffer.getvalue()}, Path("公示"))  # dates are not phones


def test_the_preview_shows_the_refusal_instead_of_the_page(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    _plant(scratch, "年度: 2024", f"年度: 2024\n简介: 咨询 {PHONE}")
    site = DevSite(scratch.options(), log=lambda _: None)
    site.rebuild()
    assert any(SAID in str(p) for p in site.state.problems)
    assert not site.state.files  # nothing of it is served


def test_deploy_sends_nothing_when_output_was_changed_to_leak(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """output/ edited by hand after the build: the gate reads what deploy would send, all
    of it before anything is sent, and the target stays as it was."""
    target = scratch.folder_target()
    scratch.honoree("li-ce-shi")
    scratch.build()
    page = scratch.output / "2024-test/li-ce-shi/index.html"
    private = "139" + f"{sum(map(ord, '李测试')) % 100_000_000:08d}"  # the record's 联系方式
    page.write_text(page.read_text("utf-8").replace("</main>", f"<p>{private}</p></main>"))
    assert _run(scratch, monkeypatch, "deploy", "--write") == 1
    err = capsys.readouterr().err
    assert "生成的文件里出现了" in err and "li-ce-shi/index.html" in err and "联系方式" in err
    assert "没有发布任何文件" in err
    assert list(target.iterdir()) == []


def test_a_clean_site_passes_every_route(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    prepared = prepare(scratch.options())
    assert isinstance(prepared.gate, Gate)
    scratch.build()
    files = {
        p.relative_to(scratch.output).as_posix(): p.read_bytes()
        for p in scratch.output.rglob("*")
        if p.is_file()
    }
    assert files
    prepared.gate.check(files, scratch.output)


@pytest.mark.parametrize("where", ["person", "campaign"])
def test_a_phone_in_a_folder_name_is_refused(scratch: Scratch, where: str) -> None:
    """A slug or a campaign folder is part of every address of its pages: read as a name,
    with letters as separators (zhangsan13912345678)."""
    if where == "person":
        scratch.honoree("zhangsan13912345678")
    else:
        scratch.honoree("li-ce-shi")
        scratch.campaign.rename(scratch.content / "c13912345678")
    with pytest.raises(ContentError) as caught:
        scratch.build()
    said = [str(p) for p in caught.value.problems]
    assert any("139****5678" in s and "文件和文件夹的名字" in s for s in said), said
    assert not scratch.output.exists()


def test_the_preview_scans_every_page_again_when_a_private_value_is_new(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save scans what it rendered again, the rest having passed with the same private
    values; a save that adds a private value scans every page, since a page it does not
    render again (here the 通知, which shows no record) may print that value."""
    scratch.honoree("li-ce-shi")
    other = scratch.honoree("zhang-ce-shi", name="张测试") / "index.md"
    campaign = scratch.campaign / "campaign.yaml"
    campaign.write_text(
        campaign.read_text("utf-8")
        + "征集:\n  通知: 请各单位与赵大勇联系。\n  截止日期: 2024-03-01\n",
        "utf-8",
    )
    site = DevSite(scratch.options(), log=lambda _: None)
    site.rebuild()
    assert "2024-test/tongzhi/index.html" in site.state.files and not site.state.problems
    scanned: list[set[str]] = []
    check = Gate.check

    def spy(gate: Gate, files: Mapping[str, bytes], where: Path) -> None:
        scanned.append(set(files))
        check(gate, files, where)

    monkeypatch.setattr(Gate, "check", spy)
    other.write_text(other.read_text("utf-8").replace("从不抱怨", "从不抱怨，也不迟到"), "utf-8")
    site.rebuild({other})
    assert not site.state.problems
    assert "2024-test/zhang-ce-shi/index.html" in scanned[-1]
    assert "2024-test/li-ce-shi/index.html" not in scanned[-1]  # not rendered, not rescanned
    other.write_text(other.read_text("utf-8").replace("联系人: 王联系", "联系人: 赵大勇"), "utf-8")
    site.rebuild({other})
    assert "2024-test/tongzhi/index.html" in scanned[-1]
    said = [str(p) for p in site.state.problems]
    assert any("tongzhi/index.html" in p and "隐私检查" in p for p in said), said
