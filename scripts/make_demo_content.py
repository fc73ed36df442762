"""Regenerate the fictional demo in content/ and the two seed examples in examples/.

    python scripts/make_demo_content.py            # rewrites content/ and examples/

Everything here is invented and marked 示例: names, units, stories, ID numbers (with a
region code that does not exist, 990101), phones (a reserved-looking 1380000xxxx
range) and contacts (example.org). Output is deterministic.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fakephotos import portrait, save_jpeg, work_photo

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def fake_id(seed: int, birth: str) -> str:
    """A checksum-valid 18-digit number with the non-existent region 990101."""
    year, month = birth.split(".")
    body = f"990101{year}{int(month):02d}{(seed % 27) + 1:02d}{seed % 1000:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    return body + check


@dataclass
class Person:
    slug: str
    name: str
    gender: str
    birth: str
    ethnicity: str
    political: str
    unit_position: str
    category: str
    unit: str
    work_start: str
    education: str
    detail: str  # one concrete thing this (fictional) person is known for
    badges: list[str] = field(default_factory=list)
    orientation: int = 1


STORY_BITS = {
    "快递员": (
        "每天清晨六点，{name}就来到分拣中心，把当天要派送的三百多件快件按楼栋排好顺序。",
        "遇到行动不便的老人，{pron}总是把包裹送到家门口，顺手把楼道里的垃圾带下楼。",
        "片区里的居民说：“看见这身工装，就知道东西一定能按时送到。”",
    ),
    "外卖配送员": (
        "午高峰的一个半小时里，{name}要在写字楼和小区之间跑二十多单。",
        "{pron}手机里存着一张自己画的“楼宇地图”，哪栋楼电梯慢、哪个门晚上关闭，都标得清清楚楚。",
        "下雨天，{pron}会在餐盒外多套一层袋子，“顾客等的不只是一顿饭”。",
    ),
    "货车司机": (
        "从业以来，{name}驾驶货车累计行驶超过一百万公里，没有发生一起责任事故。",
        "每次出车前，{pron}都要绕车检查一圈，轮胎、灯光、篷布一样不落。",
        "在司机之家，{pron}常给新来的年轻司机讲山区道路的驾驶要领。",
    ),
    "数字经济领域": (
        "{name}所在的团队负责全市多个线上服务平台的日常运行，{pron}是其中的骨干。",
        "为了让系统在高峰时段不卡顿，{pron}连续几个月利用业余时间优化程序。",
        "同事们说，有{pron}在，心里就踏实。",
    ),
    "新业态领域": (
        "{name}每天奔波在城市的大街小巷，是许多居民眼中最熟悉的身影。",
        "{pron}总是把服务对象的难处放在心上，能帮一把就帮一把。",
        "{pron}说，工作虽然辛苦，但被需要的感觉很好。",
    ),
    "网约车司机": (
        "{name}的车里常备着雨伞、充电线和晕车药，乘客给{pron}的好评率一直保持在百分之九十九以上。",
        "夜里接到去医院的订单，{pron}总是先问一句“需不需要帮忙”。",
        "{pron}说，车开得稳，乘客才坐得安心。",
    ),
}


COMMON_BITS = (
    "刚入行时，{name}对这份工作并不熟悉。{pron}把师傅教的要领一条条记在小本子上，下班后再对着本子一遍遍地琢磨，"
    "不到半年就成了同批新人里业务最熟练的一个。",
    "有一年冬天，连续几天的大雪让城市交通几乎停摆。{name}主动请缨，和同事们一起守在岗位上。"
    "{pron}说：“越是这种时候，大家越需要我们。”那几天，{pron}每天只睡四五个小时，却没有一句怨言。",
    "在{pron}的带动下，班组里形成了互帮互学的好风气。新来的同事遇到难题，第一个想到的就是找{name}；"
    "{pron}也总是耐心讲解，把自己摸索出来的经验毫无保留地分享出来。",
    "谈起家人，{name}总觉得有些亏欠。由于工作忙，{pron}很少有时间陪伴孩子，节假日也常常在岗位上度过。"
    "好在家人十分理解和支持，孩子还在作文里写道：“我的爸爸妈妈是城市里最忙碌的人，也是最了不起的人。”",
    "这些年来，{name}先后获得多项荣誉，事迹被多家媒体报道。面对荣誉，{pron}十分平静："
    "“荣誉属于所有默默坚守的劳动者，我只是做了自己应该做的事。”",
    "展望未来，{name}打算继续提升自己的技能水平，考取更高等级的职业资格证书，"
    "也希望带出更多业务过硬、作风优良的年轻人，让更多人感受到劳动的价值和尊严。",
)


def story(p: Person, rng: random.Random) -> str:
    pron = "她" if p.gender == "女" else "他"
    bits = [b.format(name=p.name, pron=pron) for b in STORY_BITS[p.category]]
    common = [b.format(name=p.name, pron=pron) for b in COMMON_BITS]
    paragraphs = [
        f"{p.name}，{p.unit_position.split(' ')[-1]}，{p.work_start[:4]}年参加工作。{bits[0]}",
        # broken inside the paragraph, as text pasted from Word or imported from a .docx is
        common[0].replace("，", "，\n", 1),
        f"## 把小事做到极致\n\n{bits[1]}{p.detail}",
        common[1],
        "## 平凡岗位上的坚守\n\n"
        f"{bits[2]}工作之余，{pron}还加入了单位的志愿服务队，参与社区防汛、助老送餐等活动"
        f"{rng.randint(20, 80)}次。",
        common[2],
        "## 身后的家人\n\n" + common[3],
        common[4],
        f"> “把每一件小事做好，就是对这份工作最好的交代。”——{p.name}",
        common[5],
        "*（本页为示例内容：人物、单位与事迹均为虚构，仅用于演示网站效果。）*",
    ]
    return "\n\n".join(paragraphs) + "\n"


def headline(detail: str) -> str:
    """A media headline from a story detail: its first clause, never cut inside a word."""
    return re.split(r"[，。；、]", detail)[0]


def record(p: Person, seq: int, campaign_units: list[str], works: int, org: str) -> str:
    rng = random.Random(seq * 31 + len(p.name))
    honour_year = 2021 + seq % 3
    lines = [
        "---",
        f"序号: {seq}",
        f"姓名: {p.name}",
        f"性别: {p.gender}",
        f"出生年月: {p.birth}",
        f"民族: {p.ethnicity}",
        f"政治面貌: {p.political}",
        f"学历: {p.education}",
        f"单位及职务: {p.unit_position}",
        f"参加工作时间: {p.work_start}",
        f"类别: {p.category}",
        f"推荐单位: {p.unit}",
        "工会会员: 是",
        "# 以下为不公开字段：只用于核验，绝不会出现在网站上",
        f'身份证号: "{fake_id(seq * 97 + 13, p.birth)}"',
        f'联系方式: "1380000{seq:04d}"',
        f"详细地址: 示例市示例路{seq}号{seq}单元",
        "状态: 已审定",
    ]
    if p.badges:
        lines.append("标记: [" + ", ".join(p.badges) + "]")
    lines += [
        "获得荣誉:",
        f"  - {{年份: {honour_year}, 名称: {org}优秀{p.category}（示例）, 授予单位: {org}}}",
        f"  - {{年份: {honour_year + 1}, 名称: 示例市五一劳动奖章（示例）, 授予单位: 示例市总工会}}",
        "媒体宣传情况:",
        f"  - 媒体: 示例日报\n    标题: “{p.name}：{headline(p.detail)}”\n    日期: {honour_year + 1}-05-0{1 + seq % 8}\n"
        f"    链接: https://example.org/news/{p.slug}",
        "证件照:",
        "  文件: portrait.jpg",
        "工作照:",
    ]
    captions = ["在工作岗位上", "与同事交流工作经验", "参加志愿服务活动"]
    for i in range(1, works + 1):
        lines += [f"  - 文件: work-{i}.jpg", f"    说明: {p.name}{captions[i - 1]}（示例照片）"]
    summary = (
        f"（示例人物）{p.name}扎根{p.category}岗位{2024 - int(p.work_start[:4])}年，{p.detail}"
        f"先后获得“示例市五一劳动奖章”等荣誉。"
    )
    lines += [f"事迹简介: {summary}", "---", ""]
    return "\n".join(lines) + story(p, rng)


def write_people(
    folder: Path,
    people: list[Person],
    org: str,
    units: list[str],
    photo_size: tuple[int, int],
    head: str = "",
) -> None:
    for seq, p in enumerate(people, start=1):
        d = folder / "honorees" / p.slug
        d.mkdir(parents=True, exist_ok=True)
        works = 3 if seq % 3 == 0 else 2
        text = record(p, seq, units, works, org)
        (d / "index.md").write_text(text.replace("---\n", "---\n" + head, 1), "utf-8")
        save_jpeg(portrait(seq, p.category), d / "portrait.jpg", quality=80)
        for i in range(1, works + 1):
            save_jpeg(
                work_photo(seq * 10 + i, p.category, photo_size),
                d / f"work-{i}.jpg",
                orientation=p.orientation if i == 1 else 1,
                gps=(i == 2),
                quality=78,
            )


DEMO_PEOPLE = [
    Person(
        "chen-lixin",
        "陈立新",
        "男",
        "1986.04",
        "汉族",
        "中共党员",
        "示例速递有限公司青山营业部 快递员",
        "快递员",
        "示例市邮政快递业工会",
        "2010.03",
        "高中",
        "连续八年保持零投诉，被居民称为“楼道里的老熟人”。",
        ["推荐省级候选人"],
    ),
    Person(
        "wang-chunyan",
        "王春燕",
        "女",
        "1991.10",
        "汉族",
        "群众",
        "示例外卖平台青山站 骑手站长",
        "外卖配送员",
        "青山县总工会",
        "2015.06",
        "中专",
        "带出了一支四十多人、全年零事故的骑手队伍。",
        orientation=6,
    ),
    Person(
        "liu-jianguo",
        "刘建国",
        "男",
        "1979.01",
        "汉族",
        "中共党员",
        "示例物流运输有限公司 货车司机",
        "货车司机",
        "示例市交通运输产业工会",
        "2001.09",
        "初中",
        "在暴雪天气里连夜把救灾物资送进山区。",
        ["推荐省级候选人"],
    ),
    Person(
        "zhao-hongmei",
        "赵红梅",
        "女",
        "1988.07",
        "汉族",
        "共青团员",
        "示例出行科技有限公司 网约车司机",
        "网约车司机",
        "白河区总工会",
        "2016.02",
        "大专",
        "三次把乘客遗失的贵重物品完好送回。",
    ),
    Person(
        "sun-zhiqiang",
        "孙志强",
        "男",
        "1993.12",
        "汉族",
        "群众",
        "示例快运股份有限公司 快递员",
        "快递员",
        "青山县总工会",
        "2014.05",
        "高中",
        "自创“三核对”派件法，错件率降到万分之一以下。",
        orientation=8,
    ),
    Person(
        "zhou-xiaolin",
        "周晓琳",
        "女",
        "1996.03",
        "汉族",
        "共青团员",
        "示例即时配送公司高新站 外卖配送员",
        "外卖配送员",
        "高新区工会",
        "2018.08",
        "本科",
        "利用业余时间为骑手姐妹开设手机维修课。",
        ["推荐省级候选人"],
    ),
    Person(
        "wu-haitao",
        "吴海涛",
        "男",
        "1982.09",
        "汉族",
        "中共党员",
        "示例冷链物流有限公司 货车司机",
        "货车司机",
        "白河区总工会",
        "2004.11",
        "高中",
        "十五年冷链运输，药品疫苗配送从未出错。",
    ),
    Person(
        "zheng-xiuying",
        "郑秀英",
        "女",
        "1984.05",
        "汉族",
        "群众",
        "示例约车服务有限公司 网约车司机",
        "网约车司机",
        "示例市交通运输产业工会",
        "2017.04",
        "高中",
        "坚持为高考考生提供免费接送服务。",
        ["推荐省级候选人"],
    ),
    Person(
        "ma-yongfu",
        "马永福",
        "男",
        "1990.02",
        "回族",
        "群众",
        "示例邮政示例分公司 投递员",
        "快递员",
        "示例市邮政快递业工会",
        "2012.07",
        "大专",
        "负责的山区邮路每天往返六十公里。",
    ),
    Person(
        "huang-lijuan",
        "黄丽娟",
        "女",
        "1994.11",
        "汉族",
        "中共党员",
        "示例外卖平台白河站 外卖配送员",
        "外卖配送员",
        "白河区总工会",
        "2019.03",
        "大专",
        "发起成立了骑手“暖心驿站”互助小组。",
    ),
    Person(
        "ayiguli-maimaiti",
        "阿依古丽·买买提",
        "女",
        "1992.08",
        "维吾尔族",
        "群众",
        "示例出行科技有限公司 网约车司机",
        "网约车司机",
        "高新区工会",
        "2018.05",
        "本科",
        "用三种语言为外地游客提供出行帮助。",
        ["推荐省级候选人"],
    ),
    Person(
        "shan-guoqing",
        "单国庆",
        "男",
        "1980.10",
        "汉族",
        "中共党员",
        "示例港口运输有限公司 货车司机",
        "货车司机",
        "青山县总工会",
        "2002.06",
        "初中",
        "带徒弟二十余名，人称“安全驾驶活教材”。",
    ),
]

# The 2024 Jiaozuo notice's rules; the demo campaign follows them too.
RULES_2024 = """\
规则:
  推荐名额: 错误
  每类每单位最多: {人数: 2, 级别: 错误}
  总人数: {人数: 20, 级别: 错误}
  省级推荐: {人数: 5, 标记: 推荐省级候选人, 级别: 错误}
  最少工作年限: {年数: 2, 级别: 错误}
  须为工会会员: 错误
  照片: {证件照: 1, 工作照最少: 2, 工作照最多: 3, 级别: 警告}
  # 通知要求详细事迹 3000 字左右（正式活动可设 1500–4500）；示例人物的事迹较短
  详细事迹字数: {最少字数: 600, 最多字数: 4500, 级别: 警告}
