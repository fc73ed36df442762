"""``site-builder new``: folders and commented templates for a site, a campaign, an honouree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from ..errors import UsageError
from ..model.config import EXAMPLE_URL
from ..model.fields import one_line
from ..model.record import SLUG_RE
from ..model.source import CAMPAIGN_FILE, HONOREES_DIR, RECORD_FILE, SITE_FILE
from .slugs import slug_for

SITE_TEMPLATE = """\
# 网站设置。以 # 开头的行是说明，不会生效。冒号请用英文冒号，冒号后空一格。
网站标题: {organiser} · 最美劳动者风采
主办单位: {organiser}
# 网站发布后的完整网址（可以带子路径），二维码和分享链接由它生成
网址: {example_url}
简介: 展示{organiser}“最美劳动者”选树宣传活动的人选与先进事迹。
页脚:
  版权: © {year} {organiser}
  # 以下几项会显示在每一页底部：去掉行首的 # 并改成本单位的信息
  # ICP备案号: 豫ICP备00000000号-1
  # 公安备案号: 豫公网安备 41080002000000号
  # 联系方式: 0000-0000000
"""

CAMPAIGN_TEMPLATE = """\
# 活动设置。以 # 开头的行是说明，不会生效。冒号请用英文冒号，冒号后空一格。
# 以“请填写”开头的内容是提示文字：site-builder check 会逐项提醒，发布前请改成真实内容。
活动名称: 请填写活动名称，如 示例市“最美新就业形态劳动者”
年度: {year}
简介: 请用一两句话介绍本次活动。
# 评选类别：人选的“类别”必须是其中之一
类别: [货车司机, 网约车司机, 快递员, 外卖配送员]
# 推荐单位及名额（不写则不限制）；人选的“推荐单位”必须与这里一致
推荐单位:
  - {{名称: 请填写推荐单位, 名额: 4}}
# 公示设置：开始日期，加上“结束”日期或“工作日数”（二选一）
公示:
  开始: {today}
  工作日数: 5
  受理渠道:
    受理部门: 请填写受理异议的部门
    电话: ["请填写受理电话"]
    邮箱: gonghui@example.org
  发布单位: [请填写发布单位]
  发布日期: {today}
"""

HONOREE_TEMPLATE = """\
---
# 推荐表信息。以 # 开头的行是说明，不会生效。字段名可以直接用推荐表上的中文。
# 冒号请用英文冒号，冒号后空一格。空着的项请照推荐表填写；“请填写”开头的是提示文字。
姓名: {name}
性别:             # 男 或 女
出生年月:         # 例如 1990.05
民族:             # 例如 汉族
政治面貌:         # 例如 中共党员、群众
单位及职务: 请填写单位全称及具体岗位
参加工作时间:     # 例如 2015.03
类别: {category}
推荐单位: {unit}
# 以下为不公开字段：只用于核验，绝不会出现在网站上
身份证号: ""
联系方式: ""
# 状态：拟推荐 / 已审定 / 已撤销。只有“已审定”的人选才会发布到网站上
状态: 拟推荐
# 荣誉和媒体报道每项一行：去掉行首的 # 再改成真实内容，可以写多行
获得荣誉:
#  - {{年份: 2023, 名称: 荣誉名称, 授予单位: 授予单位}}
媒体宣传情况:
#  - {{媒体: 媒体名称, 标题: 报道标题, 日期: 2023-05-01, 链接: https://…}}
# 照片放在本文件夹里：证件照命名为 portrait.jpg 即自动使用；工作照 2–3 张，每张都要写说明
工作照:
#  - {{文件: work-1.jpg, 说明: 照片里是什么}}
事迹简介: 请用不超过 500 字概括主要事迹，用于人物卡片、公示和分享。
---
这里写详细事迹（3000 字左右）。可以用“## 小标题”分段，用 **加粗** 强调。
"""


def new_site(content: Path, organiser: str = "", base_url: str = "") -> Path:
    """content/site.yaml from the scaffold, with the organiser (and the site's address,
    when it is known already) filled in."""
    path = content / SITE_FILE
    if path.exists():
        raise UsageError(f"{path} 已存在，不会覆盖。")
    given = one_line(organiser)
    organiser = given or "请填写主办单位"
    text = SITE_TEMPLATE.format(
        organiser=organiser, year=dt.date.today().year, example_url=EXAMPLE_URL
    )
    text = text.replace(f"主办单位: {organiser}", f"主办单位: {_quoted(organiser)}", 1)
    if not given:  # no prompt may reach the footer (every page) or the site's description
        year = dt.date.today().year
        text = text.replace(f"  版权: © {year} {organiser}", f"  版权: © {year}", 1).replace(
            f"简介: 展示{organiser}", "简介: 请填写一两句网站简介，例如 展示本会", 1
        )
    if one_line(base_url):
        text = text.replace(f"网址: {EXAMPLE_URL}", f"网址: {_quoted(one_line(base_url))}")
    content.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def check_campaign_id(campaign_id: str) -> None:
    """A campaign's id is its folder and its address: lower-case letters, digits and -."""
    if not SLUG_RE.match(campaign_id):
        raise UsageError(
            f"活动编号“{campaign_id}”只能用小写字母、数字和 -，例如 2024-jiaozuo-xinjiuye。"
        )


def new_campaign(content: Path, campaign_id: str) -> Path:
    check_campaign_id(campaign_id)
    folder = content / campaign_id
    if folder.exists():
        raise UsageError(f"{folder} 已存在，不会覆盖。")
    (folder / HONOREES_DIR).mkdir(parents=True)
    today = dt.date.today()
    (folder / CAMPAIGN_FILE).write_text(
        CAMPAIGN_TEMPLATE.format(year=today.year, today=today.isoformat()), "utf-8"
    )
    return folder / CAMPAIGN_FILE


MAX_NAME = 64  # characters: the longest names (Uyghur, with ·) have under forty


def _quoted(value: str) -> str:
    """``value`` as one YAML scalar: plain where that reads the same, quoted where a
    character of it (": ", "#", a leading "[") would mean something else."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def new_honoree(
    content: Path, campaign_id: str, name: str, unit: str = "", category: str = ""
) -> Path:
    campaign = content / campaign_id
    if not (campaign / CAMPAIGN_FILE).is_file():
        raise UsageError(
            f"找不到活动“{campaign_id}”（{campaign / CAMPAIGN_FILE} 不存在）。请先运行 site-builder new campaign {campaign_id}。"
        )
    name, unit, category = one_line(name), one_line(unit), one_line(category)
    name = "".join(name.split()) if any("\u4e00" <= ch <= "\u9fff" for ch in name) else name
    if not name:
        raise UsageError("请写人选的姓名，例如 site-builder new honoree 2024-demo 张伟。")
    if len(name) > MAX_NAME:
        raise UsageError(
            f"姓名有 {len(name)} 个字，超过了 {MAX_NAME} 个字。请只写姓名本身"
            "（少数民族姓名可用“·”分隔各部分）。"
        )
    honorees = campaign / HONOREES_DIR
    honorees.mkdir(exist_ok=True)
    taken = {p.name for p in honorees.iterdir() if p.is_dir()}
    slug = slug_for(name, unit, taken)
    folder = honorees / slug
    folder.mkdir()
    (folder / RECORD_FILE).write_text(
        HONOREE_TEMPLATE.format(  # each value one quoted line: nothing typed becomes a field
            name=_quoted(name),
            unit=_quoted(unit or "请填写推荐单位"),
            category=_quoted(category or "请填写类别"),
        ),
        "utf-8",
    )
    return folder / RECORD_FILE
