"""工作台: the same files as a text editor would change, field by field, and nothing
written that is invalid, stale, or asked for from another origin."""

from __future__ import annotations

import difflib
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.errors import Problems
from site_builder.load.content import parse_record
from site_builder.load.text import parse_yaml, split_front_matter
from site_builder.model.fields import one_line, paragraphs
from site_builder.model.record import RECORD_ALIASES
from site_builder.pipeline import BuildOptions
from site_builder.workbench.app import Workbench
from site_builder.workbench.edit import edit_record

from .conftest import ROOT

DEMO = sorted((ROOT / "content").glob("*/honorees/*/index.md"))
ORIGIN = "http://127.0.0.1:8000"
TOKEN = "t0ken-for-tests"
EDITABLE = ["name", "unit_position", "ethnicity", "political_status", "education", "summary",
            "native_place", "phone", "address", "status", "category", "nominating_unit"]  # fmt: skip
VALUES = {
    "status": st.sampled_from(["拟推荐", "已审定", "已撤销"]),
}
TEXT = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("Lu", "Ll", "Lo", "Nd", "Po", "Zs"), max_codepoint=0x9FFF
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]


def _field_lines(text: str, key: str) -> set[str]:
    """The lines of ``text`` that belong to the top-level field ``key`` (any label)."""
    yaml_text, _, _ = split_front_matter(text)
    doc = parse_yaml(yaml_text, first_line=2)
    lines = yaml_text.split("\n")
    starts = sorted((line - 2, str(loc[0])) for loc, line in doc.lines.items() if len(loc) == 1)
    owned = set()
    for i, (start, raw) in enumerate(starts):
        if RECORD_ALIASES.get(raw) == key:
            end = starts[i + 1][0] if i + 1 < len(starts) else len(lines)
            owned |= {lines[j] for j in range(start, end)}
    return owned


@settings(derandomize=True, database=None, deadline=None, max_examples=60)
@given(
    path=st.sampled_from(DEMO),
    key=st.sampled_from(EDITABLE),
    value=st.data(),
)
@example(path=DEMO[0], key="unit_position", value=None)
def test_editing_one_field_leaves_every_other_line_as_it_was(
    path: Path, key: str, value: st.DataObject | None
) -> None:
    text = path.read_text("utf-8")
    new_value = "示例公司: 快递员 #1" if value is None else value.draw(VALUES.get(key, TEXT))
    edited = edit_record(text, {key: new_value})
    before_field = _field_lines(text, key)
    for line in _changed_lines(text, edited):
        if line.startswith("-"):
            assert line[1:] in before_field, (key, line)  # only this field's old lines go
    problems = Problems()
    record = parse_record(edited, path, problems).record
    assert record is not None
    shown = getattr(record, key)
    if key == "status":
        assert {"拟推荐": "proposed", "已审定": "approved", "已撤销": "withdrawn"}[
            new_value
        ] == shown
    else:  # what the model makes of the text (one line; the summary keeps its lines)
        expected = paragraphs(new_value) if key == "summary" else one_line(new_value)
        assert shown == expected, (key, new_value, shown)


# --- the workbench's actions ----------------------------------------------------------------------


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    options = BuildOptions(
        content=tmp_path / "content", output=tmp_path / "output", cache=tmp_path / "cache"
    )
    return Workbench(options, TOKEN, {ORIGIN})


def _form(**fields: str | list[str]) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in fields.items()}


def _record_form(bench: Workbench, campaign: str, slug: str) -> dict[str, list[str]]:
    """The form as the browser would send it back unchanged: every control's value."""
    html = bench.handle("GET", f"{campaign}/{slug}/", {}, None).body.decode()
    import bs4

    soup = bs4.BeautifulSoup(html, "html.parser")
    form: dict[str, list[str]] = {}
    for control in soup.select("form input[name], form textarea[name], form select[name]"):
        name = str(control["name"])
        if control.name == "textarea":
            value = control.get_text()
        elif control.name == "select":
            chosen = control.select_one("option[selected]") or control.select_one("option")
            value = str(chosen.get("value", chosen.get_text())) if chosen else ""  # as a browser
        else:
            value = str(control.get("value", ""))
        form.setdefault(name, []).append(value)
    return form


