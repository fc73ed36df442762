"""Starting without a terminal and stopping cleanly: ``site-builder`` alone and the desktop
shortcut's ``site-builder-gui`` open the workbench; SIGTERM, SIGINT, a closed console
(SIGHUP) and the workbench's 退出 button end every process the preview started within a
few seconds, and leave its port free."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_build_faults import _processes_of
from .test_deploy import free_port


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITE_BUILDER_")}
    env["BROWSER"] = "true"  # webbrowser.open runs `true`: no browser in the tests
    return env


def _wait_for(predicate: object, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # bounded
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError):
        return _get(port, "/_admin/")[0] == 200
    return False


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _start(folder: Path, *args: str, quiet: bool = True) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", *args, "--port", str(port), *(["-q"] * quiet)],
        cwd=folder, env=_env(), start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return process, port


def _site(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")  # 40 photos: workers at work
    return tmp_path


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_serve_stops_with_every_process_it_started(tmp_path: Path, how: str) -> None:
    process, port = _start(_site(tmp_path), "serve")
    _wait_for(lambda: _answers(port))
    # the first rendering of a cold cache is under way: image workers are running
    os.kill(process.pid, getattr(signal, how))  # the main process only
    out, _ = process.communicate(timeout=5)
    assert process.returncode == 0
    _wait_for(lambda: not _processes_of(process.pid), seconds=5)
    assert _port_free(port)
    assert "预览已停止" in out.decode()


def test_the_quit_button_stops_it(tmp_path: Path) -> None:
    process, port = _start(_site(tmp_path), "serve")
    _wait_for(lambda: _answers(port))
    _, home = _get(port, "/_admin/")
    token = re.search(r'name="token" value="([^"]+)"', home)
    assert token is not None and "退出工作台" in home
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = f"token={token.group(1)}"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://127.0.0.1:{port}",
    }
    connection.request("POST", "/_admin/_quit", body, headers)
    response = connection.getresponse()
    assert response.status == 200 and "工作台已退出" in response.read().decode()
    connection.close()
    process.communicate(timeout=10)
    assert process.returncode == 0
    _wait_for(lambda: not _processes_of(process.pid), seconds=5)
    assert _port_free(port)


def test_site_builder_alone_opens_the_workbench(tmp_path: Path) -> None:
    """No command at all: the officer's start. It says the workbench's address first."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder"],  # nothing else: as a shortcut starts it
        cwd=_site(tmp_path), env={**_env(), "SITE_BUILDER_PORT": str(port)},
        start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    _wait_for(lambda: _answers(port))
    os.kill(process.pid, signal.SIGTERM)
    out, _ = process.communicate(timeout=5)
    assert process.returncode == 0
    first = out.decode().splitlines()[0]
    assert first.startswith(f"工作台：http://127.0.0.1:{port}/_admin/"), first
    from site_builder.cli import main

    with pytest.raises(SystemExit):  # --help still works; no command means the workbench
        main(["--help"])


def test_the_desktop_shortcut_starts_without_a_console(tmp_path: Path) -> None:
    scripts = {e.name: e.value for e in entry_points(group="gui_scripts")}
    assert scripts.get("site-builder-gui") == "site_builder.cli:run_workbench"
    folder = _site(tmp_path)
    port = free_port()
    code = (
        "import sys; sys.stdout = None; sys.stderr = None;"  # what pythonw gives
        f"sys.argv = ['site-builder-gui']; from site_builder import cli, args;"
        f"real = cli.main; cli.main = lambda argv: real([*argv, '--port', '{port}']);"
        "cli.run_workbench()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=folder, env=_env(), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_for(lambda: _answers(port))
    os.kill(process.pid, signal.SIGTERM)
    process.communicate(timeout=5)
    assert process.returncode == 0
    log = (folder / ".site-builder-workbench.log").read_text("utf-8")
    assert f"工作台：http://127.0.0.1:{port}/_admin/" in log


def test_an_empty_folder_starts_at_the_new_site_page(tmp_path: Path) -> None:
    """The officer's very first start, in an empty folder: the workbench offers to make the
    site, the preview says there is none yet (not an internal error), the watcher waits
    quietly, and once made the preview shows it without a restart."""
    process, port = _start(tmp_path, "serve", quiet=False)  # its log is read below
    _wait_for(lambda: _answers(port))
    status, page = _get(port, "/_admin/")
    assert status == 200 and "新建网站" in page and str(tmp_path.resolve()) in page
    status, preview = _get(port, "/")
    assert status == 200 and "还没有网站" in preview and "程序内部错误" not in preview
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token is not None
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = (
        "token="
        + token.group(1)
        + "&organiser=%E7%84%A6%E4%BD%9C%E5%B8%82%E6%80%BB%E5%B7%A5%E4%BC%9A&base_url="
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://127.0.0.1:{port}",
    }
    connection.request("POST", "/_admin/_new_site", body, headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 303
    assert "主办单位: 焦作市总工会" in (tmp_path / "content/site.yaml").read_text("utf-8")

    def shows_the_site() -> bool:
        return "焦作市总工会" in _get(port, "/qing-tian-xie-wang-zhi/")[1]

    _wait_for(shows_the_site, seconds=60)
    os.kill(process.pid, signal.SIGTERM)
    out, _ = process.communicate(timeout=5)
    assert "监视文件变化时出错" not in out.decode() and "程序内部错误" not in out.decode()


def test_only_forked_workers_let_go_of_the_preview_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spawned worker (macOS, Windows) is a new interpreter: the parent's descriptor
    numbers may be its own pipes there, and must not be closed."""
    from site_builder import workers

    monkeypatch.setattr(workers, "NOT_INHERITED", {99})
    for method, passed in (("fork", (99,)), ("spawn", ())):
        monkeypatch.setattr(workers.multiprocessing, "get_start_method", lambda m=method: m)
        pool = workers.worker_pool(1)
        try:
            assert pool._initargs[1] == passed  # type: ignore[attr-defined]
        finally:
            pool.shutdown()
