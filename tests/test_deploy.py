"""site-builder deploy against real servers on 127.0.0.1: S3 (moto's server mode), FTP
(pyftpdlib) and SFTP (Debian's OpenSSH), and a folder. Changed files only, assets
before pages before deletions, a cut connection leaves a whole site and the rerun
finishes, wrong credentials give a message."""

from __future__ import annotations

import contextlib
import getpass
import os
import posixpath
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.deploy.plan import NOT_PUBLISHED

from .conftest import Scratch, record

BUCKET = "zuimei-site"
FTP_PASSWORD = "ftp-Pw-7q2X-口令"  # distinctive: a test can look for it in every file and page
# pyftpdlib still imports the standard library's asyncore/asynchat (removed in 3.12).
pytestmark = [
    pytest.mark.filterwarnings("ignore:The asyncore module is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The asynchat module is deprecated:DeprecationWarning"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class CuttingProxy:
    """Forwards 127.0.0.1:port to a server until ``budget`` bytes went up, then cuts every
    connection and refuses new ones: a network that drops in the middle of a deploy."""

    def __init__(self, target_port: int, budget: int) -> None:
        self.target_port, self.budget = target_port, budget
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closing = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closing.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.budget <= 0:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, upward: bool) -> None:
        try:
            while chunk := source.recv(16384):
                if upward:
                    self.budget -= len(chunk)
                    if self.budget <= 0:
                        break
                sink.sendall(chunk)
        except OSError:
            pass
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def close(self) -> None:
        self.closing.set()
        self.listener.close()


@dataclass
class Server:
    kind: str
    port: int
    yaml: Callable[[int], str]  # the 发布 target in site.yaml, for a port
    files: Callable[[], dict[str, bytes]]  # what is published there now
    env: dict[str, str]
    root: Path | None = None  # the published folder, for a server on this computer


# --- servers -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_server() -> Iterator[Server]:
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    client = boto3.client(
        "s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET)

    def files() -> dict[str, bytes]:
        out = {}
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix="zuimei/"
        ):
            for item in page.get("Contents", []):
                body = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
                out[item["Key"].removeprefix("zuimei/")] = body
        return out

    def yaml(p: int) -> str:
        return (
            f"  - {{名称: oss, 类型: s3, 端点: 'http://127.0.0.1:{p}', 区域: us-east-1, "
            f"存储桶: {BUCKET}, 前缀: zuimei/, 寻址: path}}\n"
        )

    yield Server("s3", port, yaml, files, env)
    server.stop()


@pytest.fixture(scope="module")
def ftp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import ThreadedFTPServer

    home = tmp_path_factory.mktemp("ftp-home")
    authorizer = DummyAuthorizer()
    authorizer.add_user("officer", FTP_PASSWORD, str(home), perm="elradfmwMT")
    handler = type("Handler", (FTPHandler,), {"authorizer": authorizer, "passive_ports": None})
    handler.log_prefix = ""
    server = ThreadedFTPServer(("127.0.0.1", 0), handler)
    port = server.address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.2}, daemon=True)
    thread.start()

    def files() -> dict[str, bytes]:
        root = home / "site"
        return (
            {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
            if root.is_dir()
            else {}
        )

    def yaml(p: int) -> str:
        return f"  - {{名称: host, 类型: ftp, 主机: 127.0.0.1, 端口: {p}, 用户名: officer, 目录: site}}\n"

    yield Server(
        "ftp", port, yaml, files, {"SITE_BUILDER_FTP_PASSWORD": FTP_PASSWORD}, home / "site"
    )
    server.close_all()


@pytest.fixture(scope="module")
def sftp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Debian's sshd on 127.0.0.1 with its own host key, config and one authorised key."""
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    if not Path(sshd).exists():
        pytest.fail("需要 Debian 的 openssh-server：请用 scripts/test.sh 运行测试，它会安装")
    work = tmp_path_factory.mktemp("sshd")
    for name in ("host", "client"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(work / name)], check=True
        )
    (work / "authorized_keys").write_text((work / "client.pub").read_text())
    os.chmod(work / "authorized_keys", 0o600)
    root = work / "www"
    root.mkdir()
    port = free_port()
    (work / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {work / 'host'}\n"
        f"AuthorizedKeysFile {work / 'authorized_keys'}\nPasswordAuthentication no\n"
        "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n"
        f"PidFile {work / 'sshd.pid'}\nSubsystem sftp internal-sftp\n"
    )
    Path("/run/sshd").mkdir(exist_ok=True)
    process = subprocess.Popen([sshd, "-D", "-e", "-f", str(work / "sshd_config")])
    wait_for_port(port)

    def files() -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        }

    def yaml(p: int) -> str:
        return (
            f"  - {{名称: server, 类型: sftp, 主机: 127.0.0.1, 端口: {p}, "
            f"用户名: {getpass.getuser()}, 密钥文件: '{work / 'client'}', 路径: '{root}'}}\n"
        )

    yield Server("sftp", port, yaml, files, {}, root)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def folder_server(tmp_path: Path) -> Server:
    root = tmp_path / "docroot"

    def files() -> dict[str, bytes]:
        return (
            {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
            if root.is_dir()
            else {}
        )

    return Server(
        "folder", 0, lambda _: f"  - {{名称: www, 类型: 文件夹, 路径: '{root}'}}\n", files, {}, root
    )


SERVERS = ["s3_server", "ftp_server", "sftp_server", "folder_server"]


# --- the site and the command --------------------------------------------------------------------


def _site(scratch: Scratch, server: Server, port: int | None = None) -> None:
    site = scratch.content / "site.yaml"
    text = re.sub(r"\n发布:\n(  - .*\n)+", "\n", site.read_text("utf-8"))
    site.write_text(text + "发布:\n" + server.yaml(port or server.port), "utf-8")


def _deploy(scratch: Scratch, server: Server, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    for key, value in server.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(scratch.root)
    return main(["deploy", "--content", "content", "--output", "output", "--write", *extra])


def _published(scratch: Scratch) -> dict[str, bytes]:
    return {
        path: data
        for path, data in scratch.tree().items()
        if path not in NOT_PUBLISHED and not path.endswith(".gz")
    }


def _whole(files: dict[str, bytes]) -> list[str]:
    """Links of every published page that point at a file that is not there."""
    missing = []
    for path, data in files.items():
        if not path.endswith(".html") or path == "404.html":
            continue
        for ref in re.findall(r'(?:src|href)="([^"#?]+)"', data.decode("utf-8")):
            if re.match(r"^[a-z]+:", ref) or ref.startswith("/"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), ref))
            target = target + "/index.html" if ref.endswith("/") or ref == "." else target
            target = target.removeprefix("./")
            if target not in files:
                missing.append(f"{path} → {ref}")
    return missing


