"""The privacy scan is exact: every way of hiding a number in published text is caught and
traced to its record and field, and nothing the officer did not write can fail a build."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.checks import privacy
from site_builder.checks.privacy import Detector
from site_builder.checks.reading import readable, without_hashed_refs
from site_builder.errors import ContentError
from site_builder.model.identifiers import id_number_problem, normalise

from .conftest import CAMPAIGN_YAML, SITE_YAML, Scratch, record

MOBILE = "13565718841"


def _refused(scratch: Scratch, **fields: str) -> list[str]:
    scratch.honoree("li-ce-shi", **fields)
    with pytest.raises(ContentError) as caught:
        scratch.build()
    assert not scratch.output.exists()
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    "spelling",
    [
        "135\u200b6571\u200b8841",  # zero-width space
        "135\u200c6571\u200d8841",  # ZWNJ, ZWJ
        "1356\u20605718841",  # word joiner
        "135\u00ad6571\u00ad8841",  # soft hyphen
        "135\u20096571\u20098841",  # thin space
        "+86\u200b13565718841",
        "0086 135 6571 8841",
    ],
)
def test_mobile_hidden_by_invisible_characters_in_a_field(scratch: Scratch, spelling: str) -> None:
    messages = _refused(scratch, 单位及职务=f'"示例公司 快递员 电话{spelling}"')
    assert any(
        "index.md:5: 单位及职务 — 公开内容里出现了手机号码“135****8841”" in m for m in messages
    ), messages


@pytest.mark.parametrize(
    ("story", "why"),
    [
        ("联系他：135\u200b6571\u200b8841。", "invisible"),
        ("他的号码是 13800861234。", "0086 inside the number"),
        ("拨打 135**6571**8841 即可。", "Markdown emphasis"),
        ("拨打 1356571  \n8841 即可。", "a <br> in the middle"),
        ("拨打 &#49;&#51;&#53;65718841 即可。", "HTML entities"),
        ("拨打 <span>135</span>65718841 即可。", "inline HTML"),
    ],
)
def test_mobile_hidden_in_the_story_is_traced_to_the_story(
    scratch: Scratch, story: str, why: str
) -> None:
    text = record().replace("他每天送件，从不抱怨。", f"第一段。\n\n{story}\n")
    scratch.honoree("li-ce-shi", text=text)
    with pytest.raises(ContentError) as caught:
        scratch.build()
    messages = [str(p) for p in caught.value.problems]
    assert any(
        "li-ce-shi/index.md:" in m and "事迹正文 — 公开内容里出现了手机号码" in m for m in messages
    ), (why, messages)
    assert not any("search." in m for m in messages)  # named at its source, not in the output


def test_valid_id_numbers_containing_0086_are_accepted(scratch: Scratch) -> None:
    for number in ("990101199710086104", "110105198600861236"):
        assert normalise(number) == number
    assert id_number_problem("990101199710086104") is None
    scratch.honoree("li-ce-shi", 身份证号='"990101199710086104"')
    scratch.build()


def test_private_value_inside_a_generated_file_name_does_not_fail_the_build(
    scratch: Scratch,
) -> None:
    """A postcode that happens to appear inside an image's content hash is not a leak."""
    scratch.honoree("li-ce-shi", photos=2)
    scratch.build()
    hashes = [
        m.group(1)
        for p in scratch.output.rglob("*")
        if (m := re.search(r"\.([0-9a-f]{10})\.", p.name))
    ]
    runs = sorted({r for h in hashes for r in re.findall(r"\d{3,}", h)}, key=len, reverse=True)
    assert runs, hashes  # with dozens of hashes a run of 3+ digits is certain
    scratch.honoree("li-ce-shi", photos=2, 邮编=f'"{runs[0]}"')
    scratch.build()  # must not stop with "生成的文件里出现了不公开字段的内容"


