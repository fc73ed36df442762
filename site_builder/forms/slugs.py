"""Honouree slugs: the folder name, made once from pinyin and never changed.

Links to profiles are pasted into WeChat articles that cannot be edited, so a slug is
fixed when ``new`` or ``import`` creates the folder. pypinyin reads surnames as
ordinary words (单 dan, 曾 ceng, 解 jie, 仇 chou, 区 qu, 朴 pu, 查 cha, 盖 gai), so
surnames come from our own table first. Only ``[a-z0-9-]`` remain; the parts of a
minority name joined by “·” become words joined by “-”.

Homonyms (张伟, 章伟, 张玮 are all zhang-wei) get a suffix made from the person's own
name and unit, never from the order in which files were read: the same batch in any
order gives the same slugs, and an existing folder is never renamed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

# Compound surnames first, then single surnames whose everyday reading differs.
COMPOUND_SURNAMES = {
    "欧阳": "ouyang",
    "司马": "sima",
    "诸葛": "zhuge",
    "上官": "shangguan",
    "尉迟": "yuchi",
    "慕容": "murong",
    "东方": "dongfang",
    "皇甫": "huangfu",
    "令狐": "linghu",
    "长孙": "zhangsun",
    "宇文": "yuwen",
    "公孙": "gongsun",
    "澹台": "tantai",
    "万俟": "moqi",
    "单于": "chanyu",
    "夏侯": "xiahou",
    "司徒": "situ",
    "司空": "sikong",
    "端木": "duanmu",
    "呼延": "huyan",
    "南宫": "nangong",
    "第五": "diwu",
    "百里": "baili",
    "东郭": "dongguo",
    "西门": "ximen",
    "南门": "nanmen",
    "东门": "dongmen",
    "拓跋": "tuoba",
    "赫连": "helian",
    "独孤": "dugu",
    "公羊": "gongyang",
    "公冶": "gongye",
    "公西": "gongxi",
    "公良": "gongliang",
    "闻人": "wenren",
    "宗政": "zongzheng",
    "濮阳": "puyang",
    "太叔": "taishu",
    "申屠": "shentu",
    "仲孙": "zhongsun",
    "轩辕": "xuanyuan",
    "钟离": "zhongli",
    "鲜于": "xianyu",
    "闾丘": "lvqiu",
    "司寇": "sikou",
    "亓官": "qiguan",
    "巫马": "wuma",
    "漆雕": "qidiao",
    "乐正": "yuezheng",
    "壤驷": "rangsi",
    "夹谷": "jiagu",
    "宰父": "zaifu",
    "谷梁": "guliang",
    "段干": "duangan",
    "羊舌": "yangshe",
    "微生": "weisheng",
    "梁丘": "liangqiu",
    "左丘": "zuoqiu",
}
SURNAMES = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "尉": "wei",
    "乐": "yue",
    "覃": "qin",
    "翟": "zhai",
    "缪": "miao",
    "繁": "po",
    "召": "shao",
    "种": "chong",
    "褚": "chu",
    "秘": "bi",
    "宿": "su",
    "冼": "xian",
    "薄": "bo",
    "卜": "bu",
    "折": "she",
    "阚": "kan",
    "隗": "wei",
    "员": "yun",
    "能": "nai",
    "句": "gou",
    "过": "guo",
    "华": "hua",
    "任": "ren",
    "燕": "yan",
    "纪": "ji",
    "那": "na",
    "相": "xiang",
    "沈": "shen",
    "石": "shi",
    "柏": "bai",
    "牟": "mou",
    "莘": "shen",
    "祭": "zhai",
    "番": "pan",
}
NAME_SEPARATORS = "·•・‧.．"


HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _unread(chars: str) -> str:
    """Characters pypinyin has no reading for: a compatibility form's own reading, else for
    a rare Han character (𠮷, in Extension B) its code point, u20bb7 — stable, readable,
    and different for every character; other scripts by their Latin letters."""
    out = []
    for ch in chars:
        folded = unicodedata.normalize("NFKC", ch)
        if folded != ch and HAN.match(folded):
            out.append("".join(lazy_pinyin(folded, style=Style.NORMAL)))
        elif HAN.match(ch):
            out.append(f"u{ord(ch):x}")
        else:
            out.append(_latin(ch))
    return "".join(out)


def _known(ch: str) -> bool:
    return bool("".join(lazy_pinyin(ch, style=Style.NORMAL, errors=lambda _: "")))


def _pinyin(text: str) -> str:
    """Runs pypinyin reads are read as phrases (polyphones right); the rest by ``_unread``
    (outside pypinyin, which strips the digits of what its fallback returns)."""
    out: list[str] = []
    run = ""
    for ch in text:
        if HAN.match(ch) and not _known(ch):
            if run:
                out.append("".join(lazy_pinyin(run, style=Style.NORMAL, errors=_latin)))
                run = ""
            out.append(_unread(ch))
        else:
            run += ch
    if run:
        out.append("".join(lazy_pinyin(run, style=Style.NORMAL, errors=_latin)))
    return "".join(out)


def _latin(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


MAX_SLUG = 60  # letters of a base slug: the longest Uyghur names fit their first words


def base_slug(name: str) -> str:
    """张伟 → zhang-wei; 单国庆 → shan-guoqing; 阿依古丽·买买提 → ayiguli-maimaiti."""
    name = unicodedata.normalize("NFKC", name).strip()
    if HAN.search(name):
        name = re.sub(r"\s+", "", name)  # 张 伟 is 张伟; "Li Ming" keeps its words
    parts = [p for p in re.split(f"[{re.escape(NAME_SEPARATORS)}]", name) if p]
    if len(parts) > 1:
        words = [_pinyin(p) for p in parts]
    elif name[:2] in COMPOUND_SURNAMES:
        words = [COMPOUND_SURNAMES[name[:2]], _pinyin(name[2:])]
    elif name[:1] in SURNAMES:
        words = [SURNAMES[name[0]], _pinyin(name[1:])]
    elif HAN.match(name):
        words = [_pinyin(name[:1]), _pinyin(name[1:])]
    else:
        words = [_latin(w) for w in re.split(r"[^A-Za-z0-9]+", unicodedata.normalize("NFKD", name))]
    slug = "-".join(w for w in (re.sub(r"[^a-z0-9]", "", w) for w in words) if w)
    if len(slug) > MAX_SLUG:  # a folder name and an address stay short, whole words kept
        cut = slug[: MAX_SLUG + 1].rfind("-")
        slug = slug[: cut if cut >= MAX_SLUG // 2 else MAX_SLUG].rstrip("-")
    return slug or "renxuan"


def _suffix(name: str, unit: str, length: int) -> str:
    return hashlib.sha256(f"{name}|{unit}".encode()).hexdigest()[:length]


def assign_slugs(
    people: Iterable[tuple[str, str]], taken: Iterable[str]
) -> dict[tuple[str, str], str]:
    """Slugs for new (name, unit) pairs, given the slugs already in use.

    A base slug is used as it is when it is free and no other newcomer shares it;
    otherwise each newcomer sharing it gets base-<4 hex of its name and unit>.
    """
    taken = set(taken)
    newcomers = sorted(set(people))
    bases = {person: base_slug(person[0]) for person in newcomers}
    counts: dict[str, int] = {}
    for base in bases.values():
        counts[base] = counts.get(base, 0) + 1
    result: dict[tuple[str, str], str] = {}
    for person in newcomers:
        base = bases[person]
        slug = base
        length = 4
        while slug in taken or (slug == base and counts[base] > 1):
            slug = f"{base}-{_suffix(*person, length)}"
            length += 2
        taken.add(slug)
        result[person] = slug
    return result


def slug_candidates(name: str, unit: str) -> list[str]:
    """Every slug ``assign_slugs`` could have given this person, in the order it tries them."""
    base = base_slug(name)
    return [base] + [f"{base}-{_suffix(name, unit, n)}" for n in range(4, 66, 2)]


def slug_for(name: str, unit: str, taken: Iterable[str]) -> str:
    return assign_slugs([(name, unit)], taken)[(name, unit)]