CAMPAIGN = "2024-shili-xinjiuye"


def test_pages_list_campaigns_people_and_every_field_with_its_label(bench: Workbench) -> None:
    home = bench.handle("GET", "", {}, None).body.decode()
    assert f'href="/_admin/{CAMPAIGN}/"' in home and "示例市“最美新就业形态劳动者”" in home
    campaign = bench.handle("GET", f"{CAMPAIGN}/", {}, None).body.decode()
    assert ">陈立新</a>" in campaign and "已审定" in campaign and "推荐名额" in campaign
    page = bench.handle("GET", f"{CAMPAIGN}/chen-lixin/", {}, None).body.decode()
    import bs4

    soup = bs4.BeautifulSoup(page, "html.parser")
    for control in soup.select("input[type=text], select, textarea"):
        label = soup.select_one(f'label[for="{control["id"]}"]')
        assert label is not None and label.get_text().strip(), control
    for name in ("姓名", "性别", "出生年月", "单位及职务", "事迹简介", "状态", "身份证号"):
        assert soup.find("label", string=lambda s, n=name: bool(s) and s.startswith(n))
    private = soup.select_one("fieldset.private")
    assert private is not None and "不公开" in private.get_text()
    assert private.select_one("#f-id_number") is not None
    assert soup.find("button", string="保存") is not None


def test_a_save_changes_that_field_only(bench: Workbench) -> None:
    path = bench.options.content / CAMPAIGN / "honorees/chen-lixin/index.md"
    before = path.read_text("utf-8")
    form = _record_form(bench, CAMPAIGN, "chen-lixin")
    form["f.ethnicity"] = ["回族"]
    response = bench.handle("POST", f"{CAMPAIGN}/chen-lixin/", form, ORIGIN)
    assert response.status == 303, response.body.decode()[:2000]
    assert _changed_lines(before, path.read_text("utf-8")) == ["-民族: 汉族", "+民族: 回族"]
    # 撤销 puts the file back as it was
    assert (
        bench.handle("POST", f"{CAMPAIGN}/chen-lixin/undo", _form(token=TOKEN), ORIGIN).status
        == 303
    )
    assert path.read_text("utf-8") == before


def test_an_invalid_record_is_not_written_and_the_problem_shows_by_its_field(
    bench: Workbench,
) -> None:
    path = bench.options.content / CAMPAIGN / "honorees/chen-lixin/index.md"
    before = path.read_text("utf-8")
    form = _record_form(bench, CAMPAIGN, "chen-lixin")
    form["f.birth"] = ["1990.13"]
    form["f.category"] = ["快递小哥"]
    response = bench.handle("POST", f"{CAMPAIGN}/chen-lixin/", form, ORIGIN)
    assert response.status == 422 and path.read_text("utf-8") == before
    html = response.body.decode()
    assert "月份“13”不存在" in html and "“快递小哥”不是本活动的类别" in html
    assert 'value="1990.13"' in html  # what the officer typed is kept in the form


def test_a_file_changed_meanwhile_is_not_overwritten(bench: Workbench) -> None:
    path = bench.options.content / CAMPAIGN / "honorees/chen-lixin/index.md"
    form = _record_form(bench, CAMPAIGN, "chen-lixin")
    path.write_text(path.read_text("utf-8") + "\n同事用文本编辑器加的一段。\n", "utf-8")
    changed = path.read_text("utf-8")
    form["f.ethnicity"] = ["回族"]
    response = bench.handle("POST", f"{CAMPAIGN}/chen-lixin/", form, ORIGIN)
    html = response.body.decode()
    assert response.status == 409 and "已被别处修改" in html
    assert path.read_text("utf-8") == changed
    # what the officer typed is listed, and the form now holds the file as it is
    assert "<dt>民族</dt><dd>回族</dd>" in html and "同事用文本编辑器加的一段。" in html


