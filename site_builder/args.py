"""The command line's words: every command and option, with argparse's own words in Chinese.

Exit codes: 0 success · 1 content problems (every one listed) · 2 usage error ·
70 internal error (a bug: please report it; ``--verbose`` shows the traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import NoReturn

from .version import __version__

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class ChineseParser(argparse.ArgumentParser):
    """argparse with its own words in Chinese."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        message = (
            message.replace("the following arguments are required", "缺少参数")
            .replace("unrecognized arguments", "无法识别的参数")
            .replace("invalid choice", "无效的选项")
            .replace("argument ", "参数 ")
            .replace("expected one argument", "需要一个值")
            .replace("choose from", "可选")
        )
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 错误：{message}\n")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(
        self, usage: str | None, actions: object, groups: object, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)  # type: ignore[arg-type]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 2024-03-01 这样") from None


def _megapixels(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-megapixels",
        type=int,
        default=60,
        metavar="百万像素",
        help="单张照片的像素上限（默认 60，足够 5000 万像素的手机照片；更大的文件视为损坏或恶意）",
    )


def _cache(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--cache", type=Path, default=None, help="图片缓存文件夹（默认 .site-builder-cache/）"
    )


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--content", type=Path, default=Path("content"), help="内容文件夹（默认 content）"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="只输出错误")
    p.add_argument(
        "-v", "--verbose", action="store_true", help="输出更多细节（含内部错误的调用栈）"
    )


