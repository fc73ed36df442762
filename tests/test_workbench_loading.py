"""The workbench reads the site through a record cache kept in memory: what a page shows
is what is on disk, even when a file is written again so fast that its size and time
stay the same (file times tick in milliseconds)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .test_workbench_settings import jiaozuo_bench, soup

JZ = "2024-jiaozuo-xinjiuye"


def _written_an_hour_ago(content: Path) -> int:
    """Every record's file dated an hour back (nothing racy about them for the record
    cache, however fast the machine); that time, in nanoseconds."""
    old = time.time_ns() - 3600 * 10**9
    for path in content.rglob("index.md"):
        os.utime(path, ns=(old, old))
    return old


def _parsed(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """The folders whose index.md the record cache parses from now on, in order."""
    from site_builder.load import cache

    reads: list[str] = []
    real = cache.load_honoree
    monkeypatch.setattr(
        cache,
        "load_honoree",
        lambda folder, problems: reads.append(folder.name) or real(folder, problems),
    )
    return reads


def _status(page: bytes) -> str:
    return soup(page).select_one("#f-status option[selected]").get_text()


def test_a_record_written_again_within_the_same_tick_is_read_again(tmp_path: Path) -> None:
    bench = jiaozuo_bench(tmp_path)
    record = bench.options.content / JZ / "honorees/shen-li/index.md"
    text = record.read_text("utf-8")
    assert "状态: 已审定" in text
    # A time that counts as "just now" whatever the machine's pace: a day ahead.
    tick = time.time_ns() + 86_400 * 10**9
    os.utime(record, ns=(tick, tick))
    assert _status(bench.handle("GET", f"{JZ}/shen-li/", {}, None).body) == "已审定"
    record.write_text(text.replace("状态: 已审定", "状态: 拟推荐"), "utf-8")  # same size
    os.utime(record, ns=(tick, tick))  # and the same time: only the bytes differ
    assert _status(bench.handle("GET", f"{JZ}/shen-li/", {}, None).body) == "拟推荐"


def test_records_unchanged_are_not_parsed_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]

    bench = jiaozuo_bench(tmp_path)
    _written_an_hour_ago(bench.options.content)
    bench.handle("GET", f"{JZ}/", {}, None)
    reads = _parsed(monkeypatch)
    bench.handle("GET", f"{JZ}/", {}, None)
    assert reads == []
    record = bench.options.content / JZ / "honorees/shen-li/index.md"
    record.write_text(record.read_text("utf-8") + "\n补充一句。\n", "utf-8")
    bench.handle("GET", f"{JZ}/", {}, None)
    assert reads == ["shen-li"]


def test_a_workbench_started_again_reads_its_records_from_the_cache(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The officer starts serve every morning: the workbench's first page unpickles the
    records its last run kept (its own cache folder) instead of parsing every one. A
    保存 does not write that cache on its way (it would delay the preview): a record
    edited since is parsed again at the next start, and only it."""
    from site_builder.workbench.app import Workbench

    from .test_workbench_settings import ORIGIN, TOKEN

    bench = jiaozuo_bench(tmp_path)
    old = _written_an_hour_ago(bench.options.content)
    assert bench.handle("GET", f"{JZ}/", {}, None).status == 200
    kept = {
        p: p.stat().st_mtime_ns for p in (bench.options.cache_dir / "workbench").rglob("*.pickle")
    }
    assert kept
    # A record edited (a 保存) is read again, but the cache is not written on the way.
    record = bench.options.content / JZ / "honorees/shen-li/index.md"
    record.write_text(record.read_text("utf-8") + "\n补充一句。\n", "utf-8")
    assert "补充一句" in bench.handle("GET", f"{JZ}/shen-li/", {}, None).body.decode()
    assert {p: p.stat().st_mtime_ns for p in kept} == kept
    os.utime(record, ns=(old, old))
    reads = _parsed(monkeypatch)
    again = Workbench(bench.options, TOKEN, {ORIGIN})
    page = soup(again.handle("GET", f"{JZ}/", {}, None).body).get_text()
    assert reads == ["shen-li"] and "沈丽" in page  # only the record edited since


def test_the_record_form_finds_private_values_of_other_campaigns(tmp_path: Path) -> None:
    """The form and the campaign page check only their own campaign (a tenth of the time
    at 2,000 records), but for the private values of every campaign: an address from
    another campaign's record pasted into a story is named on this form and on its
    campaign's list of what is left to do, and nowhere else."""
    import shutil

    bench = jiaozuo_bench(tmp_path)
    other = "2022-jiujiang-zuimei"
    shutil.copytree(
        Path(__file__).parent.parent / "examples/jiujiang-2022/content" / other,
        bench.options.content / other,
    )
    he_jun = bench.options.content / other / "honorees/he-jun/index.md"
    text = he_jun.read_text("utf-8")
    he_jun.write_text(
        text.replace("详细地址: 示例市示例路3号3单元", "详细地址: 示例市九江路77号2单元")
    )
    record = bench.options.content / JZ / "honorees/shen-li/index.md"
    record.write_text(record.read_text("utf-8") + "\n她常去示例市九江路77号2单元看望老人。\n")
    page = soup(bench.handle("GET", f"{JZ}/shen-li/", {}, None).body).get_text()
    assert "不公开字段的内容“示例市*****号2单元”（来自 he-ju" in page, page[:3000]
    elsewhere = soup(bench.handle("GET", f"{JZ}/dong-peng/", {}, None).body).get_text()
    assert "不公开字段的内容" not in elsewhere
    todo = soup(bench.handle("GET", f"{JZ}/", {}, None).body).select("ul.todo li")
    assert any("不公开字段的内容“示例市*****号2单元”" in li.get_text() for li in todo)
    other_todo = soup(bench.handle("GET", f"{other}/", {}, None).body).get_text()
    assert "不公开字段的内容" not in other_todo


