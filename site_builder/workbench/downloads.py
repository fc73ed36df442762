"""The campaign's 公众号 articles and its printable 公示, downloaded from the workbench.

The same functions as ``site-builder wechat`` and ``site-builder notice``, through the
same publish gate: the officer gets a zip of the 公众号 folder (open its index.html and
copy each article) and the 公示 as a Word document to print, stamp and post.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import ContentError, UsageError
from ..model.source import Campaign
from ..options import BuildOptions
from .dashboard import fix_link
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


def notice_docx(bench: Pages, campaign: Campaign) -> Response:
    from ..publicity.notice_doc import notice_for

    try:
        data, _ = notice_for(_options(bench), campaign.id)  # passed the gate
    except (ContentError, UsageError) as exc:
        return _refused(bench, campaign, "没有生成公示 Word 版", exc)
    name = f"公示-{campaign.id}.docx"
    return Response(200, data, DOCX, {"Content-Disposition": attachment(name)})


def summary_xlsx(campaign: Campaign) -> Response:
    """The approved people as 附件2's 推荐汇总表, without the private fields."""
    from ..forms.export import export

    data, _ = export(campaign.folder.parent, campaign.id, "xlsx", include_private=False)
    name = f"{campaign.id}-推荐汇总表.xlsx"
    return Response(200, data, XLSX, {"Content-Disposition": attachment(name)})
