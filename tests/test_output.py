"""Writing output/: readable by a web server's user, and swapped in even where the folder
cannot be renamed (Windows, while Explorer or a terminal has it open)."""

from __future__ import annotations

import itertools
import os
import shutil
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.write import atomic
from site_builder.write import output as output_module
from site_builder.write.atomic import atomic_write

from .conftest import Scratch, record


@pytest.fixture
def strict_umask() -> Iterator[None]:
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.parametrize("threads_from", [output_module.PARALLEL_FROM, 1])
def test_every_published_file_is_world_readable(
    scratch: Scratch, strict_umask: None, monkeypatch: pytest.MonkeyPatch, threads_from: int
) -> None:
    monkeypatch.setattr(output_module, "PARALLEL_FROM", threads_from)  # 1: all on threads
    scratch.honoree("li-ce-shi", photos=2)
    scratch.build()
    for path in [scratch.output, *scratch.output.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        expected = 0o755 if path.is_dir() else 0o644
        assert mode == expected, f"{path.relative_to(scratch.output)}: {oct(mode)}"


def test_atomic_write_leaves_no_temporary_file_and_keeps_the_old_one_on_failure(
    tmp_path: Path,
) -> None:
    target = tmp_path / "a" / "x.bin"
    atomic_write(target, b"one")

    def broken(fh: object) -> None:
        raise RuntimeError("encoder failed")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_bytes() == b"one"
    assert [p.name for p in target.parent.iterdir()] == ["x.bin"]


def test_atomic_write_never_writes_into_a_temporary_file_a_killed_process_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strict_umask: None
) -> None:
    """A process killed mid-write leaves its ``.part`` file; a later process with the same
    number (pids are reused) takes the next name instead of writing into it."""
    target = tmp_path / "x.bin"
    monkeypatch.setattr(atomic, "_COUNT", itertools.count(7))
    stale = tmp_path / f".x.bin.{os.getpid()}-{threading.get_ident()}-7.part"
    stale.write_bytes(b"half of an old file")
    atomic_write(target, b"new")
    atomic_write(target, lambda fh: fh.write(b"newer"))
    assert target.read_bytes() == b"newer"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # whatever the umask
    assert stale.read_bytes() == b"half of an old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [stale.name, "x.bin"]


