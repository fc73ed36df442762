"""Project themes: one template or static file overridden, the rest from the theme extended;
theme.yml and the project's templates are the officer's files and get messages, not tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.cli import main

from .conftest import Scratch


def _use_theme(scratch: Scratch, name: str) -> None:
    site = scratch.content / "site.yaml"
    site.write_text(site.read_text("utf-8") + f"主题: {name}\n", "utf-8")


def _theme(scratch: Scratch, name: str, theme_yml: str, files: dict[str, str]) -> Path:
    folder = scratch.root / "themes" / name
    folder.mkdir(parents=True)
    (folder / "theme.yml").write_text(theme_yml, "utf-8")
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, "utf-8")
    return folder


def _run(scratch: Scratch, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.chdir(scratch.root)
    return main([*args, "--content", "content"])


def test_project_theme_overrides_one_template_and_one_static_file(scratch: Scratch) -> None:
    scratch.honoree("li-ce-shi")
    _theme(
        scratch,
        "zhuanti",
        "名称: 专题\n继承: default\n",
        {
            "templates/404.html": '{% extends "base.html" %}{% block main %}'
            "<p data-own-404>页面不见了（本会自定义）</p>{% endblock %}",
            "static/favicon.svg": '<svg xmlns="http://www.w3.org/2000/svg"><title>会徽</title></svg>',
        },
    )
    _use_theme(scratch, "zhuanti")
    scratch.build()
    assert scratch.html("404.html").select_one("[data-own-404]") is not None
    # every other page still comes from the default theme
    profile = scratch.html("2024-test/li-ce-shi/index.html")
    assert profile.select_one("h1").get_text() == "李测试"
    assets = {p.name for p in (scratch.output / "assets").iterdir()}
    assert any(n.startswith("site.") and n.endswith(".css") for n in assets)
    favicon = next((scratch.output / "assets").glob("favicon.*.svg"))
    assert "会徽" in favicon.read_text("utf-8")


def test_a_theme_named_default_in_the_project_extends_the_builtin_one(scratch: Scratch) -> None:
    """mkdocs' custom_dir: a project themes/default/ that extends default changes one page."""
    scratch.honoree("li-ce-shi")
    _theme(
        scratch,
        "default",
        "继承: default\n",
        {
            "templates/404.html": '{% extends "base.html" %}{% block main %}<p id="own">x</p>{% endblock %}'
        },
    )
    scratch.build()
    assert scratch.html("404.html").select_one("#own") is not None
    assert scratch.html("2024-test/li-ce-shi/index.html").select_one("h1") is not None


def test_broken_theme_yml_names_file_and_line(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    _theme(scratch, "zhuanti", "名称: 专题\n继承: [default\n说明: 漏了括号\n", {})
    _use_theme(scratch, "zhuanti")
    assert _run(scratch, monkeypatch, "build") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "内部错误" not in err
    assert "themes/zhuanti/theme.yml:2:" in err and "方括号" in err


def test_unknown_key_and_unknown_parent_in_theme_yml(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    _theme(scratch, "a", "名称: 甲\n继成: default\n", {})
    _theme(scratch, "b", "名称: 乙\n继承: 不存在的主题\n", {})
    _use_theme(scratch, "a")
    assert _run(scratch, monkeypatch, "build") == 1
    err = capsys.readouterr().err
    assert "themes/a/theme.yml:2: 继成 — 未知字段“继成” — 您是否想写“继承”？" in err
    site = scratch.content / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("主题: a", "主题: b"), "utf-8")
    assert _run(scratch, monkeypatch, "build") == 1
    err = capsys.readouterr().err
    assert "themes/b/theme.yml:2: 主题 — 找不到主题“不存在的主题”" in err


def test_missing_theme_points_at_site_yaml(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    _use_theme(scratch, "meiyou")
    assert _run(scratch, monkeypatch, "build") == 1
    err = capsys.readouterr().err
    line = len((scratch.content / "site.yaml").read_text("utf-8").splitlines())
    assert f"content/site.yaml:{line}: 主题 — 找不到主题“meiyou”" in err


def test_broken_project_template_is_a_content_problem(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    _theme(
        scratch,
        "zhuanti",
        "继承: default\n",
        {"templates/404.html": '{% extends "base.html" %}\n{% block main %}\n{{ page.nothing }\n'},
    )
    _use_theme(scratch, "zhuanti")
    previous = scratch.output
    assert _run(scratch, monkeypatch, "build") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "内部错误" not in err
    assert "themes/zhuanti/templates/404.html:3: 模板 — 主题模板出错" in err
    assert not previous.exists()  # nothing was written


def test_undefined_variable_in_project_template_names_the_template(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch.honoree("li-ce-shi")
    _theme(
        scratch,
        "zhuanti",
        "继承: default\n",
        {
            "templates/404.html": '{% extends "base.html" %}\n{% block main %}\n{{ nothing.here }}\n{% endblock %}'
        },
    )
    _use_theme(scratch, "zhuanti")
    assert _run(scratch, monkeypatch, "build") == 1
    err = capsys.readouterr().err
    assert "themes/zhuanti/templates/404.html:3: 模板 — 主题模板出错" in err