"""

DEMO_SITE = """# 网站设置（示例）。所有联系方式均为占位内容。
网站标题: 示例市总工会 · 最美劳动者风采（示例）
主办单位: 示例市总工会
网址: https://www.example.org/zuimei/
简介: 这是 site_builder 的演示网站，人物与事迹均为虚构（示例）。
主题: default
页脚:
  ICP备案号: 示ICP备00000000号-1（示例）
  公安备案号: 示公网安备 00000000000000号（示例）
  版权: © 2024 示例市总工会（示例）
  联系方式: 宣教网络部 gonghui@example.org
"""

DEMO_CAMPAIGN = (
    """# 活动设置（示例）
活动名称: 示例市“最美新就业形态劳动者”（示例）
年度: 2024
简介: >-
  为增强新就业形态劳动者的职业荣誉感，示例市总工会开展选树宣传“最美新就业形态劳动者”活动。
  经各单位推荐、评审委员会评审，现将人选的先进事迹展示如下。（本站为演示，人物均为虚构）
类别: [货车司机, 网约车司机, 快递员, 外卖配送员]
推荐单位:
  - {名称: 青山县总工会, 名额: 4}
  - {名称: 白河区总工会, 名额: 4}
  - {名称: 高新区工会, 名额: 3}
  - {名称: 示例市交通运输产业工会, 名额: 3}
  - {名称: 示例市邮政快递业工会, 名额: 2}