def test_detector_matches_whole_tokens_only() -> None:
    detector = Detector({"044000": "a/index.md 邮编", "王联系": "a/index.md 联系人"})
    assert detector.find("邮编 044000。")
    assert not detector.find("图片 a7044000f3.webp 和 10440001")
    assert detector.find("找王联系人")  # CJK has no word boundaries: a name is found inside text
    assert not detector.find("")


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("+8613800861234", "13800861234"),
        ("拨打 0086 138 0086 1234", "拨打 13800861234"),
        ("a008613800861234", "a008613800861234"),  # inside a longer token: not a prefix
        ("8613800138000", "13800138000"),  # 86 before a mobile, standing alone (wa.me/86…)
        ("a8613800138000", "a8613800138000"),  # glued to a word: not a prefix
        ("１３５\u200b٦٥٧١８８４１", "13565718841"),  # full-width, invisible, Arabic-Indic
        ("१३५६५७१८८४१", "13565718841"),  # Devanagari digits read as digits too
    ],
)
def test_normal_form(text: str, normal: str) -> None:
    assert normalise(text) == normal


def test_plain_characters_are_ones_the_normal_form_leaves_alone() -> None:
    """normalise skips its table for text of these characters only: every one of them
    must be a character the table does not change (checked over the whole range)."""
    from site_builder.model import identifiers

    table = identifiers._fold()[0]
    plain = re.compile(f"[{identifiers.PLAIN_RANGES}]")
    assert [hex(cp) for cp in range(0x10000) if plain.match(chr(cp)) and cp in table] == []
    assert (
        plain.match("中") and plain.match("，") and not plain.match("＋") and not plain.match("１")
    )


def test_the_two_readings_are_the_normal_forms_and_split_takes_the_white_space_of_s() -> None:
    """``Detector.find`` folds a text once for both readings, and takes white space out
    with ``str.split``: the same characters as the ``\\s`` it replaced, over every code
    point (both are Python's ``isspace``, but this is what the scan relies on)."""
    from site_builder.model.identifiers import readings

    texts = ["拨打 0086 138 0086 1234", "１３５\u200b٦٥ 71８８４１", "一三八零零零零一二三四 5"]
    for text in texts:
        assert readings(text) == (normalise(text), normalise(text, keep_spaces=True))
    white = re.compile(r"\s")
    spaces = [cp for cp in range(0x110000) if white.match(chr(cp))]
    assert len(spaces) > 20
    assert [cp for cp in range(0x110000) if chr(cp).isspace()] == spaces
    assert "".join(f"a{chr(cp)}b" for cp in spaces).split() == ["a"] + ["ba"] * (
        len(spaces) - 1
    ) + ["b"]


def test_pattern_hits_are_whole_tokens() -> None:
    detector = Detector()
    assert [f.kind for f in detector.find("电话13565718841。")] == ["手机号码"]
    assert not detector.find("13565718841B")  # a letter after it: a code, not a phone
    assert not detector.find("9913565718841")  # inside a longer number
    assert not detector.find("hash7de4a913565718841")  # inside a long token (a hash)
    # a few letters glued on before it (wx, QQ, ID, tel) still leave the number readable
    assert [f.value for f in detector.find("编号A13565718841")] == ["13565718841"]
    hits = detector.find("x13565718841 和 13900090222")
    assert [h.value for h in hits] == ["13565718841", "13900090222"]
    assert [f.kind for f in detector.find("号 11010519491231002X。")] == ["身份证号"]


def test_hashed_references_are_not_read() -> None:
    html = '<img src="/a/photo-1-480.7de4629404.webp" alt="邮编 044000"> 0440000000.'
    assert without_hashed_refs(html) == '<img src=" " alt="邮编 044000"> 0440000000.'
    assert without_hashed_refs("x .7de4629404.js") == "x .7de4629404.js"  # no name before it


def test_detector_is_one_pass_over_many_values() -> None:
    values = {f"{100000 + i}": f"r{i}/index.md 邮编" for i in range(5000)}
    detector = Detector(values)
    text = "，".join(f"第{i}段" for i in range(2000)) + " 104999 "
    (hit,) = detector.find(text)
    assert hit.value == "104999" and hit.source == "r4999/index.md 邮编"


INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u2009", "\u00a0"]
SEPARATORS = ["", " ", "-", "\u3000", "．", "·"]


@settings(derandomize=True, database=None, deadline=None, max_examples=30)
@given(
    before=st.text(alphabet="测试快递员风雨无阻，。", max_size=12),
    after=st.text(alphabet="测试快递员风雨无阻，。", max_size=12),
    glue=st.lists(st.sampled_from(INVISIBLES + SEPARATORS), min_size=10, max_size=10),
    field=st.sampled_from(["单位及职务", "事迹简介", "story"]),
)
@example(before="", after="", glue=["\u200b"] * 10, field="story")
@example(before="电话", after="。", glue=["\u00ad", "", "-", "", "\u2060"] * 2, field="事迹简介")
@example(
    before="", after="", glue=["\u200b"] * 9 + ["．"], field="单位及职务"
)  # found by this test
def test_private_value_with_invisibles_and_separators_is_always_refused(
    before: str, after: str, glue: list[str], field: str
) -> None:
    """The honouree's own phone (a private field) pasted into published text, however split."""
    phone = "13900090222"
    hidden = "".join(d + g for d, g in zip(phone, [*glue, ""], strict=True))
    text = f"{before}{hidden}{after}"
    with tempfile.TemporaryDirectory() as tmp:
        site = Scratch(Path(tmp))
        site.write("site.yaml", SITE_YAML + "生成海报: 否\n")  # posters are beside the point
        site.write("2024-test/campaign.yaml", CAMPAIGN_YAML)
        quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if field == "story":
            body = record(联系方式=f'"{phone}"').replace("他每天送件，从不抱怨。", text)
            site.honoree("li", text=body)
        else:
            site.honoree("li", text=record(**{field: quoted, "联系方式": f'"{phone}"'}))
        with pytest.raises(ContentError) as caught:
            site.build()
        assert any(
            "139****0222" in p.message and "li/index.md" in p.path for p in caught.value.problems
        )
        assert not site.output.exists()


@pytest.mark.parametrize("forking", [True, False])  # files shared with forked workers, or sent
def test_a_large_output_is_scanned_in_workers_with_the_same_hits(
    monkeypatch: pytest.MonkeyPatch, forking: bool
) -> None:
    monkeypatch.setattr(privacy, "PARALLEL_SCAN_BYTES", 1000)
    monkeypatch.setattr(privacy, "_forking", lambda: forking)
    monkeypatch.setattr(privacy.os, "cpu_count", lambda: 2)
    detector = Detector({"450001": "x/index.md 邮政编码"})
    files = {
        f"p{i:02d}/index.html": (
            f"<p>第{i}页 "
            + ("电话 13565718841，邮编 450001，" if i % 7 == 3 else "")
            + "正文" * 200
        ).encode()
        for i in range(40)
    }
    files["p03/qr.png"] = b"\x89PNG 13565718841"  # an image: not read
    files["search.json"] = '{"t": "身份证 110105491231002"}'.encode()
    scan = privacy.Scan(files, detector)
    assert scan.pool is not None  # in workers, not here
    hits = scan.result()
    assert privacy._INHERITED == {}  # let go once scanned
    assert hits == privacy.scan_files(files, detector)
    assert [name for name, _ in hits] == [
        *(n for n in ["p03/index.html", "p10/index.html", "p17/index.html", "p24/index.html",
                      "p31/index.html", "p38/index.html"] for _ in range(2)),
        "search.json",
    ]  # fmt: skip


