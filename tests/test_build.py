"""Scratch sites built end to end; assertions on parsed HTML and on the output tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.errors import ContentError
from site_builder.pipeline import BuildOptions, build

from .conftest import ROOT, Scratch, record, valid_id


def test_builds_every_page_type(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi", photos=2)
    scratch.honoree("wang-ce-shi", text=record("王测试", 类别="外卖配送员", 推荐单位="乙区总工会"))
    result = scratch.build()
    assert result.pages == 6  # home(=campaign), campaign, 2 profiles, notice, 404
    for page in [
        "index.html",
        "2024-test/index.html",
        "2024-test/li-ce-shi/index.html",
        "2024-test/wang-ce-shi/index.html",
        "2024-test/notice/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "_headers",
    ]:
        assert (scratch.output / page).is_file(), page

    profile = scratch.html("2024-test/li-ce-shi/index.html")
    assert profile.find("html")["lang"] == "zh-CN"
    assert profile.h1.get_text() == "李测试"
    assert profile.title.get_text() == "李测试 — 测试市“最美劳动者”（示例）"
    canonical = profile.find("link", rel="canonical")["href"]
    assert canonical == "https://example.org/zuimei/2024/2024-test/li-ce-shi/"
    imgs = profile.find_all("img")
    assert all(img.get("alt") for img in imgs)
    work = [img for img in imgs if "photo-" in img["src"]]
    assert len(work) == 2 and all(img["loading"] == "lazy" for img in work)
    assert all(img["width"] and img["height"] for img in work)
    # links are relative, so the site works under any sub-path
    css = profile.find("link", rel="stylesheet")["href"]
    assert css.startswith("../../assets/site.") and css.endswith(".css")
    assert (scratch.output / "2024-test/li-ce-shi" / css).resolve().is_file()

    campaign = scratch.html("2024-test/index.html")
    cards = campaign.select("[data-card]")
    assert [c["data-slug"] for c in cards] == ["li-ce-shi", "wang-ce-shi"]
    assert {c["data-category"] for c in cards} == {"快递员", "外卖配送员"}
    options = [o.get_text() for o in campaign.select("#f-unit option")]
    assert options == ["全部单位", "甲县总工会", "乙区总工会"]


def test_private_fields_never_reach_templates(scratch: Scratch, tmp_path: Path) -> None:
    """A hostile theme tries to print every private field: nothing of them may appear."""
    scratch.honoree("li-ce-shi")
    theme = tmp_path / "themes" / "leaky"
    shutil.copytree(ROOT / "site_builder" / "themes" / "default", theme)
    leak = "".join(
        f"{{{{ honoree.{name} | default('') }}}}|{{{{ honoree['{name}'] | default('') }}}}"
        for name in [
            "id_number",
            "phone",
            "address",
            "postcode",
            "contact_person",
            "contact_phone",
            "union_member",
            "record",
            "source",
            "doc",
        ]
    )
    profile = (theme / "templates" / "profile.html").read_text("utf-8")
    (theme / "templates" / "profile.html").write_text(
        profile.replace("<h1>{{ honoree.name }}</h1>", "<h1>{{ honoree.name }}</h1>" + leak),
        "utf-8",
    )
    (scratch.content / "site.yaml").write_text(
        (scratch.content / "site.yaml").read_text("utf-8") + "主题: leaky\n", "utf-8"
    )
    scratch.build(themes=tmp_path / "themes")
    everything = b"".join(scratch.tree().values()).decode("utf-8", errors="replace")
    name_seed = sum(map(ord, "李测试"))
    secrets = [valid_id(name_seed), f"139{name_seed % 100_000_000:08d}", "幸福路88号", "王联系"]
    for secret in secrets:
        assert secret not in everything
    assert "李测试" in everything  # the theme did render


def test_failed_build_leaves_output_untouched(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    scratch.build()
    before = scratch.tree()
    scratch.honoree("bad", text=record("坏记录", 性别="难"))
    with pytest.raises(ContentError):
        scratch.build()
    assert scratch.tree() == before
    assert not list(scratch.root.glob(".output.*"))  # no staging left behind


def test_withdrawn_record_leaves_no_stale_page(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi", photos=1)
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    scratch.build()
    assert (scratch.output / "2024-test/wang-ce-shi/index.html").exists()
    scratch.honoree("wang-ce-shi", text=record("王测试", 状态="已撤销"))
    scratch.build()
    assert not (scratch.output / "2024-test/wang-ce-shi").exists()
    campaign = scratch.html("2024-test/index.html")
    assert [c["data-slug"] for c in campaign.select("[data-card]")] == ["li-ce-shi"]
    notice = scratch.html("2024-test/notice/index.html")
    assert "王测试" not in notice.get_text()


def test_proposed_records_are_not_published(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    scratch.honoree("zhao-ce-shi", text=record("赵测试", 状态="拟推荐"))
    scratch.build()
    assert not (scratch.output / "2024-test/zhao-ce-shi").exists()


def test_two_builds_are_byte_identical(scratch: Scratch, tmp_path: Path) -> None:
    scratch.honoree("li-ce-shi", photos=2)
    scratch.build()
    first = scratch.tree()
    shutil.rmtree(tmp_path / "cache")  # even with a cold cache
    scratch.build()
    assert scratch.tree() == first


def test_refuses_to_replace_a_foreign_folder(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    scratch.output.mkdir()
    (scratch.output / "thesis.docx").write_bytes(b"precious")
    from site_builder.errors import UsageError

    with pytest.raises(UsageError):
        scratch.build()
    assert (scratch.output / "thesis.docx").read_bytes() == b"precious"


@pytest.mark.parametrize("site", ["content", "examples/jiujiang-2022", "examples/jiaozuo-2024"])
def test_shipped_sites_build(site: str, tmp_path: Path) -> None:
    source = ROOT / site
    content = source / "content" if site.startswith("examples") else source
    result = build(BuildOptions(content=content, output=tmp_path / "out", cache=tmp_path / "cache"))
    assert result.pages >= 5
    assert not result.warnings, [str(w) for w in result.warnings]
    if site == "content":
        profiles = list((tmp_path / "out").glob("*/*/index.html"))
        assert len([p for p in profiles if p.parent.name != "notice"]) >= 12


def test_unchanged_site_is_recognised_and_any_change_rebuilds(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi", photos=1)
    scratch.build()
    before = scratch.tree()
    again = scratch.build()
    assert again.unchanged and scratch.tree() == before
    story = scratch.campaign / "honorees" / "li-ce-shi" / "index.md"
    story.write_text(story.read_text("utf-8").replace("从不抱怨", "从不叫苦"), "utf-8")
    edited = scratch.build()
    assert (
        not edited.unchanged
        and "从不叫苦" in (scratch.output / "2024-test/li-ce-shi/index.html").read_text()
    )
    assert scratch.build().unchanged  # what the edit staged is what output/ holds
    (scratch.output / "404.html").unlink()  # output changed by hand: rebuilt, not trusted
    assert not scratch.build().unchanged and (scratch.output / "404.html").is_file()
    assert not scratch.build(force=True).unchanged


def test_the_command_exits_with_its_code_and_every_line_of_its_output(scratch: Scratch) -> None:
    """``site-builder`` ends with os._exit (no freeing of the heap): what it printed to a
    pipe still arrives in full, and the exit code is main's."""
    scratch.honoree("li-ce-shi")
    command = [sys.executable, "-m", "site_builder", "build", "--content", "content"]
    built = subprocess.run(command, cwd=scratch.root, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("已生成 output/：") and built.stdout.endswith("秒。\n")
    (scratch.campaign / "honorees/li-ce-shi/index.md").write_text("---\n性别: 难\n", "utf-8")
    failed = subprocess.run(command, cwd=scratch.root, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1
    assert failed.stderr.rstrip().endswith("请按提示修改后重新运行。")


def test_a_story_edited_is_rebuilt_without_importing_what_it_does_not_use(
    scratch: Scratch,
) -> None:
    """The command's progress bar (rich.progress) is made once there are images to wait
    for: a build with photos shows it on a terminal and finishes as ever. A story edited
    since makes no image and starts no worker: neither rich.progress nor the process pool
    (multiprocessing's queues and connections) is imported, nor Python-Markdown for a
    story of plain paragraphs: some 70 ms of an edit's rebuild. With -q nothing is
    printed, and rich's console is not imported either."""
    scratch.honoree("li-ce-shi", photos=1)
    command = [sys.executable, "-X", "importtime", "-m", "site_builder", "build"]
    env = {**os.environ, "COLUMNS": "100", "FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"}
    first = subprocess.run(command, cwd=scratch.root, capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    assert "rich.progress" in first.stderr and "处理图片和二维码" in first.stderr
    assert first.stdout.startswith("已生成 output/：")
    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    story.write_text(story.read_text("utf-8") + "\n又一段。\n", "utf-8")  # plain paragraphs
    again = subprocess.run(command, cwd=scratch.root, capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stderr
    assert "rich.progress" not in again.stderr and "处理图片" not in again.stderr
    imported = again.stderr.replace(" ", "")
    assert "|markdown\n" not in imported and "|concurrent.futures.process\n" not in imported
    assert "|concurrent.futures.process\n" in first.stderr.replace(" ", "")
    assert "又一段。" in (scratch.output / "2024-test/li-ce-shi/index.html").read_text("utf-8")
    story.write_text(story.read_text("utf-8") + "\n再一段。\n", "utf-8")
    quiet = subprocess.run([*command, "-q"], cwd=scratch.root, capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stdout == "", quiet.stderr
    assert "|rich.console\n" not in quiet.stderr.replace(" ", "")
    assert "|rich.console\n" in again.stderr.replace(" ", "")  # it printed 已生成
