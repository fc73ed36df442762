"""The live preview's pieces: debouncing, error overlay (what a change invalidates: test_plan);
and the officer's commands (new, check, --version, --help)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.dev.serve import DevSite, changes
from site_builder.pipeline import BuildOptions

from .conftest import Scratch, record


def test_a_burst_of_saves_is_one_batch(tmp_path: Path) -> None:
    stop = threading.Event()
    batches: list[set[Path]] = []
    watching = threading.Event()

    def consume() -> None:
        for batch in changes([tmp_path], stop, debounce_ms=150):
            watching.set()  # the first batch is empty: the watcher runs from then on
            if batch:
                batches.append(batch)

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    assert watching.wait(timeout=30)
    for i in range(5):
        (tmp_path / f"f{i}.md").write_text(str(i))
        time.sleep(0.02)
    deadline = time.time() + 5
    while not batches and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    stop.set()
    thread.join(timeout=5)
    assert len(batches) == 1
    assert {p.name for p in batches[0]} == {f"f{i}.md" for i in range(5)}


def test_a_save_during_the_first_rendering_is_not_lost(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first rendering of an archive takes seconds, and nothing watches the files
    yet: a story saved meanwhile is found once the watcher runs, and rendered."""
    from site_builder.dev import serve

    scratch.honoree("li-ce-shi")
    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    real = serve.DevSite.rebuild

    def rebuild(self: DevSite, changed: object = None) -> None:
        real(self, changed)  # type: ignore[arg-type]
        if self.rebuilds == 1:  # saved just as the first rendering ends, before any watcher
            story.write_text(story.read_text("utf-8") + "\n首次生成时保存的一句。\n", "utf-8")

    monkeypatch.setattr(serve.DevSite, "rebuild", rebuild)
    server = serve.start(
        BuildOptions(content=scratch.content, cache=scratch.root / "cache"), port=0, log=print
    )
    try:
        state = server.site.state

        def shown() -> bool:
            return any(
                "首次生成时保存的一句" in data.decode(errors="replace")
                for name, data in state.files.items()
                if name.endswith("li-ce-shi/index.html")
            )

        with state.cond:  # bounded: once the watcher runs, the save is found
            assert state.cond.wait_for(shown, timeout=60)
        assert server.site.rebuilds == 2  # the first rendering, then the save's
    finally:
        server.shutdown()


def test_dev_site_rebuilds_incrementally_and_recovers_from_errors(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    site = DevSite(
        BuildOptions(content=scratch.content, cache=scratch.root / "cache"), log=lambda _: None
    )
    site.rebuild()
    before = dict(site.state.files)
    assert "2024-test/li-ce-shi/index.html" in before

    story = scratch.campaign / "honorees" / "li-ce-shi" / "index.md"
    story.write_text(record().replace("他每天送件，从不抱怨。", "新写的一段事迹。"), "utf-8")
    site.rebuild({story})
    files = site.state.files
    assert "新写的一段事迹" in files["2024-test/li-ce-shi/index.html"].decode()
    assert files["2024-test/wang-ce-shi/index.html"] == before["2024-test/wang-ce-shi/index.html"]
    # the same files, but for the search data whose content (and so name) changed
    assert {
        k for k in set(files) ^ set(before) if not k.startswith("assets/2024-test/search.")
    } == set()

    story.write_text("---\n姓名: [坏\n---\n", "utf-8")
    site.rebuild({story})
    assert site.state.problems and "YAML" in site.state.problems[0].message
    assert (
        "新写的一段事迹" in site.state.files["2024-test/li-ce-shi/index.html"].decode()
    )  # last good kept

    story.write_text(record(), "utf-8")
    site.rebuild({story})
    assert site.state.problems == []
    assert "他每天送件" in site.state.files["2024-test/li-ce-shi/index.html"].decode()


def test_new_commands_scaffold_a_site_that_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "site"]) == 0
    assert main(["new", "campaign", "2025-demo"]) == 0
    assert main(["new", "honoree", "2025-demo", "单国庆", "--unit", "甲县总工会"]) == 0
    assert (
        main(["new", "honoree", "2025-demo", "单 国庆", "--unit", "乙县总工会"]) == 0
    )  # a homonym
    folders = sorted(p.name for p in (tmp_path / "content/2025-demo/honorees").iterdir())
    assert folders[0] == "shan-guoqing" and folders[1].startswith("shan-guoqing-")
    assert main(["new", "campaign", "2025-demo"]) == 2  # never overwrites
    assert main(["new", "campaign", "Bad Name"]) == 2
    capsys.readouterr()
    # a fresh scaffold has only drafts: it checks with warnings, not errors
    assert main(["check", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report and all(p["severity"] == "warning" for p in report)
    assert main(["check", "--strict"]) == 1


def test_version_and_chinese_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and "site-builder" in capsys.readouterr().out
    for argv in (
        ["--help"],
        ["build", "--help"],
        ["serve", "--help"],
        ["new", "honoree", "--help"],
    ):
        with pytest.raises(SystemExit):
            main(argv)
        text = capsys.readouterr().out
        assert "用法：" in text and "显示本帮助并退出" in text
    with pytest.raises(SystemExit) as info:
        main(["build", "--no-such-option"])
    assert info.value.code == 2 and "无法识别的参数" in capsys.readouterr().err


def test_build_command_reports_nothing_to_do_and_force_rebuilds(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    monkeypatch.chdir(scratch.root)
    argv = ["build", "--output", "output", "--cache", "cache"]
    assert main(argv) == 0
    assert "已生成" in capsys.readouterr().out
    assert main(argv) == 0
    assert "内容没有变化" in capsys.readouterr().out
    assert main([*argv, "--force"]) == 0
    assert "已生成" in capsys.readouterr().out
