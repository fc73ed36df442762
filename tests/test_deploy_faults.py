"""A deploy killed at named moments, then run again: the target converges to exactly the
site deployed last, with no half-written file, no page pointing at a missing file, no
empty folder and no manifest a reader could download."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.deploy.plan import NOT_PUBLISHED

from .conftest import ROOT, Scratch, record
from .test_deploy import (  # noqa: F401  (fixtures)
    Server,
    _published,
    _site,
    _whole,
    folder_server,
    ftp_server,
    sftp_server,
)

SERVERS = ["ftp_server", "sftp_server", "folder_server"]
pytestmark = [  # pyftpdlib still imports asyncore/asynchat (see test_deploy.py)
    pytest.mark.filterwarnings("ignore:The asyncore module is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The asynchat module is deprecated:DeprecationWarning"),
]


def _deploy(
    scratch: Scratch, server: Server, output: Path, die_at: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITE_BUILDER_")}
    env.update(server.env)
    if die_at:
        env["SITE_BUILDER_DIE_AT"] = die_at
    command = [sys.executable, "-m", "site_builder", "deploy", "--write", "--allow-deletes"]
    command += ["--content", str(scratch.content), "--output", str(output)]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, cwd=scratch.root
    )


def _live(server: Server) -> dict[str, bytes]:
    return {k: v for k, v in server.files().items() if not k.startswith(".site-builder")}


def _two_versions(scratch: Scratch) -> tuple[Path, Path]:
    """output/ of the site (A), set aside, and output/ after an edit and a new person (B)."""
    scratch.honoree("li-ce-shi", photos=2)
    scratch.honoree("wang-ce-shi", record("王测试"), photos=1)
    scratch.build()
    first = scratch.root / "output-a"
    shutil.copytree(scratch.output, first)
    story = scratch.campaign / "honorees/li-ce-shi/index.md"
    story.write_text(story.read_text("utf-8") + "\n后来补充的一段事迹。\n", "utf-8")
    scratch.honoree("zhao-ce-shi", record("赵测试"), photos=1)
    scratch.build()
    return first, scratch.output


def _published_of(output: Path) -> dict[str, bytes]:
    """What a deploy of ``output`` publishes (as test_deploy's ``_published`` for output/)."""
    return {
        rel: path.read_bytes()
        for path in output.rglob("*")
        if path.is_file()
        for rel in [path.relative_to(output).as_posix()]
        if rel not in NOT_PUBLISHED and not rel.endswith(".gz")
    }


KILLS = [  # a folder is written file by file atomically: it has no half-sent file
    (server, moment)
    for server in SERVERS
    for moment in ("part-written", "uploaded-3")
    if not (server == "folder_server" and moment == "part-written")
]


@pytest.mark.parametrize(("server_name", "moment"), KILLS)
def test_a_killed_deploy_converges_on_the_next_one(
    scratch: Scratch, request: pytest.FixtureRequest, server_name: str, moment: str
) -> None:
    server: Server = request.getfixturevalue(server_name)
    if server.root is not None and server.root.exists():
        shutil.rmtree(server.root)  # a fresh target for each case
    _site(scratch, server)
    first, second = _two_versions(scratch)
    assert _deploy(scratch, server, first).returncode == 0
    assert _live(server) == _published_of(first)

    killed = _deploy(scratch, server, second, die_at=moment)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _live(server) != _published_of(first)  # the kill left it half-way

    # the officer goes back to the old site: it must be exactly that, not a mix
    again = _deploy(scratch, server, first)
    assert again.returncode == 0, again.stderr
    assert _live(server) == _published_of(first)
    assert _whole(_live(server)) == []
    rerun = _deploy(scratch, server, first)
    assert rerun.returncode == 0 and "新增 0 个、更新 0 个文件" in rerun.stdout + rerun.stderr
    # and forward again
    assert _deploy(scratch, server, second).returncode == 0
    assert _live(server) == _published_of(second)


@pytest.mark.parametrize("server_name", SERVERS)
def test_a_withdrawal_leaves_no_empty_folder(
    scratch: Scratch, request: pytest.FixtureRequest, server_name: str
) -> None:
    server: Server = request.getfixturevalue(server_name)
    assert server.root is not None
    if server.root.exists():
        shutil.rmtree(server.root)
    _site(scratch, server)
    scratch.honoree("li-ce-shi", photos=1)
    scratch.honoree("wang-ce-shi", record("王测试"), photos=1)
    scratch.build()
    assert _deploy(scratch, server, scratch.output).returncode == 0
    assert (server.root / "2024-test/wang-ce-shi").is_dir()
    wang = scratch.campaign / "honorees/wang-ce-shi/index.md"
    wang.write_text(wang.read_text("utf-8").replace("状态: 已审定", "状态: 已撤销"), "utf-8")
    scratch.build()
    assert _deploy(scratch, server, scratch.output).returncode == 0
    empty = [d for d in server.root.rglob("*") if d.is_dir() and not any(d.iterdir())]
    assert empty == [] and not (server.root / "2024-test/wang-ce-shi").exists()
    assert _live(server) == _published(scratch)


@pytest.mark.parametrize("server_name", ["ftp_server", "sftp_server"])
def test_the_manifest_is_kept_out_of_the_published_folder(
    scratch: Scratch, request: pytest.FixtureRequest, server_name: str
) -> None:
    server: Server = request.getfixturevalue(server_name)
    assert server.root is not None
    if server.root.exists():
        shutil.rmtree(server.root)
    _site(scratch, server)
    scratch.honoree("li-ce-shi")
    scratch.build()
    (server.root).mkdir(parents=True, exist_ok=True)
    (server.root / ".site-builder-deploy.json").write_text("{}")  # where an older one was
    assert _deploy(scratch, server, scratch.output).returncode == 0
    assert not any(p.name.startswith(".site-builder") for p in server.root.rglob("*"))
    beside = server.root.parent / f".site-builder-deploy.{server.root.name}.json"
    assert beside.is_file() and "2024-test/li-ce-shi/index.html" in beside.read_text()
    assert ROOT.is_dir()


CHILD = """
import sys, threading
from pathlib import Path
from site_builder.options import BuildOptions
from site_builder.workbench.app import Workbench

content, output, cache = map(Path, sys.argv[1:4])
bench = Workbench(BuildOptions(content=content, output=output, cache=cache), "t", {"http://o"})
answer = bench.handle("POST", "_publish/run", {"token": ["t"], "target": ["www"]}, "http://o")
assert answer.status == 303, answer.body
for thread in threading.enumerate():
    if thread.name == "site-builder-publish":
        thread.join()
"""


def test_a_publication_from_the_workbench_killed_halfway_converges(scratch: Scratch) -> None:
    """The workbench as deploy's caller: its process killed after the third file, the live
    site has no page pointing at a missing file, and the next 发布 finishes the job."""
    from site_builder.workbench.app import Workbench

    from .test_workbench_settings import ORIGIN, TOKEN

    target = scratch.folder_target()
    first, _ = _two_versions(scratch)
    shutil.rmtree(scratch.output)
    shutil.copytree(first, scratch.output)  # the site as last published …
    bench = Workbench(scratch.options(), TOKEN, {ORIGIN})
    bench.handle("POST", "_publish/run", {"token": [TOKEN], "target": ["www"]}, ORIGIN)
    _wait(bench)
    before = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert before  # … is live
    story = scratch.campaign / "honorees/wang-ce-shi/index.md"
    story.write_text(story.read_text("utf-8") + "\n工作台发布前补充的一段。\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITE_BUILDER_")}
    env["SITE_BUILDER_DIE_AT"] = "uploaded-3"
    args = [str(scratch.content), str(scratch.output), str(scratch.root / "cache")]
    killed = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True,
                            text=True, timeout=300, cwd=scratch.root)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    live = {
        p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()
    }
    assert _whole({k: v for k, v in live.items() if not k.startswith(".site-builder")}) == []

    again = Workbench(scratch.options(), TOKEN, {ORIGIN})  # the officer starts it again
    again.handle("POST", "_publish/run", {"token": [TOKEN], "target": ["www"]}, ORIGIN)
    assert _wait(again)["state"] == "done"
    live = {
        p.relative_to(target).as_posix(): p.read_bytes() for p in target.rglob("*") if p.is_file()
    }
    assert {k: v for k, v in live.items() if not k.startswith(".site-builder")} == _published_of(
        scratch.output
    )
    assert "工作台发布前补充的一段" in live["2024-test/wang-ce-shi/index.html"].decode()


def _wait(bench: object) -> dict[str, object]:
    import json
    import time

    for _ in range(600):
        state = json.loads(bench.handle("GET", "_publish/job.json", {}, None).body)  # type: ignore[attr-defined]
        if state["state"] != "running":
            return dict(state)
        time.sleep(0.1)
    raise AssertionError("the publication did not end")
