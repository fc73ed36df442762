"""The build's messages, worded for the workbench's forms.

``check`` speaks about files: "请添加一行“性别: …”", "请与 campaign.yaml 的“推荐单位”一致".
In the workbench the officer sees a form, not a file, so the same facts are said about
the form: "请填写“性别”", "请与活动设置里的“推荐单位”一致". Only the wording changes; a
message with nothing file-shaped in it is shown as it is.
"""

from __future__ import annotations

import re

_REWORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"请添加一行“([^”:：]+)[:：][^”]*”"), r"请填写“\1”"),
    (re.compile(r"在 ?index\.md ?里写“([^”:：]+)[:：][^”]*”"), r"填写“\1”"),
    (re.compile(r"请写“([^”:：]+)[:：] ?(?:…|\.\.\.)”"), r"请填写“\1”"),
    (re.compile(r"请写“([^”:：]+)[:：] ?([^”]+)”"), r"请在“\1”里填写“\2”"),
    (re.compile(r"“([^”:：]{1,12}): ([^”]+)”"), r"在“\1”里填写“\2”"),
    (re.compile(r"\s?(?:content/)?campaign\.yaml\s?的"), "活动设置里的"),
    (re.compile(r"用不到的可选项可以整行删除"), "用不到的可选项可以清空"),
    (re.compile(r"(?:content/)?campaign\.yaml"), "活动设置"),
    (re.compile(r"(?:content/)?site\.yaml"), "网站设置"),
    (re.compile(r"index\.md"), "人选信息"),
]


def for_form(text: str) -> str:
    for pattern, replacement in _REWORDS:
        text = pattern.sub(replacement, text)
    return text