@pytest.mark.parametrize(
    ("origin", "token"),
    [("http://evil.example", TOKEN), (None, TOKEN), (ORIGIN, "guessed"), (ORIGIN, "")],
)
def test_requests_from_elsewhere_change_nothing(
    bench: Workbench, origin: str | None, token: str
) -> None:
    path = bench.options.content / CAMPAIGN / "honorees/chen-lixin/index.md"
    before = path.read_text("utf-8")
    form = _record_form(bench, CAMPAIGN, "chen-lixin")
    form["token"], form["f.ethnicity"] = [token], ["回族"]
    assert bench.handle("POST", f"{CAMPAIGN}/chen-lixin/", form, origin).status == 403
    bulk = _form(token=token, status="已撤销", select=["chen-lixin"])
    assert bench.handle("POST", f"{CAMPAIGN}/", bulk, origin).status == 403
    assert path.read_text("utf-8") == before


@pytest.mark.parametrize(
    "path", ["../../etc/", "%2e%2e/%2e%2e/etc/", f"{CAMPAIGN}/../../site.yaml/", "/etc/passwd/"]
)
def test_paths_outside_content_are_never_reached(bench: Workbench, path: str) -> None:
    unquoted = urllib.parse.unquote(path)
    response = bench.handle("GET", unquoted, {}, None)
    assert response.status == 404
    post = bench.handle("POST", unquoted, _form(token=TOKEN, story="x"), ORIGIN)
    assert post.status == 404


def test_bulk_approval(bench: Workbench) -> None:
    folders = ["chen-lixin", "wang-chunyan", "liu-jianguo"]
    html = bench.handle("GET", f"{CAMPAIGN}/", {}, None).body.decode()
    import bs4

    soup = bs4.BeautifulSoup(html, "html.parser")
    digests = {
        name: [str(soup.select_one(f'input[name="digest.{name}"]')["value"])] for name in folders
    }
    form = _form(token=TOKEN, status="拟推荐", select=folders) | {
        f"digest.{name}": value for name, value in digests.items()
    }
    response = bench.handle("POST", f"{CAMPAIGN}/", form, ORIGIN)
    assert response.status == 200 and "已把 3 位人选的状态改为“拟推荐”" in response.body.decode()
    for name in folders:
        text = (bench.options.content / CAMPAIGN / "honorees" / name / "index.md").read_text(
            "utf-8"
        )
        assert "状态: 拟推荐" in text


def test_new_campaign_new_honouree_and_export(bench: Workbench) -> None:
    made = bench.handle("POST", "_new", _form(token=TOKEN, id="2026-shili-zuimei"), ORIGIN)
    assert made.status == 303 and made.headers["Location"] == "/_admin/2026-shili-zuimei/_settings"
    assert (bench.options.content / "2026-shili-zuimei" / "campaign.yaml").is_file()
    bad = bench.handle("POST", "_new", _form(token=TOKEN, id="../x"), ORIGIN)
    assert bad.status == 400 and not (bench.options.content.parent / "x").exists()

    person = bench.handle(
        "POST",
        f"{CAMPAIGN}/_new",
        _form(token=TOKEN, name="南宫博", unit="", category="快递员"),
        ORIGIN,
    )
    assert person.headers["Location"] == f"/_admin/{CAMPAIGN}/nangong-bo/"
    assert "姓名: 南宫博" in (
        bench.options.content / CAMPAIGN / "honorees/nangong-bo/index.md"
    ).read_text("utf-8")

    download = bench.handle("GET", f"{CAMPAIGN}/_export.xlsx", {}, None)
    assert download.status == 200 and download.body[:2] == b"PK"
    assert "attachment" in download.headers["Content-Disposition"]