公示:
  开始: 2024-03-28
  工作日数: 5
  受理渠道:
    受理部门: 示例市总工会宣教网络部
    电话: ["0000-0000000"]
    邮箱: gonghui@example.org
    通信地址: 示例市示例大道 1 号示例市总工会宣教网络部
    邮编: "000000"
    来访地址: 示例市示例大道 1 号 915 室
    接待时间: 工作日 9:00—12:00，14:30—17:30
  发布单位: [示例市总工会]
  发布日期: 2024-03-27
# 征集推荐（示例）：推荐表、推荐汇总表和名额分配表由本设置自动生成，可在“通知”页下载
征集:
  文号: 示工文〔2024〕8号（示例）
  截止日期: 2024-03-15
  通知: |-
    各县区总工会、各产业工会：

    为大力弘扬劳模精神、劳动精神、工匠精神，增强新就业形态劳动者的职业荣誉感，市总工会决定开展 2024 年示例市“最美新就业形态劳动者”推荐工作（示例）。

    ## 一、推荐范围

    在本市从事货车司机、网约车司机、快递员、外卖配送员等职业，遵纪守法、爱岗敬业、服务群众，在本职岗位上作出突出贡献的新就业形态劳动者。

    ## 二、推荐程序

    各推荐单位按分配名额推荐，人选须在所在单位公示 5 个工作日无异议后报送。请填写推荐表（附件1）和推荐汇总表（附件2），事迹材料 1500 字左右。

    ## 三、报送要求

    请于截止日期前将加盖公章的推荐表和电子版报送市总工会宣教网络部。
  报送方式:
    报送部门: 示例市总工会宣教网络部
    电话: ["0000-0000000"]
    邮箱: gonghui@example.org
    地址: 示例市示例大道 1 号 915 室
  发布单位: [示例市总工会]
  发布日期: 2024-03-01
