"""``wechat --draft`` against a stand-in for the 公众号 API on 127.0.0.1."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.cli import main

from .conftest import ROOT
from .wechat_stand_in import APPID, SECRET, StandIn, serve

CAMPAIGN = "2024-shili-xinjiuye"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    stand_in = StandIn()
    httpd = serve(stand_in)
    monkeypatch.setenv("SITE_BUILDER_WECHAT_API", stand_in.url)
    monkeypatch.setenv("WECHAT_APPID", APPID)
    monkeypatch.setenv("WECHAT_APPSECRET", SECRET)
    yield stand_in
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One image cache for the module: the photos are made once, not once a test."""
    return tmp_path_factory.mktemp("wechat-cache")


def push(tmp_path: Path, cache: Path, content: Path | None = None) -> int:
    args = ["--content", str(content or ROOT / "content"), "--cache", str(cache)]
    return main(["wechat", CAMPAIGN, "--draft", *args, "-o", str(tmp_path / "公众号"), "-q"])


def private_values(content: Path) -> list[str]:
    import yaml

    found = []
    for record in sorted(content.glob(f"{CAMPAIGN}/honorees/*/index.md")):
        data = yaml.safe_load(record.read_text("utf-8").split("---")[1])
        for key in ("身份证号", "联系方式", "详细地址", "联系人"):
            if data.get(key):
                found.append(str(data[key]))
    assert found
    return found


def test_every_article_becomes_a_draft_with_wechats_own_image_addresses(
    api: StandIn, tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert push(tmp_path, cache) == 0
    out = capsys.readouterr().out
    assert "已推送到公众号草稿箱：14 篇" in out and "不会替您群发" in out
    assert len(api.drafts) == 14  # 12 people, the roundup, the 公示
    assert not any("freepublish" in r.path for r in api.requests)
    for draft in api.drafts:
        assert 0 < len(draft["title"]) <= 32 and len(draft["digest"]) <= 128
        assert draft["content_source_url"].startswith("https://www.example.org/zuimei/")
        assert draft["thumb_media_id"] in api.materials and draft["author"]
        sources = re.findall(r'src="([^"]+)"', draft["content"])
        assert all(s in api.images for s in sources), sources  # uploadimg's, never ours
    campaign = f"https://www.example.org/zuimei/{CAMPAIGN}/"
    roundup_and_notice = (campaign, campaign + "notice/")
    people = [d for d in api.drafts if d["content_source_url"] not in roundup_and_notice]
    assert len(people) == 12 and all(re.search(r'src="', d["content"]) for d in people)
    # nothing private in any request
    sent = b"".join(r.body for r in api.requests)
    for value in private_values(ROOT / "content"):
        assert value.encode() not in sent, value


def test_an_ip_not_in_the_whitelist_is_said_in_chinese_and_nothing_is_pushed(
    api: StandIn, tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api.block_ip = True
    assert push(tmp_path, cache) == 1
    err = capsys.readouterr().err
    assert "IP 白名单" in err and "40164" in err and "Traceback" not in err
    assert api.drafts == [] and [r.path for r in api.requests] == ["/cgi-bin/stable_token"]


def test_a_push_stopped_halfway_says_which_drafts_were_made(
    api: StandIn, tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api.fail_draft = 3
    assert push(tmp_path, cache) == 1
    err = capsys.readouterr().err
    assert "每日限额" in err and "已经建好的草稿" in err
    for draft in api.drafts:
        assert draft["title"] in err
    assert len(api.drafts) == 2 and "其余没有推送" in err


def test_an_expired_token_is_fetched_again(api: StandIn, tmp_path: Path, cache: Path) -> None:
    api.expire_once = True
    assert push(tmp_path, cache) == 0
    assert api.issued == 2 and len(api.drafts) == 14


def test_a_private_value_in_a_story_stops_the_push_before_any_request(
    api: StandIn, tmp_path: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    story = next(content.glob(f"{CAMPAIGN}/honorees/*/index.md"))
    story.write_text(story.read_text("utf-8") + "\n联系他：139 0009 0222。\n", "utf-8")
    assert push(tmp_path, cache, content) == 1
    assert "139****0222" in capsys.readouterr().err
    assert api.requests == []


def test_the_workbench_keeps_the_keys_and_pushes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring

    from .test_workbench_publish import MemoryKeyring
    from .test_workbench_settings import JZ, ORIGIN, TOKEN, jiaozuo_bench, soup

    stand_in = StandIn()
    httpd = serve(stand_in)
    monkeypatch.setenv("SITE_BUILDER_WECHAT_API", stand_in.url)
    for name in ("WECHAT_APPID", "WECHAT_APPSECRET"):
        monkeypatch.delenv(name, raising=False)
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        bench = jiaozuo_bench(tmp_path)
        first = soup(bench.handle("GET", f"{JZ}/_wechat", {}, None).body)
        assert "还没有填写" in first.get_text()
        saved = bench.handle(
            "POST",
            f"{JZ}/_wechat/keys",
            {"token": [TOKEN], "appid": [APPID], "secret": [SECRET]},
            ORIGIN,
        )
        assert "已保存在这台电脑的系统密码保管里" in soup(saved.body).get_text()
        assert SECRET in next(iter(memory.kept.values()))
        pushed = bench.handle("POST", f"{JZ}/_wechat", {"token": [TOKEN]}, ORIGIN)
        page = soup(pushed.body)
        assert "已推送" in page.select_one("[role=status]").get_text(), page.get_text()
        assert len(stand_in.drafts) == len(page.select("main ul li")) >= 3
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path
        for path in (f"{JZ}/_wechat", f"{JZ}/", ""):
            assert SECRET.encode() not in bench.handle("GET", path, {}, None).body
        stand_in.block_ip = True
        bench_again = bench.handle("POST", f"{JZ}/_wechat", {"token": [TOKEN]}, ORIGIN)
        assert bench_again.status == 502 and "IP 白名单" in soup(bench_again.body).get_text()
    finally:
        keyring.set_keyring(before)
        httpd.shutdown()
        httpd.server_close()