def test_build_button_builds_and_offers_the_zip(bench: Workbench, tmp_path: Path) -> None:
    bench.options.output = tmp_path / "output"
    assert bench.handle("GET", "_site.zip", {}, None).status == 404
    page = bench.handle("POST", "_build", _form(token=TOKEN), ORIGIN).body.decode()
    assert "已生成" in page and (tmp_path / "output" / "index.html").is_file()
    archive = bench.handle("GET", "_site.zip", {}, None)
    assert archive.status == 200 and archive.body[:2] == b"PK"
    # a content error is shown, and output/ stays as it was
    before = (tmp_path / "output" / "index.html").read_bytes()
    path = bench.options.content / CAMPAIGN / "honorees/chen-lixin/index.md"
    path.write_text(path.read_text("utf-8").replace("性别: 男", "性别: 难"), "utf-8")
    page = bench.handle("POST", "_build", _form(token=TOKEN), ORIGIN).body.decode()
    assert "没有生成网站" in page and "取值“难”不在允许范围" in page
    assert (tmp_path / "output" / "index.html").read_bytes() == before


def test_import_previews_then_writes_on_confirmation(bench: Workbench, tmp_path: Path) -> None:
    from .test_intake import summary_xlsx

    data = summary_xlsx(tmp_path / "汇总表.xlsx").read_bytes()
    honorees = bench.options.content / CAMPAIGN / "honorees"
    before = sorted(p.name for p in honorees.iterdir())
    files = {"files": [("../../汇总表.xlsx", data), ("notes.txt", b"not a form")]}
    preview = bench.handle("POST", f"{CAMPAIGN}/_import", _form(token=TOKEN), ORIGIN, files=files)
    html = preview.body.decode()
    assert preview.status == 200 and "导入预览" in html and "张伟" in html
    assert sorted(p.name for p in honorees.iterdir()) == before  # a dry run writes nothing
    upload = re.search(r'name="upload" value="([0-9a-f]{16})"', html)
    assert upload is not None
    stored = list((bench.options.cache_dir / "workbench/uploads" / upload.group(1)).iterdir())
    assert [p.name for p in stored] == ["汇总表.xlsx"]  # the name made safe; the .txt refused
    done = bench.handle(
        "POST", f"{CAMPAIGN}/_import/confirm", _form(token=TOKEN, upload=upload.group(1)), ORIGIN
    )
    assert "已写入" in done.body.decode()
    new = sorted(set(p.name for p in honorees.iterdir()) - set(before))
    assert "zhang-wei" in new
    forged = bench.handle(
        "POST", f"{CAMPAIGN}/_import/confirm", _form(token=TOKEN, upload="../../../etc"), ORIGIN
    )
    assert forged.status == 400


def _notice_form(bench: Workbench) -> dict[str, list[str]]:
    html = bench.handle("GET", f"{CAMPAIGN}/_notice", {}, None).body.decode()
    import bs4

    soup = bs4.BeautifulSoup(html, "html.parser")
    form: dict[str, list[str]] = {}
    for control in soup.select("#notice-form input[name], #notice-form textarea[name]"):
        if control.get("type") == "checkbox" and not control.has_attr("checked"):
            continue  # as a browser: a checkbox is sent only when it is ticked
        value = control.get_text() if control.name == "textarea" else control.get("value", "")
        form.setdefault(str(control["name"]), []).append(str(value))
    return form


def test_notice_form_shows_the_period_and_saves_only_what_changed(bench: Workbench) -> None:
    page = bench.handle("GET", f"{CAMPAIGN}/_notice", {}, None).body.decode()
    assert "2024年3月28日至4月3日（5个工作日）" in page
    form = _notice_form(bench)
    live = dict(form, **{"n.working_days": ["7"]})
    assert bench.handle("POST", f"{CAMPAIGN}/_notice/period", live, ORIGIN).body.decode() == (
        "2024年3月28日至4月8日（7个工作日）"
    )  # across 清明 (4-4 to 4-6) and the weekend
    path = bench.options.content / CAMPAIGN / "campaign.yaml"
    before = path.read_text("utf-8")
    form["n.working_days"] = ["7"]
    form["n.phones"] = ["0000-0000000\n0000-1111111"]
    response = bench.handle("POST", f"{CAMPAIGN}/_notice", form, ORIGIN)
    assert response.status == 200 and "已保存" in response.body.decode()
    assert _changed_lines(before, path.read_text("utf-8")) == [
        "-  工作日数: 5",
        "+  工作日数: 7",
        '-    电话: ["0000-0000000"]',
        "+    电话:",
        "+      - 0000-0000000",
        "+      - 0000-1111111",
    ]