# 评选规则（仿照焦作 2024 年通知）：每条可设 错误 或 警告
"""
    + RULES_2024
)


def make_demo() -> None:
    target = ROOT / "content"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    (target / "site.yaml").write_text(DEMO_SITE, "utf-8")
    campaign = target / "2024-shili-xinjiuye"
    campaign.mkdir()
    (campaign / "campaign.yaml").write_text(DEMO_CAMPAIGN, "utf-8")
    units = [
        "青山县总工会",
        "白河区总工会",
        "高新区工会",
        "示例市交通运输产业工会",
        "示例市邮政快递业工会",
    ]
    write_people(campaign, DEMO_PEOPLE, "示例市总工会", units, (1280, 960))


JIUJIANG_UNITS = [
    ("修水县", 4),
    ("瑞昌市", 4),
    ("武宁县", 4),
    ("柴桑区", 3),
    ("湖口县", 3),
    ("都昌县", 4),
    ("彭泽县", 3),
    ("庐山市", 3),
    ("德安县", 3),
    ("永修县", 4),
    ("浔阳区", 4),
    ("濂溪区", 4),
    ("共青城市", 4),
    ("九江经济技术开发区", 2),
    ("庐山西海", 1),
    ("八里湖新区", 1),
    ("鄱阳湖生态科技城", 2),
    ("行业联合会", 2),
]  # 附件2 of 九工办发〔2022〕7号

JIUJIANG_PEOPLE = [
    Person(
        "liu-wenbo",
        "刘文博",
        "男",
        "1992.03",
        "汉族",
        "中共党员",
        "示例数字科技有限公司 运维工程师",
        "数字经济领域",
        "浔阳区",
        "2014.07",
        "本科",
        "带领团队把政务云平台故障恢复时间缩短到五分钟以内。",
    ),
    Person(
        "xu-yanping",
        "许燕平",
        "女",
        "1989.06",
        "汉族",
        "群众",
        "示例快递有限公司修水分部 快递员",
        "新业态领域",
        "修水县",
        "2013.04",
        "高中",
        "坚持给山区留守老人代购药品。",
    ),
    Person(
        "he-jun",
        "何军",
        "男",
        "1985.11",
        "汉族",
        "中共党员",
        "示例网约车服务公司 网约车司机",
        "新业态领域",
        "濂溪区",
        "2016.09",
        "大专",
        "义务接送重点工程建设者返乡。",
    ),
    Person(
        "tang-li",
        "唐莉",
        "女",
        "1995.01",
        "汉族",
        "共青团员",
        "示例电商产业园 直播带货主播",
        "数字经济领域",
        "共青城市",
        "2018.03",
        "本科",
        "帮助农户把农产品卖到全国。",
    ),
    Person(
        "zeng-dawei",
        "曾大伟",
        "男",
        "1990.08",
        "汉族",
        "群众",
        "示例即时配送公司 外卖配送员",
        "新业态领域",
        "行业联合会",
        "2017.05",
        "中专",
        "多次在送餐途中救助落水群众。",
    ),
]

JIUJIANG_SITE = """# 示例：仿照九江市 2022 年“最美劳动者”活动。人物均为虚构，联系方式为占位内容。
网站标题: 九江市“最美劳动者”（示例）
主办单位: 九江市总工会（示例）
网址: https://www.example.org/jiujiang/
简介: 按九工办发〔2022〕7号通知的活动设置制作的示例网站，人物与事迹均为虚构。
页脚:
  ICP备案号: 赣ICP备00000000号-1（示例）
  联系方式: 组织和宣教网络部 51gj@example.org
