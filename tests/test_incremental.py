"""Incremental builds: after one edit only the pages that depend on it are rendered, the
rest are hard links to the last output — and the result is exactly a full build's."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from site_builder.errors import ContentError
from site_builder.model.urls import is_hashed
from site_builder.pages import theme as theme_module

from .conftest import CAMPAIGN_YAML, SITE_YAML, Scratch, record, valid_id


def _site(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    scratch.honoree("zhao-ce-shi", text=record("赵测试"))


def _two_campaigns(scratch: Scratch) -> None:
    """``_site`` (2024) and a 2023 campaign with one record."""
    _site(scratch)
    scratch.write("2023-test/campaign.yaml", CAMPAIGN_YAML.replace("2024", "2023"))
    folder = scratch.content / "2023-test/honorees/sun-ce-shi"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(record("孙测试"), "utf-8")


def _full_build_tree(scratch: Scratch, tmp_path: Path) -> dict[str, bytes]:
    full = tmp_path / "full"
    scratch.build(output=full, force=True)
    return {p.relative_to(full).as_posix(): p.read_bytes() for p in full.rglob("*") if p.is_file()}


def test_one_edit_renders_its_pages_and_links_the_rest(scratch: Scratch, tmp_path: Path) -> None:
    _site(scratch)
    first = scratch.build()
    unchanged = scratch.output / "2024-test/wang-ce-shi/index.html"
    inode = unchanged.stat().st_ino

    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    story.write_text(story.read_text("utf-8") + "\n新补充的一段事迹。\n", "utf-8")
    second = scratch.build()
    assert second.rendered < first.rendered == first.pages  # not everything again
    assert "新补充的一段事迹" in (scratch.output / "2024-test/li-ce-shi/index.html").read_text()
    assert unchanged.stat().st_ino == inode  # the unchanged page was linked, not rewritten
    assert scratch.tree() == _full_build_tree(scratch, tmp_path)


def test_removed_and_renamed_pages_disappear(scratch: Scratch, tmp_path: Path) -> None:
    _site(scratch)
    scratch.build()
    shutil.rmtree(scratch.campaign / "honorees/zhao-ce-shi")
    wang = scratch.campaign / "honorees/wang-ce-shi/index.md"
    wang.write_text(record("王测试", 网址名="wang-xin"), "utf-8")
    scratch.build()
    assert not (scratch.output / "2024-test/zhao-ce-shi").exists()
    assert not (scratch.output / "2024-test/wang-ce-shi").exists()
    assert (scratch.output / "2024-test/wang-xin/index.html").is_file()
    assert scratch.tree() == _full_build_tree(scratch, tmp_path)


def test_new_private_value_is_found_on_an_unchanged_page(scratch: Scratch) -> None:
    """A contact person added to one record, named in another's story: the other page did
    not change, but the detector did, so every reused page is scanned again."""
    scratch.honoree("li-ce-shi")
    text = record("王测试").replace("他每天送件，从不抱怨。", "他的师傅是陈秘密先生。")
    scratch.honoree("wang-ce-shi", text=text)
    scratch.build()
    li = scratch.campaign / "honorees/li-ce-shi/index.md"
    li.write_text(li.read_text("utf-8").replace("联系人: 王联系", "联系人: 陈秘密"), "utf-8")
    with pytest.raises(ContentError) as caught:
        scratch.build()
    assert any("陈**" in p.message or "不公开" in p.message for p in caught.value.problems)


def test_theme_change_renders_every_page(scratch: Scratch, tmp_path: Path) -> None:
    _site(scratch)
    scratch.build()
    theme = scratch.root / "themes" / "zhuanti"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yml").write_text("继承: default\n", "utf-8")
    site = scratch.content / "site.yaml"
    site.write_text(site.read_text("utf-8") + "主题: zhuanti\n", "utf-8")
    scratch.build()
    (theme / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p id="own">x</p>{% endblock %}', "utf-8"
    )
    scratch.build()
    assert scratch.html("404.html").select_one("#own") is not None
    assert scratch.tree() == _full_build_tree(scratch, tmp_path)
    # Compiled templates are kept in the cache: an edited one is compiled again, even by
    # a new process (a fresh environment) within the same second.
    (theme / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p id="edited">y</p>{% endblock %}', "utf-8"
    )
    theme_module._environment.cache_clear()  # a new process: no environment memoised
    scratch.build()
    assert scratch.html("404.html").select_one("#edited") is not None
    assert any((scratch.root / "cache" / "templates").iterdir())
    # In one process (the preview), an edited template gives another Theme, so another
    # environment: nothing relies on Jinja looking at template files while it renders.
    edited = theme / "templates" / "404.html"
    edited.write_text(
        '{% extends "base.html" %}{% block main %}<p id="again">z</p>{% endblock %}', "utf-8"
    )
    later = edited.stat().st_mtime_ns + 1_000_000_000  # a distinct time on a coarse clock too
    os.utime(edited, ns=(later, later))
    scratch.build()
    assert scratch.html("404.html").select_one("#again") is not None


def test_an_edit_that_breaks_a_record_is_reported_not_served_from_the_cache(
    scratch: Scratch,
) -> None:
    _site(scratch)
    scratch.build()
    before = scratch.tree()
    li = scratch.campaign / "honorees/li-ce-shi/index.md"
    li.write_text(li.read_text("utf-8").replace("性别: 男", "性别: 难"), "utf-8")
    with pytest.raises(ContentError) as caught:
        scratch.build()
    assert any(p.field == "性别" for p in caught.value.problems)
    assert scratch.tree() == before


def test_output_changed_by_hand_means_a_full_build(scratch: Scratch, tmp_path: Path) -> None:
    _site(scratch)
    scratch.build()
    page = scratch.output / "2024-test/wang-ce-shi/index.html"
    os.unlink(page)
    page.write_text("edited by hand", "utf-8")
    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    story.write_text(story.read_text("utf-8") + "\n再补充。\n", "utf-8")
    scratch.build()
    assert scratch.tree() == _full_build_tree(scratch, tmp_path)


def test_record_cache_reads_and_writes_only_the_edited_campaign(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_builder.load import cache as cache_module

    _two_campaigns(scratch)
    scratch.build()
    assert len(list((scratch.root / "cache/records").glob("*.pickle"))) == 2  # one a campaign

    reads: list[str] = []
    writes: list[Path] = []
    real_load, real_write = cache_module.load_honoree, cache_module.atomic_write

    def load(folder: Path, problems: object) -> object:
        reads.append(folder.name)
        return real_load(folder, problems)  # type: ignore[arg-type]

    def write(target: Path, data: object) -> None:
        writes.append(target)
        real_write(target, data)

    monkeypatch.setattr(cache_module, "load_honoree", load)
    monkeypatch.setattr(cache_module, "atomic_write", write)
    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    story.write_text(story.read_text("utf-8") + "\n新补充的一段事迹。\n", "utf-8")
    scratch.build()
    assert reads == ["li-ce-shi"]  # the others came from the cache
    edited_campaign = cache_module.RecordCache._file_of((os.path.abspath(story), 0, 0))
    assert [p.name for p in writes] == [edited_campaign]  # 2023's file was left alone


def test_qr_codes_are_links_to_the_cache_and_go_with_their_page(scratch: Scratch) -> None:
    _site(scratch)
    stale = scratch.root / "cache/qr/00/0000.svg"  # what earlier versions kept beside each PNG
    stale.parent.mkdir(parents=True)
    stale.write_text("<svg/>")
    scratch.build()
    assert not stale.exists()
    assert not list(scratch.output.rglob("qr.svg"))
    qr = scratch.output / "2024-test/wang-ce-shi/qr.png"
    cached = {p.stat().st_ino for p in (scratch.root / "cache/qr").rglob("*.png")}
    inode = qr.stat().st_ino
    assert inode in cached  # linked, not copied
    shutil.rmtree(scratch.campaign / "honorees/wang-ce-shi")
    scratch.build()
    assert not qr.exists()
    remaining = {p.stat().st_ino for p in (scratch.root / "cache/qr").rglob("*.png")}
    assert remaining == cached - {inode}  # the withdrawn page's code was pruned


def test_records_read_in_worker_processes_build_the_same_site(
    scratch: Scratch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build reads many records on every core (RecordCache.prefetch): the site and
    every problem must be what reading them one by one gives."""
    from site_builder.load import cache as cache_module

    family, given = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨", "一二三四五六七八九十明华强军平安"
    scratch.write("site.yaml", SITE_YAML + "生成海报: 否\n")  # posters are beside the point
    scratch.write("2024-test/campaign.yaml", CAMPAIGN_YAML.replace("名额: 4", "名额: 200"))
    for i in range(2 * cache_module.PARALLEL_FROM + 3):
        name = f"{family[i % 16]}{given[i // 16]}测"
        fields = {"身份证号": f'"{valid_id(i)}"', "联系方式": f'"139{i:08d}"'}
        scratch.honoree(f"ce-shi-{i:03d}", text=record(name, **fields))
    scratch.honoree("huai", text=record("坏记录", 性别="难"))  # one broken record among them
    started: list[int] = []
    real_pool = cache_module.worker_pool

    def pool(max_workers: int) -> object:
        started.append(max_workers)
        return real_pool(max_workers)

    monkeypatch.setattr(cache_module, "worker_pool", pool)
    with pytest.raises(ContentError) as parallel:
        scratch.build(cache=tmp_path / "cache-a")
    assert started and started[0] >= 2  # the workers did read them
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 10**9)
    with pytest.raises(ContentError) as serial:
        scratch.build(cache=tmp_path / "cache-b")
    assert len(started) == 1
    assert [str(p) for p in parallel.value.problems] == [str(p) for p in serial.value.problems]

    shutil.rmtree(scratch.campaign / "honorees" / "huai")
    monkeypatch.undo()
    scratch.build(output=tmp_path / "a", cache=tmp_path / "cache-c")
    story = scratch.campaign / "honorees/ce-shi-007/index.md"  # then an edit, from the cache
    story.write_text(story.read_text("utf-8") + "\n新补充的一段事迹。\n", "utf-8")
    scratch.build(output=tmp_path / "a", cache=tmp_path / "cache-c")
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 10**9)
    scratch.build(output=tmp_path / "b", cache=tmp_path / "cache-d")
    tree = {
        p.relative_to(tmp_path / "a").as_posix(): p.read_bytes()
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    }
    assert tree == {
        p.relative_to(tmp_path / "b").as_posix(): p.read_bytes()
        for p in (tmp_path / "b").rglob("*")
        if p.is_file()
    }


