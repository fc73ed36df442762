"""The call for nominations (征集) as a form: its notice, deadline and 报送方式.

The notice's text is edited where it lives: inline in campaign.yaml, or in the .md file
of the campaign's folder that 征集: 通知 names (kept in the history like any save). The
other keys are written line by line, and the file is read back as the build reads it.
"""

from __future__ import annotations

import re

from ..errors import Problem, Problems
from ..load.content import parse_campaign
from ..model.config import Call, CampaignConfig, Submission
from ..model.fields import aliases, labels_of
from ..model.source import Campaign
from ..write.atomic import atomic_write
from .edit import edit_mapping
from .record_form import Form, digest, one, texts_of, typed_date
from .response import Response
from .textfile import Pages

CALL_KEYS = ["title", "doc_number", "deadline", "issuers", "issued"]
SUBMISSION_KEYS = ["department", "contact", "phones", "email", "address"]
LISTS = {"issuers", "phones"}


def _file_of(campaign: Campaign) -> str | None:
    """The .md file 征集: 通知 names, if it names one."""
    raw = campaign.doc.data.get("征集") if isinstance(campaign.doc.data, dict) else None
    if isinstance(raw, dict):
        written = next((v for k, v in raw.items() if k in ("通知", "正文", "notice")), None)
        if isinstance(written, str) and re.fullmatch(r"[^/\\\s]+\.md", written.strip()):
            return written.strip()
    return None


def call_values(campaign: Campaign) -> dict[str, str]:
    call = campaign.config.call
    values = dict.fromkeys(CALL_KEYS + SUBMISSION_KEYS + ["notice"], "")
    if call is None:
        return values
    values |= texts_of(call, CALL_KEYS, LISTS) | texts_of(call.submission, SUBMISSION_KEYS, LISTS)
    return values | {"notice": call.notice}


def show_call(
    bench: Pages, campaign: Campaign, values: dict[str, str] | None = None,
    problems: list[Problem] | None = None, message: str = "", status: int = 200,
) -> Response:  # fmt: skip
    return bench.page(
        "call.html", status, campaign=campaign, values=values or call_values(campaign),
        problems=problems or [], message=message, file=_file_of(campaign),
        digest=digest(campaign.path.read_text("utf-8")),
    )  # fmt: skip


def _value(key: str, text: str) -> object:
    if key in LISTS:
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text or None


def save_call(bench: Pages, campaign: Campaign, form: Form) -> Response:
    text = campaign.path.read_text("utf-8")
    wanted = {k: one(form, f"c.{k}").strip() for k in CALL_KEYS + SUBMISSION_KEYS}
    wanted |= {k: typed_date(wanted[k]) for k in ("deadline", "issued")}
    wanted["notice"] = one(form, "c.notice").replace("\r\n", "\n").strip()
    if one(form, "digest") != digest(text):
        return show_call(bench, campaign, None, [], "保存被拒绝：打开本页之后，活动设置已被别处"
                         "修改。为了不覆盖那些修改，本次没有写入；下面已是现在的内容。", 409)  # fmt: skip
    current = call_values(campaign)
    file = _file_of(campaign)
    changed = {k: v for k, v in wanted.items() if v != current[k]}
    if not changed:
        return show_call(bench, campaign, None, None, "没有改动。")
    call_changes = {k: _value(k, changed[k]) for k in CALL_KEYS if k in changed}
    if "notice" in changed and file is None:
        call_changes["notice"] = changed["notice"] or None
    sub_changes = {k: _value(k, changed[k]) for k in SUBMISSION_KEYS if k in changed}
    new = text
    top = aliases(CampaignConfig)
    raw = next((k for k in (campaign.doc.data or {}) if top.get(str(k)) == "call"), None)
    if campaign.config.call is None or raw is None:  # the first call: the whole section
        labels = labels_of(Call)
        section = {labels[k]: _value(k, wanted[k]) for k in [*CALL_KEYS, "notice"] if wanted[k]}
        section[labels["submission"]] = {
            labels_of(Submission)[k]: _value(k, wanted[k]) for k in SUBMISSION_KEYS if wanted[k]
        }
        new = edit_mapping(new, 1, (), {"call": section}, top, labels_of(CampaignConfig))
    else:
        if sub_changes:
            sub_raw = next(
                (k for k in campaign.doc.data[raw] if aliases(Call).get(str(k)) == "submission"),
                None,
            )
            if sub_raw is None:
                call_changes["submission"] = {labels_of(Submission)[k]: _value(k, wanted[k])
                                              for k in SUBMISSION_KEYS if wanted[k]}  # fmt: skip
            else:
                new = edit_mapping(new, 1, (str(raw), str(sub_raw)), sub_changes,
                                   aliases(Submission), labels_of(Submission))  # fmt: skip
        if call_changes:
            new = edit_mapping(new, 1, (str(raw),), call_changes, aliases(Call), labels_of(Call))
    found = Problems(display_root=bench.options.content.resolve())
    parse_campaign(new, campaign.path, found)
    if found.errors:
        return show_call(bench, campaign, wanted, found.errors, "有错误，没有保存。", 422)
    if new != text:
        bench.history.keep(campaign.path, text.encode())
        atomic_write(campaign.path, new.encode())
    if "notice" in changed and file is not None:  # the notice lives in its own file
        path = campaign.folder / file
        if path.is_file():
            bench.history.keep(path, path.read_bytes())
        atomic_write(path, (changed["notice"] + "\n").encode())
    return Response(303, headers={"Location": f"/_admin/{campaign.id}/_call?saved=1"})