"""

JIUJIANG_CAMPAIGN = """# 九江市“中国梦·劳动美——喜迎二十大 建功新时代”寻找“最美劳动者”活动（示例）
活动名称: 九江市寻找“最美劳动者”（示例）
年度: 2022
简介: >-
  在新业态领域和数字经济产业中挖掘选树一批“最美劳动者”先进典型。
  候选人需加入工会组织，应有县级以上荣誉基础，并且事迹在媒体作过宣传。（示例）
类别: [数字经济领域, 新业态领域]
推荐单位:
{units}
公示:
  标题: 九江市“最美劳动者”入选名单公示（示例）
  开始: 2022-08-15
  工作日数: 5
  最少工作日: 5
  名单字段: [序号, 姓名, 性别, 类别, 推荐单位, 单位及职务]
  排序: given
  受理渠道:
    受理部门: 九江市总工会组织和宣教网络部（示例）
    电话: ["0792-0000000"]
    邮箱: 51gj@example.org
    来访地址: 示例地址：九江市工人文化宫 915 室
  发布单位: [九江市总工会（示例）]
  发布日期: 2022-08-12
# 九工办发〔2022〕7号的评选标准：名额见附件2；须加入工会；须有县级以上荣誉且事迹经媒体宣传
规则:
  推荐名额: 错误
  # 须经所在单位、县级和市级三级公示，公示时间不少于 5 个工作日
  三级公示: 错误
  须为工会会员: 错误
  须有荣誉: 错误
  须有媒体报道: 错误
  # 通知要求详细事迹 3000 字左右（正式活动可设 1500–4500）；示例人物的事迹较短
  详细事迹字数: {最少字数: 600, 最多字数: 4500, 级别: 警告}