def test_a_save_in_the_workbench_rebuilds_the_preview_incrementally(tmp_path: Path) -> None:
    """The officer's 保存 goes through the preview's own rebuild in memory: the pages that
    show the record are rendered again (not the site), and the preview shows the change."""
    import shutil

    from site_builder.dev.serve import start
    from site_builder.options import BuildOptions

    from .test_workbench_settings import ORIGIN, ROOT, TOKEN, form_of

    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", tmp_path / "content")
    said: list[str] = []
    options = BuildOptions(content=tmp_path / "content", cache=tmp_path / "cache")
    server = start(options, port=0, log=said.append)
    try:
        assert server.wait_ready(timeout=120) and not server.site.state.problems
        bench = server.workbench
        assert bench is not None
        bench.token = TOKEN
        bench.origins.add(ORIGIN)
        assert _lines(said, 1), said  # the first rendering: every file
        form = form_of(bench, f"{JZ}/shen-li/", "record-form")
        form["story"] = [form["story"][0] + "\n\n工作台里补写的一句。\n"]
        assert bench.handle("POST", f"{JZ}/shen-li/", form, ORIGIN).status == 303
        state = server.site.state
        with state.cond:  # bounded: the watcher sees the write within moments
            assert state.cond.wait_for(
                lambda: "工作台里补写的一句" in state.files[f"{JZ}/shen-li/index.html"].decode(),
                timeout=60,
            ), said
        assert _lines(said, 2), said
        assert server.site.rebuilds == 2, said  # the first rendering, then this save's
        first, again = (int(line.split("（")[1].split(" ")[0]) for line in said)
        # 已更新（N 个文件重新生成，…）: not one of the other people's pages among them
        others = [
            n for n, kind in state.kinds.items() if kind == "profile" and "/shen-li/" not in n
        ]
        assert len(others) >= 3 and 0 < again <= first - len(others), (said, others)
    finally:
        server.shutdown()


def _lines(said: list[str], n: int) -> bool:
    """Whether the preview has said ``n`` lines within a minute (each is said just after
    the browser was told): a bounded wait, not a timing."""
    for _ in range(600):
        if len(said) >= n:
            return len(said) == n
        time.sleep(0.1)
    return False


def test_a_portrait_dropped_into_a_folder_appears_in_the_running_preview(
    tmp_path: Path,
) -> None:
    """The officer copies portrait.jpg into a person's folder with Explorer while the
    preview runs; index.md does not change. The record kept in memory lists its folder
    again at the next rebuild, so the page shows the photo (it once waited for a
    restart, and a photo taken away was then said to be missing)."""
    import shutil

    from site_builder.dev.serve import start
    from site_builder.options import BuildOptions

    from .test_workbench_settings import ROOT

    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", tmp_path / "content")
    folder = tmp_path / "content" / JZ / "honorees/dong-peng"
    record = folder / "index.md"
    text = record.read_text("utf-8")
    start_at = text.index("证件照:")
    end_at = text.index("工作照:")
    assert "portrait.jpg" in text[start_at:end_at]
    record.write_text(text[:start_at] + text[end_at:], "utf-8")  # the default name, unnamed
    (folder / "portrait.jpg").rename(tmp_path / "portrait.jpg")
    said: list[str] = []
    options = BuildOptions(content=tmp_path / "content", cache=tmp_path / "cache")
    server = start(options, port=0, log=said.append)
    try:
        assert server.wait_ready(timeout=120) and not server.site.state.problems
        state = server.site.state
        page = f"{JZ}/dong-peng/index.html"
        assert 'class="portrait"' not in state.files[page].decode()
        shutil.copy(tmp_path / "portrait.jpg", folder / "portrait.jpg")
        with state.cond:  # bounded: the watcher sees the new file within moments
            assert state.cond.wait_for(
                lambda: 'class="portrait"' in state.files[page].decode(), timeout=60
            ), said
        (folder / "portrait.jpg").unlink()
        with state.cond:
            assert state.cond.wait_for(
                lambda: 'class="portrait"' not in state.files[page].decode(), timeout=60
            ), said
        assert not state.problems, state.problems
    finally:
        server.shutdown()


def test_serve_reads_the_workbench_records_once_the_preview_is_ready(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The first time serve runs on an archive, the workbench's records are read in the
    background once the preview is ready: the officer's first workbench page parses
    none of them."""
    import shutil

    from site_builder.dev.serve import start
    from site_builder.options import BuildOptions

    from .test_workbench_settings import ORIGIN, ROOT, TOKEN

    shutil.copytree(ROOT / "examples/jiaozuo-2024/content", tmp_path / "content")
    _written_an_hour_ago(tmp_path / "content")
    options = BuildOptions(content=tmp_path / "content", cache=tmp_path / "cache")
    server = start(options, port=0, log=lambda _: None)
    try:
        assert server.wait_ready(timeout=120)
        bench = server.workbench
        assert bench is not None
        for _ in range(600):  # bounded: the background reading starts within moments
            if bench.loader.records.entries:
                break
            time.sleep(0.1)
        with bench.loader.lock:  # held while it reads: now it is done
            assert bench.loader.records.entries
        bench.token = TOKEN
        bench.origins.add(ORIGIN)
        reads = _parsed(monkeypatch)
        page = soup(bench.handle("GET", f"{JZ}/", {}, None).body).get_text()
        assert reads == [] and "沈丽" in page
    finally:
        server.shutdown()
