"""An archive-scale corpus: N text-only honourees over K campaigns, in three formats.

    python bench/make_archive.py --n 2000 --campaigns 10 --out bench/archive-2000

writes, from the same records:

* ``content/``  — site-builder's format (site.yaml, campaign.yaml with a notice, index.md
  with every private field filled in and a ~1,500 字 story; posters off, no photos);
* ``pelican/``  — the same pages for Pelican 4 (one Markdown article per honouree with
  the profile's fields as metadata, one page per campaign and notice);
* ``hugo/``     — the same pages for Hugo (content/<campaign>/<slug>.md, a list page per
  campaign, a notice page, and minimal layouts that print the same fields).

Deterministic for a seed; nothing here is committed.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = ["货车司机", "网约车司机", "快递员", "外卖配送员", "数字经济领域", "新业态领域"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红梅海燕"
PLACES = ["青山", "绿水", "东城", "西湖", "南岗", "北岭", "长安", "新华", "和平", "胜利"]
SENTENCES = [
    "{name}在{category}岗位上默默耕耘，风雨无阻，用一次次准时的到达诠释了平凡岗位上的不平凡。",
    "遇到行动不便的老人，{name}总是把东西送到家门口，顺手把楼道里的垃圾带下楼。",
    "{year}年汛期，{name}连续工作十八个小时，把应急物资送到{place}安置点。",
    "同事们说，跟着{name}干活心里踏实，他总结的工作法在全市推广。",
    "{name}利用休息时间参加技能培训，取得了职业技能等级证书。",
]


@dataclass(frozen=True)
class Person:
    campaign: str
    slug: str
    seq: int
    name: str
    gender: str
    category: str
    unit: str
    summary: str
    story: str
    id_number: str
    phone: str
    postcode: str


def _id_number(i: int) -> str:
    """A checksum-valid, fictional (region 990101) ID number, different for every i < 10,080."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    birth = f"{1970 + i % 30}{1 + (i // 30) % 12:02d}{1 + (i // 360) % 28:02d}"
    body = f"990101{birth}{i % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def people(n: int, campaigns: list[str], seed: int) -> list[Person]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        campaign = campaigns[i % len(campaigns)]
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        category = CATEGORIES[i % len(CATEGORIES)]
        place = rng.choice(PLACES)
        facts = {"name": name, "category": category, "year": 2020 + i % 5, "place": place}
        paragraphs = [
            "".join(rng.choice(SENTENCES).format(**facts) for _ in range(6)) for _ in range(6)
        ]
        out.append(
            Person(
                campaign=campaign,
                slug=f"p{i:05d}",
                seq=i // len(campaigns) + 1,
                name=name,
                gender="男" if i % 3 else "女",
                category=category,
                unit=f"示例{place}区总工会",
                summary=paragraphs[0][:200],
                story="\n\n".join(paragraphs),
                id_number=_id_number(i),
                phone=f"1380{i:07d}",
                postcode=f"{100000 + i:06d}",
            )
        )
    return out


def write_content(root: Path, campaigns: list[str], persons: list[Person]) -> None:
    root.mkdir(parents=True)
    (root / "site.yaml").write_text(
        "网站标题: 示例省总工会 · 最美劳动者（基准测试）\n主办单位: 示例省总工会\n"
        "网址: https://www.example.org/zuimei/\n生成海报: 否\n",
        "utf-8",
    )
    for campaign in campaigns:
        k = int(campaign[:4]) - 2015
        folder = root / campaign
        (folder / "honorees").mkdir(parents=True)
        (folder / "campaign.yaml").write_text(
            f"活动名称: 示例省第{k + 1}届“最美劳动者”\n年度: {2015 + k}\n"
            f"类别: [{', '.join(CATEGORIES)}]\n"
            f"公示:\n  开始: {2015 + k}-04-01\n  结束: {2015 + k}-04-30\n"
            "  受理渠道: {电话: ['0000-0000000'], 邮箱: gonghui@example.org}\n"
            f"  发布单位: [示例省总工会]\n  发布日期: {2015 + k}-03-31\n",
            "utf-8",
        )
    for p in persons:
        folder = root / p.campaign / "honorees" / p.slug
        folder.mkdir()
        (folder / "index.md").write_text(
            f"---\n序号: {p.seq}\n姓名: {p.name}\n性别: {p.gender}\n出生年月: 1990.05\n"
            f"单位及职务: 示例物流有限公司 {p.category}\n类别: {p.category}\n推荐单位: {p.unit}\n"
            f'身份证号: "{p.id_number}"\n联系方式: "{p.phone}"\n邮编: "{p.postcode}"\n'
            f"详细地址: 示例市{p.unit}幸福路{p.seq}号\n联系人: 示例联系人\n状态: 已审定\n"
            f"获得荣誉:\n  - {{年份: 2023, 名称: 示例市五一劳动奖章, 授予单位: 示例市总工会}}\n"
            f"事迹简介: {p.summary}\n---\n{p.story}\n",
            "utf-8",
        )


def write_pelican(root: Path, campaigns: list[str], persons: list[Person]) -> None:
    content = root / "content"
    (content / "pages").mkdir(parents=True)
    for p in persons:
        (content / p.campaign).mkdir(exist_ok=True)
        (content / p.campaign / f"{p.slug}.md").write_text(
            f"Title: {p.name}\nDate: 2024-03-01\nCategory: {p.campaign}\nSlug: {p.slug}\n"
            f"Gender: {p.gender}\nUnit: 示例物流有限公司 {p.category}\nRole: {p.category}\n"
            f"Nominator: {p.unit}\nSummary: {p.summary}\n\n{p.story}\n",
            "utf-8",
        )
    for campaign in campaigns:
        rows = "\n".join(
            f"| {p.seq} | {p.name} | {p.gender} | {p.unit} | {p.category} |"
            for p in persons
            if p.campaign == campaign
        )
        (content / "pages" / f"{campaign}-notice.md").write_text(
            f"Title: {campaign} 公示\nSlug: {campaign}-notice\n\n"
            f"| 序号 | 姓名 | 性别 | 推荐单位 | 类别 |\n|---|---|---|---|---|\n{rows}\n",
            "utf-8",
        )
    (root / "pelicanconf.py").write_text(
        'AUTHOR = "示例"\nSITENAME = "基准测试"\nSITEURL = ""\nPATH = "content"\n'
        'TIMEZONE = "Asia/Shanghai"\nDEFAULT_LANG = "zh"\nFEED_ALL_ATOM = None\n'
        "CATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\n"
        "AUTHOR_FEED_RSS = None\nDEFAULT_PAGINATION = False\nLOAD_CONTENT_CACHE = False\n"
        'MARKDOWN = {"extension_configs": {"markdown.extensions.tables": {}}}\n',
        "utf-8",
    )


def write_hugo(root: Path, campaigns: list[str], persons: list[Person]) -> None:
    content = root / "content"
    for campaign in campaigns:
        (content / campaign).mkdir(parents=True)
        (content / campaign / "_index.md").write_text(f"---\ntitle: {campaign}\n---\n", "utf-8")
        (content / campaign / "notice.md").write_text(
            f"---\ntitle: {campaign} 公示\nlayout: notice\n---\n", "utf-8"
        )
    for p in persons:
        (content / p.campaign / f"{p.slug}.md").write_text(
            f"---\ntitle: {p.name}\ngender: {p.gender}\nunit: 示例物流有限公司 {p.category}\n"
            f"category: {p.category}\nnominator: {p.unit}\nsummary: {p.summary}\n---\n{p.story}\n",
            "utf-8",
        )
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(
        "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>"
        "<p>{{ .Params.gender }} {{ .Params.unit }} {{ .Params.category }} {{ .Params.nominator }}"
        "</p><p>{{ .Params.summary }}</p>{{ .Content }}",
        "utf-8",
    )
    (layouts / "list.html").write_text(
        "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1><ul>{{ range .Pages }}"
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.unit }} '
        "{{ .Params.summary }}</li>{{ end }}</ul>",
        "utf-8",
    )
    (layouts / "notice.html").write_text(
        "<!doctype html><title>{{ .Title }}</title><table>{{ range .CurrentSection.RegularPages }}"
        "<tr><td>{{ .Title }}</td><td>{{ .Params.gender }}</td><td>{{ .Params.nominator }}</td>"
        "<td>{{ .Params.category }}</td></tr>{{ end }}</table>",
        "utf-8",
    )
    (root / "hugo.toml").write_text(
        'baseURL = "https://www.example.org/zuimei/"\ntitle = "基准测试"\n'
        'disableKinds = ["taxonomy", "term", "RSS"]\n',
        "utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--campaigns", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    # Years the official calendar covers (2015–2026), several campaigns a year when needed.
    campaigns = [f"{2015 + k % 12}-shili-{k:02d}" for k in range(args.campaigns)]
    persons = people(args.n, campaigns, args.seed)
    write_content(args.out / "content", campaigns, persons)
    write_pelican(args.out / "pelican", campaigns, persons)
    write_hugo(args.out / "hugo", campaigns, persons)
    print(f"{args.out}: {args.n} honourees in {args.campaigns} campaigns, three formats")


if __name__ == "__main__":
    main()