# 征集推荐：九工办发〔2022〕7号（示例）；推荐表和推荐人选分配表由活动设置自动生成
征集:
  文号: 九工办发〔2022〕7号（示例）
  通知: |
    各县（市、区）总工会，各行业联合会（示例）：

    为喜迎党的二十大胜利召开，市总工会决定在全市新业态领域和数字经济产业中寻找“最美劳动者”。现将有关事项通知如下。（示例）

    ## 一、推荐条件

    候选人需加入工会组织，应有县级以上荣誉基础，并且事迹在媒体作过宣传。（示例）

    ## 二、报送要求

    表格须统一用 A4 纸填写双面打印，并逐级加盖公章。推荐表及详细事迹资料（3000 字左右）各两份报送市总工会组织和宣教网络部。推荐人选须经所在单位、县级和市级三级公示，公示时间不少于 5 个工作日。（示例）
  截止日期: 2022-07-30
  报送方式:
    报送部门: 九江市总工会组织和宣教网络部（示例）
    电话: ["0792-0000000"]
    邮箱: 51gj@example.org
    地址: 示例地址：九江市工人文化宫 915 室
  发布日期: 2022-07-01
"""
# Every 2022 nominee passed the unit's and the county's 公示 before the city's.
JIUJIANG_LEVELS = """单位公示: {开始: 2022-07-04, 结束: 2022-07-08, 地点: 所在单位公告栏（示例）}
县级公示: {开始: 2022-07-18, 工作日数: 5, 地点: 县总工会网站（示例）}
"""

JIAOZUO_UNITS = [
    ("解放区总工会", 4),
    ("中站区总工会", 4),
    ("马村区总工会", 4),
    ("山阳区总工会", 4),
    ("修武县总工会", 4),
    ("博爱县总工会", 4),
    ("武陟县总工会", 4),
    ("温县总工会", 4),
    ("沁阳市总工会", 4),
    ("孟州市总工会", 4),
    ("高新技术产业开发区工会", 4),
    ("市交通运输产业工会", 4),
    ("市属基层工会（示例）", 2),
]  # 焦工文〔2024〕16号: 2—4 per county and industry union, 1—2 per directly-affiliated union

JIAOZUO_PEOPLE = [
    Person(
        "geng-xiaodong",
        "耿晓东",
        "男",
        "1987.02",
        "汉族",
        "中共党员",
        "示例物流有限公司 货车司机",
        "货车司机",
        "武陟县总工会",
        "2009.05",
        "高中",
        "十余年安全行车零事故。",
        ["推荐省级候选人"],
    ),
    Person(
        "shen-li",
        "沈丽",
        "女",
        "1990.09",
        "汉族",
        "群众",
        "示例出行服务有限公司 网约车司机",
        "网约车司机",
        "解放区总工会",
        "2017.03",
        "大专",
        "开通“爱心送考”专线三年。",
    ),
    Person(
        "dong-peng",
        "董鹏",
        "男",
        "1994.04",
        "汉族",
        "共青团员",
        "示例快递焦作分拨中心 快递员",
        "快递员",
        "山阳区总工会",
        "2016.08",
        "中专",
        "在暴雨中转移被困群众二十余人。",
        ["推荐省级候选人"],
    ),
    Person(
        "yang-meng",
        "杨萌",
        "女",
        "1997.12",
        "汉族",
        "共青团员",
        "示例即时配送公司 外卖配送员",
        "外卖配送员",
        "高新技术产业开发区工会",
        "2019.06",
        "本科",
        "组建骑手应急救援小队。",
    ),
    Person(
        "jie-zhiyuan",
        "解志远",
        "男",
        "1983.07",
        "汉族",
        "中共党员",
        "示例运输集团 货车司机",
        "货车司机",
        "市交通运输产业工会",
        "2005.10",
        "初中",
        "义务为山区学校运送图书。",
    ),
]

JIAOZUO_SITE = """# 示例：仿照焦作市 2024 年“最美新就业形态劳动者”活动。人物均为虚构，联系方式为占位内容。
网站标题: 焦作“最美新就业形态劳动者”（示例）
主办单位: 焦作市总工会（示例）
网址: https://www.example.org/jiaozuo/2024/
简介: 按焦工文〔2024〕16号通知的活动设置制作的示例网站，人物与事迹均为虚构。
页脚:
  ICP备案号: 豫ICP备00000000号-1（示例）
  联系方式: 宣教网络部 jzgh@example.org
