"""The package's shape: no import cycles, small documented modules, the public surface."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "site_builder"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every site_builder module ``name`` imports, anywhere in the file: at the top, inside
    functions (a local import hides a cycle, it does not remove it) and under TYPE_CHECKING."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return {m for m in found if m in known and m != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle in the graph as a list of modules, or None (iterative three-colour DFS)."""
    colour = dict.fromkeys(graph, 0)
    for start in sorted(graph):
        if colour[start]:
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        path = [start]
        colour[start] = 1
        while stack:
            node, todo = stack[-1]
            if not todo:
                colour[node] = 2
                stack.pop()
                path.pop()
                continue
            nxt = todo.pop()
            if colour[nxt] == 1:
                return [*path[path.index(nxt) :], nxt]
            if colour[nxt] == 0:
                colour[nxt] = 1
                path.append(nxt)
                stack.append((nxt, sorted(graph[nxt])))
    return None


def test_cycle_finder_finds_a_planted_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_import_cycle_inside_the_package() -> None:
    modules = all_modules()
    graph = {name: imports_of(name, path, set(modules)) for name, path in modules.items()}
    assert sum(len(edges) for edges in graph.values()) > 100  # the walk really saw the imports
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph) or [])


STAGES = ["model", "load", "checks", "pages"]  # the build's order: each uses only earlier ones


def stage_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports from a module of one stage to a module of a later stage."""

    def stage(module: str) -> int | None:
        parts = module.split(".")
        return STAGES.index(parts[1]) if len(parts) > 2 and parts[1] in STAGES else None

    found = []
    for name, edges in sorted(graph.items()):
        for target in sorted(edges):
            own, other = stage(name), stage(target)
            if own is not None and other is not None and other > own:
                found.append(f"{name} → {target}")
    return found


def test_stage_checker_finds_a_planted_upward_import() -> None:
    graph = {"site_builder.load.content": {"site_builder.pages.urls", "site_builder.model.x"}}
    assert stage_violations(graph) == ["site_builder.load.content → site_builder.pages.urls"]


def test_no_stage_imports_from_a_later_one() -> None:
    """model/ → load/ → checks/ → pages/: nothing runs back up (imports anywhere in a file,
    local and TYPE_CHECKING ones included)."""
    modules = all_modules()
    graph = {name: imports_of(name, path, set(modules)) for name, path in modules.items()}
    assert any(name.startswith("site_builder.pages.") for name in graph)
    assert stage_violations(graph) == []


# What scans output for private values: only the publish gate uses it (and the module that
# defines it). A new output that scanned on its own, or not at all, would not go through it.
SCANNING = {"scan_files", "Scan", "scan_workers", "readable", "visible_text"}


def test_only_the_publish_gate_scans_what_leaves() -> None:
    offenders = []
    for name, path in all_modules().items():
        if name in (
            "site_builder.gate",
            "site_builder.checks.privacy",
            "site_builder.checks.reading",
        ):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith(
                ("privacy", "reading")
            ):
                used = {alias.name for alias in node.names} & SCANNING
                offenders += [f"{name} imports {n}" for n in sorted(used)]
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "find"
                and "detector" in ast.unparse(node.func.value).lower()
            ):
                offenders.append(f"{name} calls {ast.unparse(node.func)}")
    assert offenders == []
    gate = (PACKAGE / "gate.py").read_text("utf-8")
    assert "Scan(" in gate  # the gate itself really scans


def test_every_output_route_goes_through_the_gate() -> None:
    """The build's staging, the preview, the 公众号 folder, the printed 公示 and deploy."""
    for rel in ["pipeline.py", "dev/serve.py", "publicity/wechat.py", "publicity/notice_doc.py"]:
        assert "gate.check(" in (PACKAGE / rel).read_text("utf-8") or "gate.scan(" in (
            PACKAGE / rel
        ).read_text("utf-8"), rel
    assert "gate.check(" in (PACKAGE / "deploy/run.py").read_text("utf-8")


def test_modules_are_small_and_say_what_they_own() -> None:
    for name, path in all_modules().items():
        tree = ast.parse(path.read_text("utf-8"))
        assert ast.get_docstring(tree), f"{name} has no module docstring"
        lines = len(path.read_text("utf-8").splitlines())
        assert lines <= 450, f"{name} has {lines} lines"


def test_public_surface() -> None:
    import site_builder

    for name in site_builder.__all__:
        assert getattr(site_builder, name) is not None
    from site_builder.pipeline import build, check

    assert site_builder.build is build and site_builder.check is check
    with pytest.raises(AttributeError):
        site_builder.nothing_here  # noqa: B018


def test_importing_the_package_stays_light() -> None:
    """The no-op build path decides before Pillow, pydantic or Jinja are imported."""
    code = (
        "import sys, site_builder, site_builder.cli, site_builder.write.fingerprint;"
        "heavy = [m for m in ('PIL', 'pydantic', 'jinja2', 'site_builder.pipeline') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_rule_has_exactly_one_check() -> None:
    from site_builder.checks.rules import CAMPAIGN_RULES, PERSON_RULES
    from site_builder.model.rules import Rules

    assert not set(CAMPAIGN_RULES) & set(PERSON_RULES)
    assert set(CAMPAIGN_RULES) | set(PERSON_RULES) == set(Rules.model_fields)


def test_label_maps_come_from_the_schema() -> None:
    from site_builder.forms.export import PRIVATE_COLUMNS
    from site_builder.model.fields import fields_of
    from site_builder.model.record import Record

    private = [d.labels[0] for d in fields_of(Record) if d.privacy == "private"]
    assert private == PRIVATE_COLUMNS
    assert "身份证号" in private and "工会会员" in private
    # the paper forms' labels are the schema's, less the fields no form has, plus synonyms
    from site_builder.forms.intake import FORM_SYNONYMS, LABELS, NOT_ON_FORMS
    from site_builder.model.record import RECORD_ALIASES, RECORD_LABELS

    for label, key in RECORD_ALIASES.items():
        if not label.isascii() and key not in NOT_ON_FORMS:
            assert LABELS[label] == RECORD_LABELS[key], label
    assert set(FORM_SYNONYMS.values()) <= set(RECORD_LABELS.values())
    assert "状态" not in LABELS and "证件照" not in LABELS


def test_every_command_in_readme_runs_as_pasted() -> None:
    """A line the officer copies from README into cmd or PowerShell is the command alone:
    no trailing ':: 注释' or '# 注释' (cmd passes them on as arguments), no '&&' (not in
    Windows PowerShell 5), nothing but the program and its arguments."""
    text = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```(bat|cmd|powershell|shell|sh|bash)\n(.*?)```", text, re.S)
    lines = [
        (kind, line.strip())
        for kind, body in blocks
        for line in body.splitlines()
        if line.strip() and not (kind == "bash" and line.lstrip().startswith("# "))
    ]
    assert len(lines) >= 8
    programs = ("py ", "pipx ", "python3 ", "mkdir ", "cd ", "site-builder", "bash ")
    for kind, line in lines:
        assert line.startswith(programs), (kind, line)
        assert " :: " not in line and " # " not in line and "&&" not in line, (kind, line)
        if kind != "bash":
            assert not line.startswith("bash "), line
