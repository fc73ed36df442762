"""发布 from the workbench against the test servers: a target added in the form, its
password kept in a credential store (a test one, never the tester's own) and in no file
or page, the preview, the publication followed to its end, the history and 回退."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from site_builder.workbench.app import Workbench

from .test_deploy import BUCKET, FTP_PASSWORD, Server, ftp_server, s3_server  # noqa: F401  (fixtures)
from .test_workbench_settings import ORIGIN, TOKEN, form_of, jiaozuo_bench, soup, status_text

pytestmark = [
    pytest.mark.filterwarnings("ignore:The asyncore module is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The asynchat module is deprecated:DeprecationWarning"),
]


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A credential store in memory: what the workbench keeps is seen here, and nowhere else."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "SITE_BUILDER_FTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    return jiaozuo_bench(tmp_path)


def add_target(bench: Workbench, **fields: str) -> object:
    form = form_of(bench, "_publish/target", "target-form")
    form |= {f"t.{k}" if not k.startswith("s_") else f"s.{k[2:]}": [v] for k, v in fields.items()}
    return bench.handle("POST", "_publish/target", form, ORIGIN)


def wait_for_job(bench: Workbench) -> dict[str, object]:
    for _ in range(600):  # 60 s at most
        state = json.loads(bench.handle("GET", "_publish/job.json", {}, None).body)
        if state["state"] != "running":
            return state
        time.sleep(0.1)
    raise AssertionError("the publication did not end")


def everything_written(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_publish_to_ftp_with_a_password_kept_in_the_credential_store(
    bench: Workbench,
    store: MemoryKeyring,
    ftp_server: Server,  # noqa: F811  (the fixture, imported)
    tmp_path: Path,
) -> None:
    answer = add_target(
        bench, kind="ftp", name="单位网站", host="127.0.0.1", port=str(ftp_server.port),
        user="officer", prefix="site", s_password=FTP_PASSWORD,
    )  # fmt: skip
    assert "密码已保存在这台电脑的系统密码保管里" in soup(answer.body).get_text()
    assert list(store.kept.values()) == [FTP_PASSWORD]
    site_yaml = (bench.options.content / "site.yaml").read_text("utf-8")
    assert "发布:\n  - {名称: 单位网站, 类型: ftp, 主机: 127.0.0.1" in site_yaml
    page = bench.handle("GET", "_publish", {}, None)
    assert "已保存（系统密码保管）" in soup(page.body).get_text()

    shown = bench.handle(
        "POST", "_publish/preview", {"token": [TOKEN], "target": ["单位网站"]}, ORIGIN
    )
    text = soup(shown.body).get_text()
    assert "还没有发送任何文件" in text and "删除 0 个" in text
    assert ftp_server.files() == {} or "index.html" not in ftp_server.files()

    started = bench.handle(
        "POST", "_publish/run", {"token": [TOKEN], "target": ["单位网站"]}, ORIGIN
    )
    assert started.status == 303 and started.headers["Location"] == "/_admin/_publish/job"
    state = wait_for_job(bench)
    assert state["state"] == "done", state
    progress = state["progress"]
    assert isinstance(progress, dict) and progress["files"] == progress["total_files"] > 10
    assert progress["bytes"] == progress["total_bytes"] > 0
    live = ftp_server.files()
    assert (bench.options.output / "index.html").read_bytes() == live["index.html"]
    done = soup(bench.handle("GET", "_publish/job", {}, None).body)
    assert "已发布" in done.get_text() and done.select_one("img")["src"].startswith(
        "data:image/png;base64,"
    )
    history = soup(bench.handle("GET", "_publish", {}, None).body).get_text()
    assert "完成：新增" in history

    # the secret is in the store, and in no file of the project and no page
    secret = FTP_PASSWORD.encode()
    assert secret not in everything_written(bench.options.content.parent)  # content, output, cache
    for path in ("_publish", "_publish/target", "_publish/job", "_publish/job.json", ""):
        assert secret not in bench.handle("GET", path, {}, None, {"name": ["单位网站"]}).body

    # a change, published; then 回退 puts the site before it back
    record = bench.options.content / "2024-jiaozuo-xinjiuye/honorees/shen-li/index.md"
    record.write_text(record.read_text("utf-8") + "\n（新版：工作台发布后补充的一段。）\n", "utf-8")
    before = live["2024-jiaozuo-xinjiuye/shen-li/index.html"]
    bench.handle("POST", "_publish/run", {"token": [TOKEN], "target": ["单位网站"]}, ORIGIN)
    assert wait_for_job(bench)["state"] == "done"
    assert ftp_server.files()["2024-jiaozuo-xinjiuye/shen-li/index.html"] != before
    page = soup(bench.handle("GET", "_publish", {}, None).body)
    assert page.select_one("button[aria-label='把单位网站回退到上一次发布']") is not None
    bench.handle("POST", "_publish/rollback", {"token": [TOKEN], "target": ["单位网站"]}, ORIGIN)
    assert wait_for_job(bench)["state"] == "done"
    assert ftp_server.files()["2024-jiaozuo-xinjiuye/shen-li/index.html"] == before
    assert "回退" in soup(bench.handle("GET", "_publish", {}, None).body).get_text()


def test_s3_keys_typed_once_are_used_from_the_store(
    bench: Workbench,
    store: MemoryKeyring,
    s3_server: Server,  # noqa: F811
) -> None:
    answer = add_target(
        bench, kind="s3", name="对象存储", endpoint=f"http://127.0.0.1:{s3_server.port}",
        region="us-east-1", bucket=BUCKET, prefix="zuimei/", addressing="path",
        s_key_id="testing", s_secret="testing",
    )  # fmt: skip
    assert "AccessKey 已保存" in soup(answer.body).get_text()
    bench.handle("POST", "_publish/run", {"token": [TOKEN], "target": ["对象存储"]}, ORIGIN)
    state = wait_for_job(bench)
    assert state["state"] == "done", state
    assert (bench.options.output / "index.html").read_bytes() == s3_server.files()["index.html"]


def test_a_target_the_form_gets_wrong_is_refused_and_nothing_is_kept(
    bench: Workbench, store: MemoryKeyring
) -> None:
    before = (bench.options.content / "site.yaml").read_text("utf-8")
    answer = add_target(bench, kind="sftp", name="服务器", host="", user="", s_password="pw")
    assert answer.status == 422
    assert "主机" in soup(answer.body).get_text() and store.kept == {}
    assert b"pw" not in answer.body.split(b"<form")[1]  # the password is not filled back in
    assert (bench.options.content / "site.yaml").read_text("utf-8") == before


def test_publishing_is_refused_before_anything_is_sent(
    bench: Workbench, store: MemoryKeyring, tmp_path: Path
) -> None:
    www = tmp_path / "www"
    add_target(bench, kind="folder", name="文件夹", prefix=str(www))
    record = bench.options.content / "2024-jiaozuo-xinjiuye/honorees/shen-li/index.md"
    good = record.read_text("utf-8")
    record.write_text(good.replace("出生年月: ", "出生年月: 1990.13 #", 1), "utf-8")
    refused = bench.handle(
        "POST", "_publish/preview", {"token": [TOKEN], "target": ["文件夹"]}, ORIGIN
    )
    page = soup(refused.body)
    assert "内容有错误，不能发布" in page.get_text()
    assert page.select_one("ul.todo a")["href"].startswith("/_admin/2024-jiaozuo-xinjiuye/shen-li/")
    assert not www.exists()
    record.write_text(good, "utf-8")
    site = bench.options.content / "site.yaml"
    site.write_text(
        site.read_text("utf-8").replace("https://www.example.org/jiaozuo/2024/",
                                        "https://www.example.org/qing-tian-xie-wang-zhi/"), "utf-8"
    )  # fmt: skip
    refused = bench.handle(
        "POST", "_publish/preview", {"token": [TOKEN], "target": ["文件夹"]}, ORIGIN
    )
    assert "网址”还是模板里的示例" in status_text(refused.body) and not www.exists()
