"""Broken sites under tests/sites/invalid/<case>/: each overlays tests/sites/base and
lists in expected.txt the lines (prefixes) its messages must contain."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.cli import main

from .conftest import Scratch

SITES = Path(__file__).parent / "sites"
CASES = sorted(p.name for p in (SITES / "invalid").iterdir() if p.is_dir())


def _site(case: str, tmp_path: Path) -> Scratch:
    content = tmp_path / "content"
    shutil.copytree(SITES / "base", content)
    for path in (SITES / "invalid" / case).rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = content / path.relative_to(SITES / "invalid" / case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return Scratch(tmp_path)


@pytest.mark.parametrize("case", CASES)
def test_invalid_site_messages(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    site.output.mkdir()
    (site.output / ".site-builder-output").write_bytes(b"")
    (site.output / "index.html").write_text("previous good build", "utf-8")

    code = main(["build", "--content", "content", "--output", "output", "--cache", "cache"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    lines = err.splitlines()
    for expected in (SITES / "invalid" / case / "expected.txt").read_text("utf-8").splitlines():
        assert any(line.startswith(expected) for line in lines), f"{expected!r} not in:\n{err}"
    # the failed build left the previous output exactly as it was
    assert (site.output / "index.html").read_text("utf-8") == "previous good build"
    assert sorted(p.name for p in site.output.iterdir()) == [".site-builder-output", "index.html"]

    # check reports the same problems without writing anything
    assert main(["check", "--content", "content"]) == 1
