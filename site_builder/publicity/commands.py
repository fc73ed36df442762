"""The command line's publicity commands: ``wechat`` (the 公众号 folder, and drafts through
the official API) and ``notice`` (the city's 公示 as a .docx, or one 推荐单位's own)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from ..args import EXIT_OK
from ..errors import UsageError
from ..options import BuildOptions


def wechat(args: argparse.Namespace, out: Console) -> int:
    from ..pipeline import render
    from ..write.output import check_output_location, discard, new_staging, swap_in, write_files
    from .wechat import article_files, make_articles

    target = args.output or Path("公众号")
    check_output_location(target, args.content)
    options = BuildOptions(content=args.content, cache=args.cache)
    done = render(options)
    done.records.save()
    articles = make_articles(done, args.campaign)
    staging = new_staging(target)
    try:
        write_files(staging, article_files(articles))
        swap_in(staging, target)
    except BaseException:
        discard(staging)
        raise
    people = sum(1 for a in articles if a.folder)
    out.print(
        f"已生成公众号文章到 {target}/：{people} 位人选各一篇（每人一个文件夹），"
        "活动综述 campaign.html，公示 notice.html。用浏览器打开其中的 index.html，逐篇“复制正文”。",
        markup=False,
    )
    if args.draft:
        from .wechat_api import drafts_for

        pushed = drafts_for(done, articles, options)
        out.print(
            f"已推送到公众号草稿箱：{len(pushed)} 篇（{'、'.join(p.title for p in pushed)}）。"
            "请在公众号后台“草稿箱”里检查后再群发：site-builder 不会替您群发。",
            markup=False,
        )
    return EXIT_OK


def notice(args: argparse.Namespace, out: Console) -> int:
    from ..write.atomic import atomic_write
    from .notice_doc import notice_for

    if args.unit is not None:
        return _unit_notice(args, out)
    if args.level is not None or args.start is not None:
        raise UsageError(
            "--level 和 --start 只用于某个推荐单位自己的公示：请同时写 --unit 推荐单位"
        )
    data, notice = notice_for(BuildOptions(content=args.content), args.campaign)
    target = args.output or Path(f"公示-{args.campaign}.docx")
    atomic_write(target, data)
    out.print(
        f"已生成 {target}：{notice.title}，{len(notice.rows)} 人，{notice.period_text}。",
        markup=False,
    )
    return EXIT_OK


def _unit_notice(args: argparse.Namespace, out: Console) -> int:
    from ..write.atomic import atomic_write
    from .unit_notice import LEVEL_LABELS, LEVEL_NAMES, file_name, unit_notice_for

    level = LEVEL_NAMES[args.level] if args.level else None
    options = BuildOptions(content=args.content)
    data, made = unit_notice_for(options, args.campaign, args.unit, level, args.start)
    target = args.output or Path(file_name(args.campaign, args.unit))
    atomic_write(target, data)
    notice = made.notice
    out.print(
        f"已生成 {target}：{args.unit}的{LEVEL_LABELS[made.level]}公示，{len(notice.rows)} 人，"
        f"{notice.period_text}。",
        markup=False,
    )
    if made.dated == "blank":
        out.print(
            "人选记录里没有一致的公示日期，公示时间和落款日期留了空：请在 Word 里填写，"
            "或用 --start 写公示开始日期。",
            markup=False,
        )
    out.print(
        "联系电话和电子邮箱留了空行：请在 Word 里填写本单位的受理方式后再打印。", markup=False
    )
    return EXIT_OK