def make_parser() -> ChineseParser:
    parser = ChineseParser(
        prog="site-builder",
        description="为工会“最美劳动者”等选树宣传活动生成静态宣传网站。\n"
        "直接运行 site-builder（不加命令）即打开浏览器里的工作台；"
        "其他常用：site-builder build（生成 output/）、site-builder check（只检查内容）。",
        epilog="退出码：0 成功；1 内容有错误（全部列出）；2 命令用法错误；70 程序内部错误。",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"site-builder {__version__}",
        help="显示版本号并退出",
    )
    sub = parser.add_subparsers(
        dest="command", title="命令", metavar="命令", parser_class=ChineseParser
    )

    p = sub.add_parser(
        "build",
        help="生成网站到 output/",
        description="检查内容并生成网站。任何错误都会中止构建，output/ 保持上一次成功的样子。",
    )
    _common(p)
    p.add_argument("--output", type=Path, default=Path("output"), help="输出文件夹（默认 output）")
    _cache(p)
    p.add_argument(
        "--zip",
        nargs="?",
        const=Path("site.zip"),
        type=Path,
        default=None,
        metavar="文件",
        help="另外把网站打包成 zip（默认 site.zip），供只能上传压缩包的网站空间使用",
    )
    p.add_argument("--force", action="store_true", help="即使内容没有变化也重新生成")
    _megapixels(p)
    p.add_argument(
        "--precompress",
        action="store_true",
        help="为文本文件另存 .gz 预压缩版本（nginx 的 gzip_static 可直接使用）",
    )

    p = sub.add_parser(
        "check",
        help="只检查内容，不生成文件",
        description="检查全部内容（字段、规则、"
        "隐私、照片、公示日期），不写任何文件。有错误时退出码为 1。",
    )
    _common(p)
    p.add_argument(
        "--format", choices=["text", "json"], default="text", help="输出格式（默认 text）"
    )
    p.add_argument("--strict", action="store_true", help="警告也算错误")
    _megapixels(p)

    p = sub.add_parser(
        "serve",
        aliases=["工作台"],
        help="打开工作台和本地预览（不写命令直接运行 site-builder 也是这个）：保存即自动刷新",
        description="在本机生成并预览网站，修改内容并保存后浏览器自动刷新；内容有错时页面显示错误说明。"
        "不会改动 output/。按 Ctrl-C 停止。",
    )
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）")
    p.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("SITE_BUILDER_PORT") or 8000),
        help="端口（默认 8000，或环境变量 SITE_BUILDER_PORT）",
    )
    p.add_argument("--open", action="store_true", help="启动后自动打开浏览器")
    p.add_argument(
        "--lan",
        action="store_true",
        help="在局域网内预览（用自己的手机、在微信里看）：网址带随机口令，没有口令什么也看不到；"
        "终端里显示二维码，用手机微信扫一扫即可打开",
    )
    _cache(p)

    p = sub.add_parser(
        "new",
        help="新建网站、活动或人选的文件夹和模板",
        description="按模板新建内容，模板里有中文说明。",
    )
    kinds = p.add_subparsers(
        dest="kind", title="新建什么", metavar="类型", parser_class=ChineseParser
    )
    k = kinds.add_parser(
        "site", help="新建 content/site.yaml", description="新建网站设置 site.yaml。"
    )
    _common(k)
    k.add_argument("--organiser", default="", help="主办单位（不写则留下“请填写主办单位”的提示）")
    k = kinds.add_parser(
        "campaign", help="新建一个活动", description="新建活动文件夹和 campaign.yaml。"
    )
    _common(k)
    k.add_argument(
        "id", help="活动编号（小写字母、数字和 -），也是网址的一部分，如 2024-jiaozuo-xinjiuye"
    )
    k = kinds.add_parser(
        "honoree",
        help="新建一位人选",
        description="新建人选文件夹（用姓名拼音命名，即固定网址）和 index.md。",
    )
    _common(k)
    k.add_argument("campaign", help="活动编号")
    k.add_argument("name", metavar="姓名", help="人选姓名")
    k.add_argument("--unit", default="", help="推荐单位（同名人选据此区分网址）")
    k.add_argument("--category", default="", help="类别")

    p = sub.add_parser(
        "import",
        help="从推荐汇总表 .xlsx 和推荐表 .docx 导入人选",
        description="读取推荐汇总表（.xlsx）和推荐表（.docx），按列标题和表格标签识别各项内容。"
        "默认只预览将要新建的人选；加 --write 才写入。已有的人选不会被覆盖，除非加 --force。导入的人选状态为“拟推荐”。",
    )
    _common(p)
    p.add_argument("campaign", help="活动编号")
    p.add_argument("files", nargs="+", type=Path, metavar="文件", help=".xlsx 或 .docx 文件")
    p.add_argument("--write", action="store_true", help="实际写入（默认只预览）")
    p.add_argument("--force", action="store_true", help="覆盖已有人选的记录")
    p.add_argument("--unit", default="", help="推荐表里没有写推荐单位时使用的推荐单位")

    p = sub.add_parser(
        "export",
        help="导出已审定人选的推荐汇总表（.xlsx 或 .csv）",
        description="按焦作 2024 年通知附件2的列顺序导出已审定人选，序号自动编排。默认不含不公开字段。",
    )
    _common(p)
    p.add_argument("campaign", help="活动编号")
    p.add_argument(
        "--format", choices=["xlsx", "csv"], default="xlsx", help="文件格式（默认 xlsx）"
    )
    p.add_argument(
        "--output", "-o", type=Path, default=None, help="输出文件（默认 活动编号-推荐汇总表.xlsx）"
    )
    p.add_argument(
        "--include-private",
        action="store_true",
        help="包含身份证号、电话、地址等不公开字段（内部存档用）",
    )
    p = sub.add_parser(
        "deploy",
        help="把 output/ 发布到对象存储、服务器或虚拟主机",
        description="把最近一次生成的 output/ 发布到 site.yaml“发布”里的目标：只传有变化的文件；"
        "先传图片和样式，再传页面，最后删除不再需要的文件，读者任何时候都不会看到缺图的页面。"
        "默认只预览，加 --write 才真正发布。",
    )
    _common(p)
    p.add_argument(
        "--output", type=Path, default=Path("output"), help="要发布的网站文件夹（默认 output）"
    )
    p.add_argument(
        "--to", default=None, metavar="名称", help="发布目标的名称（只有一个目标时可不写）"
    )
    p.add_argument("--write", action="store_true", help="真正发布（默认只预览）")
    p.add_argument(
        "--allow-deletes", action="store_true", help="允许删除超过上限（默认 256 个）的文件"
    )

    p = sub.add_parser(
        "wechat",
        help="生成公众号文章（每位人选一篇、活动综述、公示）",
        description="按公众号编辑器能保留的格式生成文章：只用内联样式，不含链接；图片指向已发布的网站，"
        "同名图片也放在文件夹里供上传。默认写到 output/ 旁边的“公众号”文件夹。",
    )
    _common(p)
    p.add_argument("campaign", help="活动编号")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="文件夹",
        help="输出文件夹（默认 公众号）",
    )
    p.add_argument(
        "--draft",
        action="store_true",
        help="同时通过公众号接口推送到草稿箱（不会群发；AppID/AppSecret 来自工作台或环境变量）",
    )
    _cache(p)

    p = sub.add_parser(
        "notice",
        help="生成公示的 Word 文档（A4，公文格式，可打印盖章）",
        description="按 GB/T 9704-2012 的版式生成公示 .docx：标题 2 号小标宋，正文 3 号仿宋，"
        "名单表格、公示时间、异议受理方式，落款和日期在右下方供盖章。",
    )
    _common(p)
    p.add_argument("campaign", help="活动编号")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="文件",
        help="输出文件（默认 公示-活动编号.docx；写了 --unit 时为 公示-活动编号-推荐单位.docx）",
    )
    p.add_argument(
        "--unit",
        default=None,
        metavar="推荐单位",
        help="只生成这个推荐单位自己的公示（三级公示的单位级或县级），名单是它推荐的人选",
    )
    p.add_argument(
        "--level",
        choices=("单位", "县级"),
        default=None,
        help="与 --unit 同用：单位公示还是县级公示（默认：名称以“工会”结尾的为县级，其余为单位）",
    )
    p.add_argument(
        "--start",
        type=_date,
        default=None,
        metavar="日期",
        help="与 --unit 同用：公示开始日期，如 2024-03-01（按工作日算出结束日期；"
        "不写则用人选记录里的单位/县级公示日期，没有则留空待手填）",
    )
    return parser