def test_a_cached_record_reads_its_yaml_only_when_a_message_needs_a_line(
    scratch: Scratch,
) -> None:
    """The parsed YAML is kept packed in the record cache: loading a record does not
    unpack it, a message about the record does (with the right line), and saving the
    cache again does not unpack it either."""
    import pickle

    from site_builder.errors import Problems
    from site_builder.load.content import load_honoree

    folder = scratch.honoree("li-ce-shi", 工作单位="请填写工作单位")
    read = load_honoree(folder, Problems(None))
    assert read is not None
    line, prompts, draft = read.field_line("phone"), read.placeholders, read.draft
    cached = pickle.loads(pickle.dumps(read))
    assert "doc" not in vars(cached) and cached.placeholders == prompts and cached.draft == draft
    again = pickle.loads(pickle.dumps(cached))  # saved again untouched: still packed
    assert "doc" not in vars(cached) and "doc" not in vars(again)
    assert again.field_line("phone") == line and line is not None
    assert again.doc == read.doc and "doc" in vars(again)
    # And through builds: a prompt in an approved record is an error every time.
    for _ in range(2):
        with pytest.raises(ContentError) as caught:
            scratch.build()
        assert any("“请填写工作单位”还是模板里的提示文字" in str(p) for p in caught.value.problems)