def test_a_notice_period_too_short_is_not_saved(bench: Workbench) -> None:
    path = bench.options.content / CAMPAIGN / "campaign.yaml"
    before = path.read_text("utf-8")
    form = _notice_form(bench)
    form["n.working_days"], form["n.end"] = [""], ["2024-03-29"]
    response = bench.handle("POST", f"{CAMPAIGN}/_notice", form, ORIGIN)
    assert response.status == 422 and path.read_text("utf-8") == before
    assert "只有 2 个工作日，少于规定的 5 个" in response.body.decode()


def test_a_notice_changed_meanwhile_is_not_overwritten(bench: Workbench) -> None:
    path = bench.options.content / CAMPAIGN / "campaign.yaml"
    form = _notice_form(bench)
    path.write_text(path.read_text("utf-8") + "# 同事加的注释\n", "utf-8")
    changed = path.read_text("utf-8")
    form["n.working_days"] = ["7"]
    response = bench.handle("POST", f"{CAMPAIGN}/_notice", form, ORIGIN)
    assert response.status == 409 and path.read_text("utf-8") == changed
    assert "您刚才填写的是：工作日数：7" in response.body.decode()


def _jpeg(size: tuple[int, int] = (800, 600)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 80, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def _digest_of(bench: Workbench, slug: str) -> str:
    html = bench.handle("GET", f"{CAMPAIGN}/{slug}/", {}, None).body.decode()
    found = re.search(r'name="digest" value="([0-9a-f]{16})"', html)
    assert found is not None
    return found.group(1)


def test_photo_upload_checks_the_file_like_the_build(bench: Workbench) -> None:
    folder = bench.options.content / CAMPAIGN / "honorees/chen-lixin"
    before = sorted(p.name for p in folder.iterdir())
    url = f"{CAMPAIGN}/chen-lixin/_photos"

    def upload(data: bytes, caption: str, kind: str = "work") -> int:
        form = _form(
            token=TOKEN, digest=_digest_of(bench, "chen-lixin"), kind=kind, caption=caption
        )
        return bench.handle("POST", url, form, ORIGIN, files={"photo": [("x.jpg", data)]}).status

    heic = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64
    assert upload(heic, "说明") == 422  # a broken HEIC: the build's own message, nothing stored
    assert upload(b"not a photo at all", "说明") == 422
    assert upload(_jpeg(), "") == 400  # a work photo needs its caption
    assert sorted(p.name for p in folder.iterdir()) == before
    assert upload(_jpeg(), "在站点门口分拣快件") == 303
    new = sorted(set(p.name for p in folder.iterdir()) - set(before))
    assert new == ["work-3.jpg"]
    text = (folder / "index.md").read_text("utf-8")
    assert "{文件: work-3.jpg, 说明: 在站点门口分拣快件}" in text
    assert upload(portrait := _jpeg((500, 700)), "", "portrait") == 303
    assert (folder / "portrait.jpg").read_bytes() == portrait  # the old one set aside:
    assert (bench.options.cache_dir / "workbench/trash/chen-lixin-portrait.jpg").is_file()


def test_photo_captions_order_removal_and_focus(bench: Workbench) -> None:
    folder = bench.options.content / CAMPAIGN / "honorees/chen-lixin"
    form = _form(
        token=TOKEN,
        digest=_digest_of(bench, "chen-lixin"),
        **{
            "photo.0.caption": "第一张，改过的说明",
            "photo.0.order": "2",
            "photo.1.caption": "第二张",
            "photo.1.order": "1",
            "portrait.focus": "0.5,0.3",
        },
    )
    assert bench.handle("POST", f"{CAMPAIGN}/chen-lixin/_photos/update", form, ORIGIN).status == 303
    text = (folder / "index.md").read_text("utf-8")
    assert text.index("说明: 第二张") < text.index("说明: 第一张，改过的说明")
    assert "焦点: 0.5,0.3" in text or '焦点: "0.5,0.3"' in text

    form = _form(token=TOKEN, digest=_digest_of(bench, "chen-lixin"), **{"photo.0.remove": "1"})
    form["photo.1.caption"] = ["第一张，改过的说明"]
    assert bench.handle("POST", f"{CAMPAIGN}/chen-lixin/_photos/update", form, ORIGIN).status == 303
    text = (folder / "index.md").read_text("utf-8")
    assert "第二张" not in text
    trash = list((bench.options.cache_dir / "workbench" / "trash").iterdir())
    assert len(trash) == 1 and trash[0].name.startswith("chen-lixin-")  # set aside, not deleted


def test_photos_are_only_served_from_their_own_folder(bench: Workbench) -> None:
    ok = bench.handle("GET", f"{CAMPAIGN}/chen-lixin/_photo/portrait.jpg", {}, None)
    assert ok.status == 200 and ok.body[:2] == b"\xff\xd8"
    for name in ("..", "index.md", "index.md/..", ".hidden", "..%2fsite.yaml"):
        response = bench.handle("GET", f"{CAMPAIGN}/chen-lixin/_photo/{name}", {}, None)
        assert response.status == 404, name


def test_a_story_saved_into_a_record_closed_with_dots_replaces_the_old_story(
    bench: Workbench,
) -> None:
    """YAML front matter may end with ``...``, which the build reads: saving the story must
    replace the body after it, not append a second story after a stray ``---``."""
    from site_builder.load.text import split_front_matter

    path = bench.options.content / CAMPAIGN / "honorees/chen-lixin/index.md"
    text = path.read_text("utf-8")
    head, fence, story = text.partition("\n---\n")
    assert fence and story
    path.write_text(f"{head}\n...\n{story}", "utf-8")
    form = _record_form(bench, CAMPAIGN, "chen-lixin")
    form["story"] = ["新的事迹：他在暴雨中把药送到了老人家里。"]
    response = bench.handle("POST", f"{CAMPAIGN}/chen-lixin/", form, ORIGIN)
    assert response.status == 303, response.body.decode()[:2000]
    saved = path.read_text("utf-8")
    yaml_text, body, _ = split_front_matter(saved)
    assert body == "新的事迹：他在暴雨中把药送到了老人家里。\n"
    assert saved.startswith(f"{head}\n...\n") and "\n---\n" not in saved
    assert yaml_text + "...\n" in saved


def test_a_new_male_honouree_is_saved_as_male(bench: Workbench) -> None:
    """新建人选 leaves 性别 empty; the form must show it empty (not the stand-in 男 the
    validator uses), so choosing 男 is a change that is saved."""
    made = bench.handle(
        "POST", f"{CAMPAIGN}/_new", _form(token=TOKEN, name="赵新人", unit="", category="快递员"),
        ORIGIN,
    )  # fmt: skip
    slug = made.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    path = bench.options.content / CAMPAIGN / "honorees" / slug / "index.md"
    assert "性别: " not in path.read_text("utf-8").replace("性别:             #", "")
    form = _record_form(bench, CAMPAIGN, slug)
    assert form["f.gender"] == [""]  # shown as the file has it: empty, not 男
    form["f.gender"] = ["男"]
    response = bench.handle("POST", f"{CAMPAIGN}/{slug}/", form, ORIGIN)
    body = response.body.decode()
    assert "性别 没有填写" not in body
    from site_builder.load.text import split_front_matter

    yaml_text, _, _ = split_front_matter(path.read_text("utf-8"))
    assert any(line.startswith("性别:") and "男" in line for line in yaml_text.splitlines())


@pytest.mark.parametrize(
    "name",
    ["张三\n状态: 已审定", "张三\x00李四", "李四: 已审定 # x", "王五\r\n民族: 汉族"],
)
def test_a_typed_name_never_becomes_a_field(bench: Workbench, name: str) -> None:
    """The name (and unit and category) go into the new record's YAML: a line break, a
    NUL or YAML's own punctuation in them must stay part of the name."""
    made = bench.handle(
        "POST", f"{CAMPAIGN}/_new", _form(token=TOKEN, name=name, unit="甲\n状态: 已审定", category="快递员"),
        ORIGIN,
    )  # fmt: skip
    assert made.status == 303, made.body.decode()[:500]
    slug = made.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    path = bench.options.content / CAMPAIGN / "honorees" / slug / "index.md"
    text = path.read_text("utf-8")
    assert "\x00" not in text
    from site_builder.load.text import parse_yaml, split_front_matter

    doc = parse_yaml(split_front_matter(text)[0], first_line=2)
    assert doc.problems == []  # no key twice, nothing that is not YAML
    data = doc.data
    assert "状态" not in data or data["状态"] != "已审定"
    assert "民族" not in data or data["民族"] is None
    assert data["姓名"].replace(" ", "") == "".join(name.replace("\x00", "").split())


def test_a_name_too_long_is_a_message_and_slugs_stay_short(bench: Workbench) -> None:
    long_name = "阿" * 300
    made = bench.handle(
        "POST", f"{CAMPAIGN}/_new", _form(token=TOKEN, name=long_name, unit="", category=""), ORIGIN
    )
    assert made.status == 400 and "超过了 64 个字" in made.body.decode()
    uyghur = "阿卜杜热合曼·买买提艾力·库尔班江·阿不都克力木·吐尔逊·艾合买提江·热合曼"
    made = bench.handle(
        "POST", f"{CAMPAIGN}/_new", _form(token=TOKEN, name=uyghur, unit="", category=""), ORIGIN
    )
    assert made.status == 303
    slug = made.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    assert 20 <= len(slug) <= 60 and not slug.endswith("-"), slug


def test_undo_steps_back_through_the_saves_and_never_forward(bench: Workbench) -> None:
    """撤销 twice goes two saves back; a third time there is nothing left to undo (it used
    to toggle: the second click brought back the save the first had undone)."""
    path = bench.options.content / CAMPAIGN / "honorees/chen-lixin/index.md"
    first = path.read_text("utf-8")
    for value in ("回族", "满族"):
        form = _record_form(bench, CAMPAIGN, "chen-lixin")
        form["f.ethnicity"] = [value]
        assert bench.handle("POST", f"{CAMPAIGN}/chen-lixin/", form, ORIGIN).status == 303
    second = first.replace("民族: 汉族", "民族: 回族")
    undo = (f"{CAMPAIGN}/chen-lixin/undo", _form(token=TOKEN), ORIGIN)
    assert bench.handle("POST", *undo).status == 303
    assert path.read_text("utf-8") == second
    assert bench.handle("POST", *undo).status == 303
    assert path.read_text("utf-8") == first
    assert bench.handle("POST", *undo).status == 404  # nothing further back
    assert path.read_text("utf-8") == first
    undone = list((bench.options.cache_dir / "workbench/history/undone").rglob("*.bak"))
    assert len(undone) == 2  # what 撤销 replaced is kept, not lost


def test_the_record_page_shows_its_own_problems_and_the_rules_it_breaks(
    bench: Workbench,
) -> None:
    """Not only after a save: opening the page shows what the build would say of this
    record, and a campaign rule it breaks with others (a third 货车司机 of one unit)."""
    honorees = bench.options.content / CAMPAIGN / "honorees"
    for slug in ("shan-guoqing", "wu-haitao"):
        path = honorees / slug / "index.md"
        text = path.read_text("utf-8")
        text = text.replace(text.split("推荐单位: ")[1].split("\n")[0], "示例市交通运输产业工会", 1)
        path.write_text(text, "utf-8")
    page = bench.handle("GET", f"{CAMPAIGN}/wu-haitao/", {}, None).body.decode()
    assert "“示例市交通运输产业工会”在“货车司机”类别推荐了 3 人" in page
    other = bench.handle("GET", f"{CAMPAIGN}/chen-lixin/", {}, None).body.decode()
    assert "货车司机”类别推荐了 3 人" not in other  # only the people it concerns
    assert "campaign.yaml" not in page  # said for the form, not as a file and a line