@pytest.mark.parametrize("server_name", SERVERS)
def test_deploy_sends_changes_only_in_the_safe_order(
    request: pytest.FixtureRequest,
    server_name: str,
    scratch: Scratch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server: Server = request.getfixturevalue(server_name)
    scratch.honoree("li-ce-shi", photos=1)
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    _site(scratch, server)
    scratch.build()

    # a dry run changes nothing
    monkeypatch.chdir(scratch.root)
    for key, value in server.env.items():
        monkeypatch.setenv(key, value)
    before = server.files()
    assert main(["deploy", "--content", "content", "--output", "output"]) == 0
    assert "预览" in capsys.readouterr().out and server.files() == before

    # the first deploy publishes everything
    assert _deploy(scratch, server, monkeypatch) == 0
    published = _published(scratch)
    assert {
        k: v for k, v in server.files().items() if not k.startswith(".site-builder")
    } == published

    # one story edited: only the files that changed are sent
    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    old = _published(scratch)
    story.write_text(story.read_text("utf-8") + "\n新补充的一段事迹。\n", "utf-8")
    scratch.build()
    new = _published(scratch)
    changed = {p for p in new if old.get(p) != new[p]}
    capsys.readouterr()
    assert _deploy(scratch, server, monkeypatch) == 0
    out = capsys.readouterr().out
    assert f"新增 {len(changed - set(old))} 个、更新 {len(changed & set(old))} 个文件" in out
    assert f"删除 {len(set(old) - set(new))} 个" in out
    assert {k: v for k, v in server.files().items() if not k.startswith(".site-builder")} == new

    # a withdrawn honouree's files go, after the pages that linked them were replaced
    wang = scratch.campaign / "honorees/wang-ce-shi/index.md"
    wang.write_text(wang.read_text("utf-8").replace("状态: 已审定", "状态: 已撤销"), "utf-8")
    scratch.build()
    from site_builder import BuildOptions
    from site_builder.deploy.run import deploy
    from site_builder.errors import Problems
    from site_builder.gate import gate_for
    from site_builder.load.content import parse_site
    from site_builder.model.source import SITE_FILE

    config, _ = parse_site(
        (scratch.content / SITE_FILE).read_text("utf-8"), Path(SITE_FILE), Problems()
    )
    assert config is not None
    gate = gate_for(BuildOptions(content=scratch.content))
    report = deploy(scratch.output, config, None, write=True, gate=gate)
    order = report.sent
    assert any(s.startswith("-2024-test/wang-ce-shi/") for s in order)
    pages = (".html", ".xml", ".txt")  # sent after every asset, photo and QR code
    kinds = [
        "delete" if s.startswith("-") else ("page" if s.endswith(pages) else "asset") for s in order
    ]
    assert kinds == sorted(kinds, key=["asset", "page", "delete"].index), list(
        zip(kinds, order, strict=True)
    )
    final = {k: v for k, v in server.files().items() if not k.startswith(".site-builder")}
    assert final == _published(scratch) and _whole(final) == []
    if server.kind == "folder":  # a docroot nginx (www-data) can read
        root = Path(re.search(r"路径: '([^']+)'", server.yaml(0)).group(1))  # type: ignore[union-attr]
        for path in [root, *root.rglob("*")]:
            assert path.stat().st_mode & 0o777 == (0o755 if path.is_dir() else 0o644), path


# Cutting connections mid-transfer leaves sockets that the in-process FTP server and ftplib
# only close when collected; the warning that says so is about the cut, not a leak of ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("server_name", ["s3_server", "ftp_server", "sftp_server"])
def test_a_cut_connection_leaves_a_whole_site_and_the_rerun_finishes(
    request: pytest.FixtureRequest,
    server_name: str,
    scratch: Scratch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server: Server = request.getfixturevalue(server_name)
    scratch.honoree("li-ce-shi", photos=2)
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    _site(scratch, server)
    scratch.build()
    assert _deploy(scratch, server, monkeypatch) == 0

    # a new version: changed photos (new hashed names), pages, a withdrawal
    shutil.rmtree(scratch.campaign / "honorees/li-ce-shi")
    scratch.honoree("li-ce-shi", photos=3)
    wang = scratch.campaign / "honorees/wang-ce-shi/index.md"
    wang.write_text(wang.read_text("utf-8").replace("状态: 已审定", "状态: 已撤销"), "utf-8")
    scratch.build()
    # FTP sends file data on separate connections: only its control channel crosses the proxy.
    proxy = CuttingProxy(server.port, budget=1_500 if server.kind == "ftp" else 60_000)
    try:
        _site(scratch, server, proxy.port)
        monkeypatch.setattr("site_builder.deploy.run.BACKOFF", (0.01, 0.01, 0.01))
        capsys.readouterr()
        assert _deploy(scratch, server, monkeypatch) == 1
        assert "无法连接发布目标" in capsys.readouterr().err
    finally:
        proxy.close()
    live = {k: v for k, v in server.files().items() if not k.startswith(".site-builder")}
    assert _whole(live) == []  # no page points at a missing file, whenever it stopped
    _site(scratch, server)
    assert _deploy(scratch, server, monkeypatch) == 0
    final = {k: v for k, v in server.files().items() if not k.startswith(".site-builder")}
    assert final == _published(scratch)


@pytest.mark.parametrize(
    ("server_name", "env", "message"),
    [
        ("ftp_server", {"SITE_BUILDER_FTP_PASSWORD": "wrong"}, "拒绝登录（用户 officer）"),
        ("sftp_server", {}, "拒绝登录"),
    ],
)
def test_wrong_credentials_give_a_message_not_a_traceback(
    request: pytest.FixtureRequest,
    server_name: str,
    env: dict[str, str],
    message: str,
    scratch: Scratch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server: Server = request.getfixturevalue(server_name)
    scratch.honoree("li-ce-shi")
    _site(scratch, server)
    scratch.build()
    monkeypatch.chdir(scratch.root)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if server_name == "sftp_server":  # a key the server does not know
        stranger = scratch.root / "stranger"
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True
        )
        site = scratch.content / "site.yaml"
        text = re.sub(r"密钥文件: '[^']*'", f"密钥文件: '{stranger}'", site.read_text("utf-8"))
        site.write_text(text, "utf-8")
    assert main(["deploy", "--content", "content", "--output", "output", "--write"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_bucket_and_missing_keys_give_messages(
    s3_server: Server, scratch: Scratch, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import botocore.exceptions

    from site_builder.deploy.remotes import remote_kind
    from site_builder.model.targets import FolderTarget, S3Target

    scratch.honoree("li-ce-shi")
    _site(scratch, s3_server)
    site = scratch.content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace(BUCKET, "no-such-bucket"), "utf-8")
    scratch.build()
    assert _deploy(scratch, s3_server, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "存储桶“no-such-bucket”不存在" in err and "Traceback" not in err
    target = S3Target.model_validate({"name": "oss", "kind": "s3", "bucket": "b"})
    error = remote_kind(target).explain(botocore.exceptions.NoCredentialsError(), target)
    assert error is not None and "AWS_ACCESS_KEY_ID" in str(error)
    # each backend translates only its own library's errors: another's is our bug
    folder = FolderTarget.model_validate({"name": "www", "kind": "folder", "prefix": "/srv/www"})
    with pytest.raises(botocore.exceptions.NoCredentialsError):
        remote_kind(folder).explain(botocore.exceptions.NoCredentialsError(), folder)
    assert remote_kind(folder).explain(ConnectionResetError(), folder) is None  # retried


def test_object_storage_headers_and_the_default_domain_warning(
    s3_server: Server, scratch: Scratch, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import boto3

    scratch.honoree("li-ce-shi", photos=1)
    _site(scratch, s3_server)
    scratch.build()
    assert _deploy(scratch, s3_server, monkeypatch) == 0
    client = boto3.client(
        "s3", endpoint_url=f"http://127.0.0.1:{s3_server.port}", region_name="us-east-1"
    )
    page = client.head_object(Bucket=BUCKET, Key="zuimei/2024-test/li-ce-shi/index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == "no-cache"
    css = next(
        k for k in _published(scratch) if k.startswith("assets/site.") and k.endswith(".css")
    )
    asset = client.head_object(Bucket=BUCKET, Key=f"zuimei/{css}")
    assert asset["ContentType"] == "text/css; charset=utf-8"
    assert asset["CacheControl"] == "public, max-age=31536000, immutable"

    from site_builder.deploy.run import warnings_for
    from site_builder.model.config import SiteConfig
    from site_builder.model.targets import S3Target

    target = S3Target.model_validate(
        {
            "name": "oss",
            "kind": "s3",
            "endpoint": "https://oss-cn-hangzhou.aliyuncs.com",
            "bucket": "b",
        }
    )
    bucket_domain = SiteConfig.model_validate(
        {"title": "t", "organiser": "o", "base_url": "https://b.oss-cn-hangzhou.aliyuncs.com/"}
    )
    own_domain = SiteConfig.model_validate(
        {"title": "t", "organiser": "o", "base_url": "https://www.example.org/"}
    )
    assert "自定义域名" in warnings_for(target, bucket_domain)[0]
    assert warnings_for(target, own_domain) == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        # each kind is checked against what it needs, with the label as written in site.yaml
        ("{名称: oss, 类型: s3, 端点: 'https://oss-cn-hangzhou.aliyuncs.com'}",
         "site.yaml:5: 发布 第1项 存储桶 — 缺少必填项 — 请添加一行“存储桶: …”"),
        ("{名称: host, 类型: sftp, 主机: 127.0.0.1}",
         "site.yaml:5: 发布 第1项 用户名 — 缺少必填项 — 请添加一行“用户名: …”"),
        ("{名称: www, 类型: 文件夹}",
         "site.yaml:5: 发布 第1项 路径 — 缺少必填项 — 请添加一行“路径: …”"),
        # a field of another kind is unknown here
        ("{名称: www, 类型: 文件夹, 路径: /srv/www, 存储桶: b}",
         "site.yaml:5: 存储桶 — 未知字段“存储桶”"),
        ("{名称: www, 类型: 网盘, 路径: /srv/www}",
         "site.yaml:5: 发布 第1项 — 缺少“类型”或无法识别 — 请写“类型: …”，可选：s3"),
        ("{名称: www, 路径: /srv/www}",
         "site.yaml:5: 发布 第1项 — 缺少“类型”或无法识别"),
    ],
)  # fmt: skip
def test_each_kind_of_target_is_checked_against_its_own_fields(
    scratch: Scratch,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    target: str,
    expected: str,
) -> None:
    site = scratch.content / "site.yaml"
    site.write_text(site.read_text("utf-8") + f"发布:\n  - {target}\n", "utf-8")
    assert site.read_text("utf-8").splitlines()[4].startswith("  - {")  # line 5, as expected
    monkeypatch.chdir(scratch.root)
    assert main(["check", "--content", "content"]) == 1
    out = capsys.readouterr()
    assert expected in out.out + out.err, out.out + out.err