def test_unchanged_hashed_files_are_linked_and_not_scanned_again(
    scratch: Scratch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another campaign's search data and the theme's assets are named by their bytes'
    hash: an edit elsewhere links them from output/ and does not scan them again."""
    from site_builder import gate

    _two_campaigns(scratch)
    scratch.build()
    hashed = {
        p.relative_to(scratch.output).as_posix(): p.stat().st_ino
        for p in scratch.output.rglob("*")
        if is_hashed(p.name)
    }
    assert {"2023", "2024"} <= {name[7:11] for name in hashed if "/search." in name}

    scanned: list[str] = []
    real_scan = gate.Scan

    def scan(files: dict[str, bytes], detector: object, started: object) -> object:
        scanned.extend(files)
        return real_scan(files, detector, started)  # type: ignore[arg-type]

    monkeypatch.setattr(gate, "Scan", scan)
    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    story.write_text(story.read_text("utf-8") + "\n新补充的一段事迹。\n", "utf-8")
    scratch.build()
    kept = {
        name
        for name, inode in hashed.items()
        if (scratch.output / name).is_file() and (scratch.output / name).stat().st_ino == inode
    }
    assert hashed.keys() - kept == {n for n in hashed if n.startswith("assets/2024-test/search.")}
    assert not any(is_hashed(name) and "2023" in name for name in scanned)
    assert any(is_hashed(name) and "2024" in name for name in scanned)
    monkeypatch.undo()
    assert scratch.tree() == _full_build_tree(scratch, tmp_path)
    # A hashed file changed by hand in output/ is not trusted: it is written again.
    css = next(scratch.output.glob("assets/site.*.css"))
    good = css.read_bytes()
    css.write_bytes(good + b"/* edited */")
    scratch.build()
    assert css.read_bytes() == good


def test_a_cached_record_keeps_its_story_and_pickling_does_not_double_it(
    scratch: Scratch,
) -> None:
    """Pickling a str keeps a UTF-8 copy inside it for as long as it lives: saving the
    cache of 10,000 records grew a build by 110 MiB. The story, as written and rendered,
    goes into the cache as bytes and comes back as the same text."""
    import pickle
    import sys

    from site_builder.errors import Problems
    from site_builder.load.content import load_honoree

    text = record().replace("他每天送件，从不抱怨。", "他每天送件，从不抱怨。" * 200)
    read = load_honoree(scratch.honoree("li-ce-shi", text=text), Problems(None))
    assert read is not None
    texts = (read.story, read.story_html, read.story_text)
    sizes = [sys.getsizeof(t) for t in texts]
    again = pickle.loads(pickle.dumps(read, pickle.HIGHEST_PROTOCOL))
    assert [sys.getsizeof(t) for t in texts] == sizes  # no copy added to the live strings
    assert (again.story, again.story_html, again.story_text) == texts
    assert all(isinstance(t, str) for t in (again.story, again.story_html, again.story_text))


def test_a_cached_story_comes_back_the_same_in_every_plane(scratch: Scratch) -> None:
    """The stories are packed as UTF-16: a name in CJK Extension B (two code units, as
    𠮷 in 吉), an emoji, Latin and ideographs next to them come back character for
    character, through the record cache's own file as through a worker's pickle."""
    import pickle

    from site_builder.errors import Problems
    from site_builder.load.cache import RecordCache
    from site_builder.load.content import load_honoree

    story = "𠮷师傅（𡈽村）送件 12 年 🚚，Zhang Wei 说：“𪚥字也能写。”"
    text = record().replace("他每天送件，从不抱怨。", story)
    folder = scratch.honoree("li-ce-shi", text=text)
    read = load_honoree(folder, Problems(None))
    assert read is not None and story in read.story and story in read.story_text
    again = pickle.loads(pickle.dumps(read, pickle.HIGHEST_PROTOCOL))
    assert (again.story, again.story_html, again.story_text) == (
        read.story,
        read.story_html,
        read.story_text,
    )
    scratch.build()
    cached = RecordCache(scratch.root / "cache", scratch.root)
    stories = [e.source.story for e in cached.entries.values() if e.source is not None]
    assert stories and any(story in s for s in stories)


def test_a_cached_record_comes_back_with_its_folder_and_path(scratch: Scratch) -> None:
    """The folder goes into the cache as text and ``path`` not at all (a pickled Path is
    slow to rebuild): both come back as the same paths, whatever the folder's depth."""
    import pickle

    from site_builder.errors import Problems
    from site_builder.load.content import load_honoree

    read = load_honoree(scratch.honoree("li-ce-shi"), Problems(None))
    assert read is not None and read.path == read.folder / "index.md"
    for folder in (read.folder, Path(read.folder.name), Path(read.folder.anchor) / "p1"):
        read.folder = folder
        read.__dict__.pop("path", None)
        packed = pickle.dumps(read, pickle.HIGHEST_PROTOCOL)
        assert b"PosixPath" not in packed and b"WindowsPath" not in packed
        again = pickle.loads(packed)
        assert type(again.folder) is type(folder) and again.folder == folder
        assert again.path == folder / "index.md" and again.slug == read.slug


def _search_data(output: Path) -> dict[str, bytes]:
    found = {p.parent.name: p.read_bytes() for p in output.glob("assets/*/search.*.js")}
    assert found, "no search data in output/"
    return found


def test_search_data_is_kept_for_unchanged_campaigns_and_made_again_for_an_edited_one(
    scratch: Scratch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each campaign's search data is kept in the cache under its records as read; an
    edit writes only its own campaign's again, and what is kept is what a build from
    nothing makes."""
    from site_builder.pages import plan

    _two_campaigns(scratch)
    day_ago = time.time_ns() - 86_400 * 10**9  # not "racy": the cache may trust the time
    for path in scratch.content.rglob("index.md"):
        os.utime(path, ns=(day_ago, day_ago))
    scratch.build()
    assert {p.name for p in (scratch.root / "cache/search").iterdir()} == {
        "2023-test.js",
        "2024-test.js",
    }

    made: list[str] = []
    real = plan.search_script
    monkeypatch.setattr(plan, "search_script", lambda c: made.append(c.id) or real(c))
    story = scratch.content / "2023-test/honorees/sun-ce-shi/index.md"
    text = story.read_text("utf-8")
    assert "。" in text
    story.write_text(text.replace("。", "，", 1), "utf-8")  # the same size
    os.utime(story, ns=(day_ago + 10**9, day_ago + 10**9))
    scratch.build()
    assert made == ["2023-test"]
    data = _search_data(scratch.output)
    assert "，".encode() in data["2023-test"]

    made.clear()
    scratch.build(force=True)
    assert made == []  # every page again, no search data made again
    kept = scratch.root / "cache/search/2024-test.js"
    kept.write_bytes(kept.read_bytes()[:-40])  # cut short (a disk that failed)
    scratch.build(force=True)
    assert made == ["2024-test"]  # not trusted: made again
    made.clear()
    fresh = tmp_path / "fresh"
    scratch.build(output=fresh, cache=tmp_path / "fresh-cache")
    assert sorted(made) == ["2023-test", "2024-test"]
    assert _search_data(scratch.output) == _search_data(fresh)


def test_a_build_takes_what_is_there_from_its_walks_of_content_and_output(
    scratch: Scratch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build walks content/ and output/ for its fingerprint; each record's key, the
    files in its folder and the pages output/ holds come from those walks: no record is
    looked up, no record folder listed and no page of output/ looked at a second time (on
    Windows each is a file opened), and a portrait copied into a folder since the last
    build is on its page."""
    from PIL import Image

    from site_builder.load.cache import RecordCache

    _two_campaigns(scratch)
    scratch.build()
    folder = scratch.campaign / "honorees/wang-ce-shi"
    Image.new("RGB", (500, 700), (200, 180, 160)).save(folder / "portrait.jpg")
    listed: list[str] = []
    real_listdir = os.listdir

    def listdir(path: str = ".") -> list[str]:
        listed.append(os.fspath(path))
        return real_listdir(path)

    def looked_up(path: str) -> None:
        raise AssertionError(f"{path} looked up again")

    real_isfile = os.path.isfile
    output = os.fspath(scratch.output)

    def isfile(path: str) -> bool:
        if os.fspath(path).startswith(output):
            looked_up(path)
        return real_isfile(path)

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os.path, "isfile", isfile)
    monkeypatch.setattr(RecordCache, "_stat_key", staticmethod(looked_up))
    result = scratch.build()
    assert listed and not [p for p in listed if "honorees" in p]
    assert 0 < result.rendered < result.pages
    assert list((scratch.output / "assets/2024-test/wang-ce-shi").glob("portrait-*.webp"))
    monkeypatch.undo()
    assert scratch.tree() == _full_build_tree(scratch, tmp_path)
