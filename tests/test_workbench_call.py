"""征集 in the workbench: the call's form, a first call written whole, the notice edited
where it lives (inline, or the campaign folder's .md file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.errors import Problems
from site_builder.load.content import load_site
from site_builder.workbench.app import Workbench

from .test_workbench_settings import JZ, ORIGIN, TOKEN, form_of, jiaozuo_bench, soup, status_text


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    return jiaozuo_bench(tmp_path)


def test_the_calls_notice_is_edited_in_its_own_file(bench: Workbench) -> None:
    form = form_of(bench, f"{JZ}/_call", "call-form")
    assert form["c.deadline"] == ["2024-03-26"] and "一、推荐对象" in form["c.notice"][0]
    campaign = (bench.options.content / JZ / "campaign.yaml").read_text("utf-8")
    form["c.notice"] = [form["c.notice"][0] + "\n\n## 四、其他\n\n请按时报送。（示例）"]
    form["c.deadline"] = ["2024年3月29日"]
    answer = bench.handle("POST", f"{JZ}/_call", form, ORIGIN)
    assert answer.status == 303, status_text(answer.body)
    md = (bench.options.content / JZ / "征集通知.md").read_text("utf-8")
    assert md.endswith("## 四、其他\n\n请按时报送。（示例）\n")
    now = (bench.options.content / JZ / "campaign.yaml").read_text("utf-8")
    assert "  通知: 征集通知.md\n" in now and "  截止日期: 2024-03-29\n" in now
    assert [line for line in now.splitlines() if line not in campaign.splitlines()] == [
        "  截止日期: 2024-03-29"
    ]
    site = load_site(bench.options.content, Problems())
    assert site is not None and "四、其他" in site.campaigns[0].config.call.notice  # type: ignore[union-attr]


def test_a_first_call_is_written_from_the_form(bench: Workbench) -> None:
    bench.handle("POST", "_new", {"token": [TOKEN], "id": ["2026-shili-zuimei"]}, ORIGIN)
    page = soup(bench.handle("GET", "2026-shili-zuimei/_call", {}, None).body)
    assert page.select_one("#c-deadline")["value"] == ""
    form = form_of(bench, "2026-shili-zuimei/_call", "call-form")
    form |= {"c.notice": ["各单位：\n\n请推荐人选。（示例）"], "c.deadline": ["2026.7.30"],
             "c.contact": ["张示例"], "c.phones": ["0391-3999920"], "c.email": ["gh@example.org"]}  # fmt: skip
    answer = bench.handle("POST", "2026-shili-zuimei/_call", form, ORIGIN)
    assert answer.status == 303, status_text(answer.body)
    site = load_site(bench.options.content, Problems())
    assert site is not None
    call = next(c for c in site.campaigns if c.id == "2026-shili-zuimei").config.call
    assert call is not None and call.deadline.isoformat() == "2026-07-30"
    assert call.submission.contact == "张示例" and call.submission.phones == ["0391-3999920"]
    refused = bench.handle("POST", "2026-shili-zuimei/_call", form_of(bench, "2026-shili-zuimei/_call", "call-form") | {"c.email": ["不是邮箱"]}, ORIGIN)  # fmt: skip
    assert refused.status == 422 and "邮箱“不是邮箱”格式不对" in soup(refused.body).get_text()