"""

JIAOZUO_CAMPAIGN = (
    """# 选树宣传焦作“最美新就业形态劳动者”活动（示例）
活动名称: 焦作“最美新就业形态劳动者”（示例）
年度: 2024
简介: >-
  在焦作市域内工作满 2 年以上且为工会会员的货车司机、网约车司机、快递员、外卖配送员等
  新就业形态劳动者中，评选出 20 名焦作“最美新就业形态劳动者”，其中 5 名推荐为河南省候选人。（示例）
类别: [货车司机, 网约车司机, 快递员, 外卖配送员]
推荐单位:
{units}
公示:
  标题: 焦作“最美新就业形态劳动者”拟表彰人选公示（示例）
  开始: 2024-04-08
  结束: 2024-04-12
  受理渠道:
    受理部门: 焦作市总工会宣教网络部（示例）
    电话: ["0391-0000000"]
    邮箱: jzgh@example.org
  发布单位: [焦作市总工会（示例）]
  发布日期: 2024-04-07
# 焦工文〔2024〕16号：工作满 2 年以上且为工会会员；每个类别均不超过 2 人；评选 20 名，其中 5 名报省
"""
    + RULES_2024
    + """# 征集推荐：通知正文在同一文件夹的“征集通知.md”里；推荐表、推荐汇总表和名额分配表由活动设置自动生成
