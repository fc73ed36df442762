"""A build killed at each named moment, and on a disk that is full or read-only: a reader's
server always finds a whole output/, nothing the build started outlives it, the next
build cleans up, and the officer gets a message (exit 1), not an internal error."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.cli import main

from .conftest import ROOT, Scratch


def _tree(output: Path) -> str:
    """The digest of every file of output/ (its name and bytes): one value per whole tree."""
    found = sorted(p for p in output.rglob("*") if p.is_file())
    assert found, f"{output} is empty"
    digest = hashlib.sha256()
    for path in found:
        digest.update(path.relative_to(output).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _build(
    scratch: Scratch, die_at: str = "", exchange: bool = True, output: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITE_BUILDER_")}
    if die_at:
        env["SITE_BUILDER_DIE_AT"] = die_at
    if not exchange:
        env["SITE_BUILDER_NO_EXCHANGE"] = "1"
    command = [sys.executable, "-m", "site_builder", "build", "--force", "-q"]
    command += ["--content", str(scratch.content), "--output", str(output or scratch.output)]
    command += ["--cache", str(scratch.root / "cache")]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)


def _leftovers(scratch: Scratch) -> list[str]:
    return sorted(
        p.name
        for p in scratch.root.iterdir()
        if p.name.startswith(".output.") and p.name != ".output.previous"
    )


def _edit(scratch: Scratch, words: str) -> None:
    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    story.write_text(story.read_text("utf-8") + f"\n{words}\n", "utf-8")


@pytest.mark.parametrize("moment", ["staged", "swapped"])
def test_a_build_killed_at_any_moment_leaves_a_whole_output(scratch: Scratch, moment: str) -> None:
    scratch.honoree("li-ce-shi", photos=1)
    assert _build(scratch).returncode == 0
    old = _tree(scratch.output)
    _edit(scratch, "又补充了一段事迹。")
    assert _build(scratch).returncode == 0
    new = _tree(scratch.output)
    assert old != new
    _edit(scratch, "第三次补充。")
    killed = _build(scratch, die_at=moment)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if moment == "staged":  # killed before the swap: the last good site, whole
        assert _tree(scratch.output) == new
    else:  # killed just after it: the new site, whole, as a build to elsewhere makes it
        reference = scratch.root / "reference"
        assert _build(scratch, output=reference).returncode == 0
        assert _tree(scratch.output) == _tree(reference)
    assert (scratch.output / ".site-builder-output").is_file()
    again = _build(scratch)
    assert again.returncode == 0, again.stderr
    assert "第三次补充" in (scratch.output / "2024-test/li-ce-shi/index.html").read_text("utf-8")
    assert _leftovers(scratch) == []


def test_without_an_atomic_exchange_the_next_build_puts_output_back(scratch: Scratch) -> None:
    """Where folders cannot be exchanged in one step (Windows), a kill between the two
    renames leaves output/ aside; the next build puts it back and removes the leftover."""
    scratch.honoree("li-ce-shi", photos=1)
    assert _build(scratch, exchange=False).returncode == 0
    _edit(scratch, "补充。")
    killed = _build(scratch, die_at="between-renames", exchange=False)
    assert killed.returncode == -signal.SIGKILL
    assert _leftovers(scratch)  # output/ is aside as .output.old-N
    again = _build(scratch, exchange=False)
    assert again.returncode == 0, again.stderr
    assert (scratch.output / "2024-test/li-ce-shi/index.html").is_file()
    assert _leftovers(scratch) == []


def _processes_of(group: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == group and fields[0] != "Z":  # pgrp, not a zombie
                found.append(int(entry.name))
    return found


def test_image_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")  # 40 photos: the workers are busy
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITE_BUILDER_")}
    env["SITE_BUILDER_DIE_AT"] = "images"
    command = [sys.executable, "-m", "site_builder", "build", "-q", "--content", "content"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert process.wait(timeout=300) == -signal.SIGKILL
    # the workers were forked before the kill and are told by the kernel at once
    for _ in range(100):  # bounded: 10 s at most
        if not _processes_of(process.pid):
            break
        time.sleep(0.1)
    assert _processes_of(process.pid) == []


@contextlib.contextmanager
def _small_disk(folder: Path, size: str) -> Iterator[bool]:
    """A tmpfs of ``size`` at ``folder`` (True), or False where mounting is not allowed."""
    folder.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_a_message_and_output_stays_whole(
    scratch: Scratch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    scratch.honoree("li-ce-shi", photos=1)
    with _small_disk(tmp_path / "disk", "2m") as real:
        output = tmp_path / "disk" / "output"
        monkeypatch.chdir(scratch.root)
        args = ["build", "--content", "content", "--output", str(output)]
        assert main(args) == 0
        before = _tree(output)
        if real:  # fill the disk: the next build cannot stage
            filler = tmp_path / "disk" / "filler"
            with contextlib.suppress(OSError), filler.open("wb") as fh:
                while True:
                    fh.write(b"\0" * 65536)
        else:  # no mount allowed here: the file system's answer, as it would come
            from site_builder.write import output as writing

            def full(*_: object, **__: object) -> None:
                raise OSError(errno.ENOSPC, "No space left on device", str(output))

            monkeypatch.setattr(writing, "_bring_up_to_date", full)
        _edit(scratch, "新的一段。")
        capsys.readouterr()
        assert main(args) == 1
        err = capsys.readouterr().err
        assert "磁盘已满" in err and "请清理磁盘空间" in err and "程序内部错误" not in err
        assert _tree(output) == before


def test_a_read_only_output_is_a_message(
    scratch: Scratch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    scratch.honoree("li-ce-shi")
    with _small_disk(tmp_path / "ro", "8m") as real:
        output = tmp_path / "ro" / "output"
        monkeypatch.chdir(scratch.root)
        args = ["build", "--content", "content", "--output", str(output)]
        assert main(args) == 0
        if real:
            subprocess.run(["mount", "-o", "remount,ro", str(tmp_path / "ro")], check=True)
        else:
            from site_builder.write import output as writing

            def read_only(*_: object, **__: object) -> None:
                raise OSError(errno.EROFS, "Read-only file system", str(output))

            monkeypatch.setattr(writing, "_bring_up_to_date", read_only)
        _edit(scratch, "新的一段。")
        capsys.readouterr()
        assert main(args) == 1
        err = capsys.readouterr().err
        assert "只读" in err and "--output" in err and "程序内部错误" not in err
        assert (output / "2024-test/li-ce-shi/index.html").is_file()
