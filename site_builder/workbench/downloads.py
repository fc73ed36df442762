"""The campaign's 公众号 articles and its printable 公示, downloaded from the workbench.

The same functions as ``site-builder wechat`` and ``site-builder notice``, through the
same publish gate: the officer gets a zip of the 公众号 folder (open its index.html and
copy each article) and the 公示 as a Word document to print, stamp and post.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from ..errors import ContentError, UsageError
from ..model.source import Campaign, Site
from ..options import BuildOptions
from .dashboard import fix_link
from .record_form import Form, one, typed_date
from .response import XLSX, Response, attachment
from .textfile import Pages

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _options(bench: Pages) -> BuildOptions:
    o = bench.options
    return BuildOptions(content=o.content, cache=o.cache, display_root=o.content.resolve().parent)


def _refused(bench: Pages, campaign: Campaign, title: str, exc: Exception) -> Response:
    problems = exc.problems if isinstance(exc, ContentError) else []
    text = "请先改好下面的错误：" if problems else str(exc)
    return bench.page(
        "refused.html", 200, title=title, text=text, problems=problems, link=fix_link,
        back=f"/_admin/{campaign.id}/",
    )  # fmt: skip


def wechat_zip(bench: Pages, campaign: Campaign) -> Response:
    from ..pipeline import render
    from ..publicity.wechat import article_files, make_articles

    try:
        done = render(_options(bench))
        done.records.save()
        files = article_files(make_articles(done, campaign.id))  # passed the gate
    except (ContentError, UsageError) as exc:
        return _refused(bench, campaign, "没有生成公众号文章", exc)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(f"公众号/{name}", (1980, 1, 1, 0, 0, 0)), data)
    name = f"公众号-{campaign.id}.zip"
    return Response(200, buffer.getvalue(), "application/zip",
                    {"Content-Disposition": attachment(name)})  # fmt: skip


def notice_docx(bench: Pages, campaign: Campaign, query: Form) -> Response:
    """The city's 公示, or with ``unit`` in the query that unit's own (三级公示), its level
    and start date as chosen in the form beside the list of units."""
    from ..publicity.notice_doc import notice_for
    from ..publicity.unit_notice import LEVEL_NAMES, file_name, unit_notice_for

    unit = one(query, "unit").strip()
    try:
        if not unit:
            data, _ = notice_for(_options(bench), campaign.id)  # passed the gate
            name = f"公示-{campaign.id}.docx"
        else:
            level = LEVEL_NAMES.get(one(query, "level"))
            typed = typed_date(one(query, "start"))
            try:
                start = dt.date.fromisoformat(typed) if typed else None
            except ValueError:
                raise UsageError(f"公示开始日期“{typed}”应写成 2024-03-01 这样") from None
            data, _ = unit_notice_for(_options(bench), campaign.id, unit, level, start)
            name = file_name(campaign.id, unit)
    except (ContentError, UsageError) as exc:
        return _refused(bench, campaign, "没有生成公示 Word 版", exc)
    return Response(200, data, DOCX, {"Content-Disposition": attachment(name)})


def summary_xlsx(campaign: Campaign) -> Response:
    """The approved people as 附件2's 推荐汇总表, without the private fields."""
    from ..forms.export import export

    data, _ = export(campaign.folder.parent, campaign.id, "xlsx", include_private=False)
    name = f"{campaign.id}-推荐汇总表.xlsx"
    return Response(200, data, XLSX, {"Content-Disposition": attachment(name)})


def wechat_page(bench: Pages, site: Site, campaign: Campaign, message: str = "",
                pushed: list[Any] | None = None, status: int = 200) -> Response:  # fmt: skip
    """推送到公众号草稿箱: where the AppID and AppSecret come from, and the button."""
    import os

    from ..deploy.credentials import kept_named
    from ..publicity.wechat_api import ACCOUNT, api_base

    source = ("环境变量" if os.environ.get("WECHAT_APPID") and os.environ.get("WECHAT_APPSECRET")
              else "系统凭据" if kept_named(ACCOUNT) else "")  # fmt: skip
    return bench.page(
        "wechat.html", status, campaign=campaign, source=source, message=message,
        pushed=pushed or [], api=api_base(site.config.wechat.api),
    )  # fmt: skip


def wechat_keys(bench: Pages, site: Site, campaign: Campaign, form: Form) -> Response:
    import json

    from ..deploy.credentials import keep_named
    from ..publicity.wechat_api import ACCOUNT

    appid, secret = one(form, "appid").strip(), one(form, "secret").strip()
    if not appid or not secret:
        return wechat_page(bench, site, campaign, "请把 AppID 和 AppSecret 都填上。", status=422)
    try:
        keep_named(ACCOUNT, json.dumps({"appid": appid, "secret": secret}))
    except UsageError as exc:
        return wechat_page(bench, site, campaign, str(exc), status=422)
    return wechat_page(
        bench, site, campaign, "已保存在这台电脑的系统密码保管里（不会写进任何文件）。"
    )


def wechat_push(bench: Pages, site: Site, campaign: Campaign) -> Response:
    """The campaign's articles as drafts in the 公众号 (never published: a person does)."""
    from ..errors import DeployError
    from ..pipeline import render
    from ..publicity.wechat import make_articles
    from ..publicity.wechat_api import drafts_for

    options = _options(bench)
    try:
        done = render(options)
        done.records.save()
        pushed = drafts_for(done, make_articles(done, campaign.id), options)
    except ContentError as exc:
        return _refused(bench, campaign, "没有推送公众号草稿", exc)
    except (UsageError, DeployError) as exc:
        return wechat_page(bench, site, campaign, str(exc), status=502)
    note = f"已推送 {len(pushed)} 篇到公众号草稿箱。请在公众号后台“草稿箱”里检查后再群发。"
    return wechat_page(bench, site, campaign, note, pushed)


BLANK = {  # the call's blank forms: file name → (maker, content type)
    "推荐表.docx": ("blank_form", DOCX),
    "推荐汇总表.xlsx": ("summary_template", XLSX),
    "名额分配表.xlsx": ("quota_table", XLSX),
}


def blank(campaign: Campaign, name: str) -> Response:
    """A blank form of the call, made from the campaign's settings as they are now."""
    from ..forms import blank as forms

    if name not in BLANK:
        return Response(404, "找不到这个表格".encode(), "text/plain; charset=utf-8")
    maker, kind = BLANK[name]
    data = getattr(forms, maker)(campaign.config)
    return Response(200, data, kind, {"Content-Disposition": attachment(f"{campaign.id}-{name}")})