def test_output_that_cannot_be_renamed_is_updated_file_by_file(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to rename an open folder: the swap falls back to moving files in."""
    scratch.honoree("li-ce-shi", photos=1)
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    scratch.build()

    # What a normal build of the changed content gives, for comparison.
    (scratch.campaign / "honorees" / "wang-ce-shi" / "index.md").unlink()
    (scratch.campaign / "honorees" / "wang-ce-shi").rmdir()
    story = scratch.campaign / "honorees" / "li-ce-shi" / "index.md"
    story.write_text(story.read_text("utf-8") + "\n新增的一段事迹。\n", "utf-8")
    expected_root = scratch.root / "expected"
    scratch.build(output=expected_root)
    expected = {
        p.relative_to(expected_root).as_posix(): p.read_bytes()
        for p in expected_root.rglob("*")
        if p.is_file()
    }

    moved: list[str] = []
    real_replace = output_module.replace

    def windows_replace(source: Path | str, target: Path | str) -> None:
        if Path(source).is_dir():
            raise PermissionError(32, "另一个程序正在使用此文件，进程无法访问。")
        moved.append(Path(target).relative_to(scratch.output.resolve()).as_posix())
        real_replace(source, target)

    monkeypatch.setattr(output_module, "replace", windows_replace)
    monkeypatch.setattr(output_module, "exchange", lambda a, b: False)  # none on Windows
    scratch.build()
    assert scratch.tree() == expected  # same files, same bytes, nothing stale
    assert not (scratch.output / "2024-test" / "wang-ce-shi").exists()
    assert not list(scratch.root.glob(".output.staging-*"))
    pages = [i for i, name in enumerate(moved) if name.endswith(".html")]
    others = [i for i, name in enumerate(moved) if not name.endswith(".html")]
    assert pages and others and max(others) < min(pages)  # assets first, then pages


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("threads_from", [output_module.PARALLEL_FROM, 1])
def test_the_set_aside_output_is_staged_into_without_writing_through(
    scratch: Scratch, strict_umask: None, monkeypatch: pytest.MonkeyPatch, threads_from: int
) -> None:
    """Each build stages into the output the swap before set aside, whose files share
    inodes with the live output/: after every build the set-aside tree must still be the
    previous output byte for byte, and output/ what a fresh build makes (also with every
    file, link and folder made on threads, as an archive's are)."""
    monkeypatch.setattr(output_module, "PARALLEL_FROM", threads_from)
    scratch.honoree("li-ce-shi", photos=2)
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    scratch.build()
    story = scratch.campaign / "honorees" / "li-ce-shi" / "index.md"
    previous = scratch.root / ".output.previous"
    edits = [
        lambda: story.write_text(story.read_text("utf-8") + "\n新增一段。\n", "utf-8"),
        lambda: scratch.honoree("zhao-ce-shi", text=record("赵测试")),  # new folders
        lambda: shutil.rmtree(scratch.campaign / "honorees" / "wang-ce-shi"),
        lambda: story.write_text(story.read_text("utf-8") + "\n又一段。\n", "utf-8"),
    ]
    for i, edit in enumerate(edits):
        before = scratch.tree()
        edit()
        (previous / "junk.txt").parent.mkdir(exist_ok=True)
        (previous / "junk.txt").write_bytes(b"left by hand")  # anything stray goes
        scratch.build()
        assert _files(previous) == before, f"edit {i}: the old output was written through"
        scratch.build(output=scratch.root / "fresh", cache=scratch.root / f"cache-{i}")
        assert scratch.tree() == _files(scratch.root / "fresh"), f"edit {i}"
        for path in [scratch.output, *scratch.output.rglob("*")]:
            assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644)
    assert not (scratch.output / "2024-test" / "wang-ce-shi").exists()
    assert not list(scratch.root.glob(".output.staging-*"))


def test_a_set_aside_output_is_never_written_through_a_link_and_may_fail(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch.honoree("li-ce-shi", photos=1)
    scratch.build()
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    scratch.build()  # sets the first output aside
    previous = scratch.root / ".output.previous"
    outside = scratch.root / "elsewhere"
    outside.mkdir()
    (outside / "index.html").write_text("不能被改动", "utf-8")
    shutil.rmtree(previous / "2024-test")
    (previous / "2024-test").symlink_to(outside)
    # A linked file with the very bytes the build writes is replaced all the same.
    shutil.copyfile(previous / "robots.txt", outside / "robots.txt")
    (previous / "robots.txt").unlink()
    (previous / "robots.txt").symlink_to(outside / "robots.txt")
    scratch.honoree("zhao-ce-shi", text=record("赵测试"))
    scratch.build()
    assert sorted(p.name for p in outside.iterdir()) == ["index.html", "robots.txt"]
    assert (outside / "index.html").read_text("utf-8") == "不能被改动"
    assert not (scratch.output / "robots.txt").is_symlink()

    real = output_module._bring_up_to_date
    calls: list[Path] = []

    def fails_once(root: Path, *args: object) -> dict[str, int]:
        calls.append(root)
        if len(calls) == 1:
            raise OSError(5, "输入/输出错误")
        return real(root, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(output_module, "_bring_up_to_date", fails_once)
    scratch.honoree("sun-ce-shi", text=record("孙测试"))
    scratch.build()
    assert len(calls) == 2  # the set-aside tree failed: a fresh one was made
    monkeypatch.undo()
    scratch.build(output=scratch.root / "fresh", cache=scratch.root / "cache-fresh")
    assert scratch.tree() == _files(scratch.root / "fresh")


def test_the_fingerprint_walk_lists_files_as_os_walk_would(tmp_path: Path) -> None:
    """What the no-op check and output/'s digest are made of: every file, hidden files
    included, folder by folder in sorted order, hidden folders and __pycache__ left out,
    and a link to a folder (even one that loops back) not followed."""
    from site_builder.write.fingerprint import walk

    for rel in ["b/z.md", "b/a/y.md", "a.txt", ".hidden-file", ".git/x", "__pycache__/c.pyc"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel, "utf-8")
    (tmp_path / "b/a/loop").symlink_to(tmp_path / "b", target_is_directory=True)
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    expected = []
    for folder, dirs, files in os.walk(tmp_path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        rel = Path(folder).relative_to(tmp_path).as_posix()
        expected += [name if rel == "." else f"{rel}/{name}" for name in sorted(files)]
    assert list(walk(tmp_path)) == expected
    assert expected == [".hidden-file", "a.txt", "link.txt", "b/z.md", "b/a/y.md"]
    assert walk(tmp_path / "missing") == {}


def test_staging_on_threads_makes_exactly_the_tree_and_stops_at_the_first_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An archive's thousands of folders, pages and links are made on threads: the staged
    tree is exactly the one asked for (links share the cache's inode), staging into the
    set-aside tree replaces only what differs, and an error on any thread stops the
    build with output/ as it was."""
    cache, out = tmp_path / "cache", tmp_path / "output"
    cache.mkdir()
    n = 3 * output_module.PARALLEL_FROM
    sources = []
    for i in range(n):
        (cache / f"{i}.png").write_bytes(b"png %d" % i)
        sources.append(cache / f"{i}.png")

    def wanted(version: int) -> tuple[dict[str, bytes], dict[str, str | Path]]:
        files = {f"c{i % 3}/p{i:03d}/index.html": b"v%d page %d" % (version * (i % 2), i)
                 for i in range(n)}  # fmt: skip
        links: dict[str, str | Path] = {f"c{i % 3}/p{i:03d}/qr.png": sources[i] for i in range(n)}
        return files, links

    for version in (1, 2):  # the second stages into the set-aside first tree
        files, links = wanted(version)
        staging, sizes = output_module.stage(out, files, links)
        output_module.swap_in(staging, out, keep=True)
        assert _files(out) == {**files, **{k: Path(v).read_bytes() for k, v in links.items()},
                               output_module.MARKER: b""}  # fmt: skip
        assert sizes == {name: len(data) for name, data in _files(out).items()}
        for name, source in links.items():
            assert (out / name).stat().st_ino == Path(source).stat().st_ino, name
    assert (tmp_path / ".output.previous" / "c1/p001/index.html").read_bytes() == b"v1 page 1"

    before = _files(out)
    made: list[str] = []

    def link(item: tuple[str, str | Path]) -> None:
        made.append(item[0])
        if (
            len(made) >= n // 2
        ):  # a full disk, also for the fresh tree tried after the set-aside one
            raise OSError(28, "No space left on device")
        os.link(item[1], item[0])

    monkeypatch.setattr(output_module, "_link", link)
    files, links = wanted(3)
    with pytest.raises(OSError, match="No space"):
        output_module.stage(out, files, {f"new/{k}": v for k, v in links.items()})
    assert n // 2 <= len(made) < 2 * n and _files(out) == before
    assert not list(tmp_path.glob(".output.staging-*"))
