"""Nothing outside content/ is read into a site: links that leave the tree are refused by
name wherever they stand; a folder the loader would skip is named, never dropped; a long
line costs time in proportion to its length."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from site_builder.cli import main

from .conftest import ROOT, Scratch, record

SAID = "是一个链接，指向内容文件夹之外"


def _check(scratch: Scratch, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(scratch.root)
    return main(["check", "--content", "content"])


def _outside(scratch: Scratch) -> Path:
    folder = scratch.root / "elsewhere"
    folder.mkdir(exist_ok=True)
    return folder


def test_a_linked_site_yaml_is_refused(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _outside(scratch) / "site.yaml"
    target.write_text((scratch.content / "site.yaml").read_text("utf-8"), "utf-8")
    (scratch.content / "site.yaml").unlink()
    os.symlink(target, scratch.content / "site.yaml")
    assert _check(scratch, monkeypatch) == 1
    out = capsys.readouterr()
    assert "site.yaml" in out.out and SAID in out.out and str(target) in out.out


@pytest.mark.parametrize("what", ["campaign.yaml", "campaign folder", "honorees", "person"])
def test_links_out_of_content_are_refused_by_name(
    scratch: Scratch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    what: str,
) -> None:
    scratch.honoree("li-ce-shi")
    outside = _outside(scratch)
    leak = record("外部人", 联系方式='"13900009999"')
    if what == "campaign.yaml":
        moved = outside / "campaign.yaml"
        (scratch.campaign / "campaign.yaml").rename(moved)
        os.symlink(moved, scratch.campaign / "campaign.yaml")
        name = "campaign.yaml"
    elif what == "campaign folder":
        other = outside / "2023-other"
        (other / "honorees" / "wai-bu").mkdir(parents=True)
        (other / "campaign.yaml").write_text(
            (scratch.campaign / "campaign.yaml").read_text("utf-8"), "utf-8"
        )
        (other / "honorees" / "wai-bu" / "index.md").write_text(leak, "utf-8")
        os.symlink(other, scratch.content / "2023-other")
        name = "2023-other"
    elif what == "honorees":
        people = outside / "honorees"
        (scratch.campaign / "honorees").rename(people)
        os.symlink(people, scratch.campaign / "honorees")
        name = "honorees"
    else:
        person = outside / "wai-bu"
        person.mkdir()
        (person / "index.md").write_text(leak, "utf-8")
        os.symlink(person, scratch.campaign / "honorees" / "wai-bu")
        name = "wai-bu"
    assert _check(scratch, monkeypatch) == 1
    out = capsys.readouterr().out
    assert f"“{name}”{SAID}" in out, out
    with pytest.raises(Exception, match="链接"):
        scratch.build()
    assert not (scratch.output / "2023-other").exists()


def test_a_link_that_stays_inside_content_is_followed(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    archive = scratch.content / "archive"
    archive.mkdir()
    (scratch.campaign).rename(archive / "2024-test")
    os.symlink(archive / "2024-test", scratch.content / "2024-test")
    scratch.build()
    assert (scratch.output / "2024-test/li-ce-shi/index.html").is_file()


def test_a_campaign_folder_named_with_a_dot_is_named_not_dropped(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    (scratch.content / "...").mkdir()
    (scratch.content / "..." / "campaign.yaml").write_text(
        (scratch.campaign / "campaign.yaml").read_text("utf-8"), "utf-8"
    )
    hidden = scratch.campaign / "honorees" / ".wang"
    hidden.mkdir()
    (hidden / "index.md").write_text(record("王测试"), "utf-8")
    (scratch.content / ".git").mkdir()  # an ordinary hidden folder says nothing
    assert _check(scratch, monkeypatch) == 1
    out = capsys.readouterr().out
    assert "文件夹“...”以点开头" in out and "文件夹“.wang”以点开头" in out
    assert ".git" not in out


def test_deploy_refuses_a_link_placed_in_output(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = scratch.folder_target()
    scratch.honoree("li-ce-shi")
    scratch.build()
    secret = _outside(scratch) / "passwd.txt"
    secret.write_text("root:x:0:0", "utf-8")
    os.symlink(secret, scratch.output / "leak.txt")
    os.symlink(_outside(scratch), scratch.output / "leakdir")
    monkeypatch.chdir(scratch.root)
    assert main(["deploy", "--write", "--content", "content"]) == 2
    err = capsys.readouterr().err
    assert "是一个链接" in err and ("leak.txt" in err or "leakdir" in err)
    assert list(target.iterdir()) == []


N = 300_000  # a line of most of a content file's 1 MB
LONG_LINES = {
    "brackets": "[" * N,
    "braces": "{" * N,
    "spaces after a colon": "简介: " + " " * N + "x: [",
    "colons": "a:" * (N // 2),
    "dashes": "- " * (N // 2) + "［",
    "quotes": "简介: “" + "“" * N,
}


@pytest.mark.parametrize("line", LONG_LINES.values(), ids=LONG_LINES.keys())
def test_a_long_bad_line_is_explained_without_hanging(tmp_path: Path, line: str) -> None:
    """Before, 100 KB of "[" took a minute in the full-width hint (and 300 KB nine); the
    bound here is fifty times what the linear checks need with Python's start-up, so it
    fails only on a quadratic one."""
    # the bad line after it makes a YAML error, so the hint reads the long line too
    (tmp_path / "campaign.yaml").write_text(f"活动名称: 示例\n{line}\n错误: a: b\n", "utf-8")
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from site_builder.load.text import parse_yaml
        doc = parse_yaml(Path({str(tmp_path / "campaign.yaml")!r}).read_text("utf-8"))
        print(len(doc.problems))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 1  # the line is reported, not silently accepted