征集:
  文号: 焦工文〔2024〕16号（示例）
  通知: 征集通知.md
  截止日期: 2024-03-26
  报送方式:
    报送部门: 焦作市总工会宣教网络部（示例）
    联系人: 张静（示例）
    电话: ["0391-0000000"]
    邮箱: jzgh@example.org
  发布单位: [焦作市总工会（示例）]
  发布日期: 2024-03-08
"""
)
JIAOZUO_NOTICE = """各县（市、区）总工会，市直各产业工会，各基层工会（示例）：

为深入学习贯彻习近平总书记关于工人阶级和工会工作的重要论述，大力弘扬劳模精神、劳动精神、工匠精神，市总工会决定在全市开展焦作“最美新就业形态劳动者”选树宣传活动。现将有关事项通知如下。（示例）

## 一、推荐对象

在焦作市域内工作满 2 年以上、且为工会会员的货车司机、网约车司机、快递员、外卖配送员等新就业形态劳动者。（示例）

## 二、推荐名额

评选 20 名焦作“最美新就业形态劳动者”，其中 5 名推荐为河南省候选人。各单位推荐名额见附件3，每个类别均不超过 2 人。（示例）

## 三、报送要求

请各单位于截止日期前，将推荐表（附件1）、推荐汇总表（附件2）加盖公章后报送至市总工会宣教网络部，同时将电子版发送至指定邮箱。推荐人选须经所在单位、县级和市级三级公示，公示时间不少于 5 个工作日。（示例）
"""


def make_example(
    name: str,
    site: str,
    campaign_id: str,
    campaign: str,
    units: list[tuple[str, int]],
    people: list[Person],
    org: str,
    files: dict[str, str] | None = None,
    head: str = "",
) -> None:
    """``files``: beside campaign.yaml (the call's notice); ``head``: lines every record
    starts with (the lower levels' 公示)."""
    target = ROOT / "examples" / name / "content"
    shutil.rmtree(target, ignore_errors=True)
    (target / campaign_id).mkdir(parents=True)
    (target / "site.yaml").write_text(site, "utf-8")
    unit_lines = "\n".join(f"  - {{名称: {u}, 名额: {q}}}" for u, q in units)
    (target / campaign_id / "campaign.yaml").write_text(
        campaign.replace("{units}", unit_lines), "utf-8"
    )
    for file, text in (files or {}).items():
        (target / campaign_id / file).write_text(text, "utf-8")
    write_people(target / campaign_id, people, org, [u for u, _ in units], (960, 720), head)


if __name__ == "__main__":
    make_demo()
    make_example(
        "jiujiang-2022",
        JIUJIANG_SITE,
        "2022-jiujiang-zuimei",
        JIUJIANG_CAMPAIGN,
        JIUJIANG_UNITS,
        JIUJIANG_PEOPLE,
        "九江市总工会（示例）",
        head=JIUJIANG_LEVELS,
    )
    make_example(
        "jiaozuo-2024",
        JIAOZUO_SITE,
        "2024-jiaozuo-xinjiuye",
        JIAOZUO_CAMPAIGN,
        JIAOZUO_UNITS,
        JIAOZUO_PEOPLE,
        "焦作市总工会（示例）",
        files={"征集通知.md": JIAOZUO_NOTICE},
    )
    print("content/ and examples/ regenerated")