def test_output_scanned_in_workers_while_staged_stops_the_build_and_keeps_output(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch.honoree("li-ce-shi")
    scratch.build()
    scratch.build(force=True)  # now there is a set-aside output to stage into
    before = scratch.tree()
    monkeypatch.setattr(privacy, "PARALLEL_SCAN_BYTES", 1)
    monkeypatch.setattr(privacy.os, "cpu_count", lambda: 2)
    campaign = scratch.campaign / "campaign.yaml"
    campaign.write_text(
        campaign.read_text("utf-8").replace("年度: 2024", "年度: 2024\n简介: 咨询 13987654321"),
        "utf-8",
    )
    with pytest.raises(ContentError) as caught:
        scratch.build()
    assert any("生成的文件里出现了手机号码“139****4321”" in str(p) for p in caught.value.problems)
    assert scratch.tree() == before
    assert not list(scratch.root.glob(".output.staging-*"))  # what was staged is gone


def test_early_workers_only_for_a_large_site_where_workers_are_not_forked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(privacy.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(privacy, "_forking", lambda: True)
    assert privacy.scan_workers(10_000) is None  # forked by the scan itself, files shared
    monkeypatch.setattr(privacy, "_forking", lambda: False)
    assert privacy.scan_workers(privacy.SCAN_WORKERS_FROM - 1) is None
    started = privacy.scan_workers(privacy.SCAN_WORKERS_FROM)
    assert started is not None
    monkeypatch.setattr(privacy, "PARALLEL_SCAN_BYTES", 10)
    files = {"a/index.html": "电话 13565718841".encode(), "b/index.html": "正文".encode() * 9}
    detector = Detector()
    scan = privacy.Scan(files, detector, started)
    assert scan.pool is started
    assert scan.result() == privacy.scan_files(files, detector) != []


# The disguised forms an attack got past the scan (#27), each with what it must find.
DISGUISED = [
    ("138/0000/0001", "13800000001"),
    ("(138)0000-0001", "13800000001"),
    ("（138）0000-0001", "13800000001"),
    ("wx13800000001", "13800000001"),
    ("微信号：vx13800000001。", "13800000001"),
    ("ID990101198604031105", "990101198604031105"),
    ("2024.05 13800000001", "13800000001"),
    ("一三八零零零零零零零一", "13800000001"),
    ("https://wa.me/8613800000001", "13800000001"),
    ('<a href="https://wa.me/8613800000001">联系</a>', "13800000001"),
]


@pytest.mark.parametrize(("text", "number"), DISGUISED)
def test_disguised_numbers_are_found(text: str, number: str) -> None:
    assert number in [f.value for f in Detector().find(readable("x.html", text.encode()))]


def test_two_phones_a_space_apart_are_both_found() -> None:
    hits = Detector().find("请致电 13800000001 13900000002 咨询")
    assert sorted(h.value for h in hits) == ["13800000001", "13900000002"]


def test_a_number_in_a_name_shaped_like_a_generated_file_is_read() -> None:
    html = '<a href="https://evil.example/13800000001.0123abcdef.png">图</a>'
    assert [f.value for f in Detector().find(readable("x.html", html.encode()))] == ["13800000001"]
    ours = '<img src="assets/2024/li/photo-1-480.7de4629404.webp" alt="照片">'
    assert without_hashed_refs(ours) == '<img src=" " alt="照片">'


def test_a_private_address_with_a_space_typed_in_is_found() -> None:
    detector = Detector({"示例路1号1单元": "li/index.md 详细地址"})
    (hit,) = detector.find("家住示例路 1号1单元附近")
    assert hit.source == "li/index.md 详细地址"


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月28日至4月3日（5个工作日）",
        "电话：0391-3999920",
        "邮编 454000，2024/05/13 发布",
        "一二三四五六七八九十",
        "第一二三届",
        "共20人，其中快递员5人",
        "ISBN 978-7-5086-1234-5",
    ],
)
def test_ordinary_text_raises_no_alarm(text: str) -> None:
    assert Detector().find(text) == []


def test_the_last_detector_serves_again_only_for_the_same_private_values(
    scratch: Scratch,
) -> None:
    """The preview and the workbench reuse the detector while the private values stay the
    same; a phone changed in a record (or a new record) makes a new one that finds it."""
    from site_builder.errors import Problems
    from site_builder.load.content import load_site

    def detector() -> Detector:
        site = load_site(scratch.content, Problems(scratch.root))
        assert site is not None
        return privacy.privacy_detector(site)

    scratch.honoree("li-ce-shi")
    first = detector()
    assert detector() is first
    scratch.honoree("li-ce-shi", 联系方式=f'"{MOBILE}"')
    second = detector()
    assert second is not first and second.digest != first.digest
    assert [f.value for f in second.find(f"电话 {MOBILE}")] == [MOBILE]
    assert not any(f.source for f in first.find(f"电话 {MOBILE}"))  # unknown to the first
    scratch.honoree("wang-ce-shi", text=record("王测试"))
    assert detector() is not second


