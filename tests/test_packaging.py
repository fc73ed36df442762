"""Installed as an officer installs it: a wheel in a fresh virtual environment, used in an
empty folder far from this checkout (themes and fonts must come with the package)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    _run([sys.executable, "-m", "build", "--outdir", out, ROOT], cwd=out, env=env)
    return out


def test_sdist_and_wheel_carry_the_theme(dist: Path) -> None:
    wheel = next(dist.glob("site_builder-*.whl"))
    sdist = next(dist.glob("site_builder-*.tar.gz"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("theme.yml", "templates/base.html", "static/site.css"):
        assert f"site_builder/themes/default/{needed}" in names
    assert "site_builder/py.typed" in names
    for page in ("base", "home", "campaign", "record", "notice", "import", "build", "message"):
        assert f"site_builder/workbench/templates/{page}.html" in names
    assert not any(n.startswith(("tests/", "content/", "themes/")) for n in names)
    with tarfile.open(sdist) as tar:
        members = tar.getnames()
    assert any(m.endswith("site_builder/themes/default/templates/profile.html") for m in members)


def test_wheel_in_a_fresh_environment_builds_a_site_in_an_empty_folder(
    dist: Path, tmp_path: Path
) -> None:
    wheel = next(dist.glob("site_builder-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    _run([python, "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path, env=env)

    work = tmp_path / "工会专题"  # an officer's folder name, nowhere near the checkout
    work.mkdir()
    tool = bindir / "site-builder"
    _run([tool, "new", "site"], cwd=work, env=env)
    _run([tool, "new", "campaign", "2026-shili"], cwd=work, env=env)
    _run(
        [tool, "new", "honoree", "2026-shili", "张伟", "--unit", "示例区总工会"], cwd=work, env=env
    )
    built = _run([tool, "build"], cwd=work, env=env)
    assert (work / "output" / "index.html").is_file(), built
    assert any((work / "output" / "assets").glob("site.*.css"))
    _run([tool, "check"], cwd=work, env=env)
    # the workbench renders its pages from the installed package's templates
    page = _run(
        [
            python, "-c",
            "from pathlib import Path;"
            "from site_builder import BuildOptions;"
            "from site_builder.workbench.app import Workbench;"
            "bench = Workbench(BuildOptions(content=Path('content')), 't', set());"
            "print(bench.handle('GET', '2026-shili/zhang-wei/', {}, None).body.decode())",
        ],
        work, env,
    )  # fmt: skip
    assert "<h1>张伟</h1>" in page and "保存" in page
    version = _run([python, "-m", "site_builder", "--version"], cwd=work, env=env)
    assert version.startswith("site-builder ")
    # the package was really imported from the environment, not from this checkout
    where = _run([python, "-c", "import site_builder; print(site_builder.__file__)"], work, env)
    assert str(env_dir) in where and str(ROOT) not in where