def test_records_scanned_in_workers_give_the_problems_of_one_process(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build of an archive scans what its records publish in forked workers; the
    problems (file, line, field, message) are those found in this process, and kept with
    each record for the next build."""
    from site_builder.checks import site as site_checks
    from site_builder.errors import Problems
    from site_builder.load.content import load_site

    for i in range(8):
        scratch.honoree(f"ren-{i}", text=record(f"测试{i}"))
    story = record("测试九", 单位及职务=f'"示例公司 电话{MOBILE}"')
    scratch.honoree("ren-9", text=story.replace("从不抱怨。", f"从不抱怨。电话 {MOBILE}。"))

    def problems(per_worker: int) -> tuple[list[str], list[int]]:
        monkeypatch.setattr(site_checks, "SCANS_A_WORKER", per_worker)
        site = load_site(scratch.content, Problems(scratch.root))
        assert site is not None
        found = Problems(scratch.root)
        site_checks.check_site(site, found, privacy.privacy_detector(site))
        kept = [len(h.scans) for c in site.campaigns for h in c.honorees]
        return [str(p) for p in found], kept

    pools: list[int] = []
    real_pool = site_checks.worker_pool

    def counted(workers: int):  # type: ignore[no-untyped-def]
        pools.append(workers)
        return real_pool(workers)

    monkeypatch.setattr(site_checks, "worker_pool", counted)
    alone, _ = problems(10**9)
    assert pools == []
    forked, kept = problems(2)
    assert pools == [2]  # forked workers scanned them
    assert forked == alone and kept == [1] * 9
    assert sum("ren-9/index.md" in p and "手机号码" in p for p in alone) == 2, alone


def test_a_shared_private_value_comes_from_the_first_record_and_a_published_one_is_left(
    scratch: Scratch,
) -> None:
    """The site's private values, gathered record by record: a value two records hold is
    said to come from the first (in the order of the campaigns and their folders); a
    value one record keeps private and another publishes (a contact person who is an
    honouree herself) is left out rather than failing every build."""
    from site_builder.errors import Problems
    from site_builder.load.content import load_site

    scratch.honoree("li-ce-shi", 联系方式=f'"{MOBILE}"', 联系人="王测试")
    scratch.honoree("wang-ce-shi", text=record("王测试", 联系方式=f'"{MOBILE}"'))
    scratch.honoree("zhao-ce-shi", text=record("赵测试", 状态="拟推荐", 联系人="孙联系"))
    site = load_site(scratch.content, Problems(scratch.root))
    assert site is not None
    values = privacy.private_values(site)
    assert values[MOBILE] == "li-ce-shi/index.md 联系方式"
    assert "王测试" not in values  # wang-ce-shi's published name
    assert values["孙联系"] == "zhao-ce-shi/index.md 联系人"  # a draft's private values count
    assert values["王联系"] == "wang-ce-shi/index.md 联系人"


def test_a_drawing_is_not_read_but_every_other_attribute_and_all_text_is() -> None:
    """A page's QR code is a path of some 1,500 digits and spaces: the scan leaves the
    path's coordinates (``d``) unread, as it does an SVG file's numbers, and reads
    every other attribute and all text, a ``d="…"`` typed in a story among it."""
    phone = "13565718841"
    page = (
        f'<svg class="qr"><path stroke="#000" d="M4 4.5h7m{phone}"/></svg>'
        f'<a href="tel:{phone}" d="x">电话</a><p>d="{phone}"</p>'
    )
    read = readable("x.html", page.encode())
    assert f"M4 4.5h7m{phone}" not in read
    assert read.count(phone) == 2  # the link and the text
    assert [f.value for f in Detector().find(read)] == [phone]
