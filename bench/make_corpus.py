"""Make a deterministic benchmark corpus in the content format.

    python bench/make_corpus.py --n 200 --out bench/corpus-200 --seed 1

N honourees, each with a 1200×1680 portrait and three 4032×3024 phone-like JPEGs
(textured so they compress like real photos, 2–4 MB each), some stored with EXIF
orientation 6 or 8 and all with GPS tags, and a story of about 1,500 字. Photos are
made from a few textured bases, shifted and tinted per photo so every file differs.
Nothing here is committed: the corpus is regenerated on demand.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from fakephotos import portrait, save_jpeg, work_photo

CATEGORIES = ["货车司机", "网约车司机", "快递员", "外卖配送员"]
UNITS = ["甲县总工会", "乙区总工会", "丙市总工会", "丁区总工会", "戊县总工会", "行业工会"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
SENTENCE = (
    "{name}在{category}岗位上默默耕耘，风雨无阻，用一次次准时的到达诠释了平凡岗位上的不平凡。"
)

_BASES: list[Image.Image] = []


def _bases(seed: int) -> list[Image.Image]:
    if not _BASES:
        for i, cat in enumerate(CATEGORIES):
            _BASES.append(work_photo(seed * 100 + i, cat, (4032, 3024)))
    return _BASES


def _photo(args: tuple[int, int, Path, int, bool]) -> None:
    seed, index, path, orientation, gps = args
    rng = random.Random(seed * 7919 + index)
    base = _bases(seed)[index % len(CATEGORIES)]
    im = ImageChops.offset(base, rng.randint(0, 4031), rng.randint(0, 300))
    tint = Image.new("RGB", im.size, (rng.randint(0, 60), rng.randint(0, 60), rng.randint(0, 60)))
    im = ImageChops.add(im, tint, scale=1.0)
    ImageDraw.Draw(im).text((60, 2900), f"#{index}", fill=(255, 255, 255))
    save_jpeg(im, path, orientation=orientation, gps=gps, quality=92)


def _record(i: int, rng: random.Random) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    category = CATEGORIES[i % len(CATEGORIES)]
    unit = UNITS[i % len(UNITS)]
    story = "\n\n".join(
        "".join(SENTENCE.format(name=name, category=category) for _ in range(6)) for _ in range(5)
    )
    text = (
        f"---\n序号: {i + 1}\n姓名: {name}\n性别: {rng.choice('男女')}\n出生年月: 19{rng.randint(70, 99)}.0{rng.randint(1, 9)}\n"
        f"单位及职务: 示例公司{i} {category}\n类别: {category}\n推荐单位: {unit}\n状态: 已审定\n"
        f"事迹简介: {SENTENCE.format(name=name, category=category)}\n证件照: {{文件: portrait.jpg}}\n工作照:\n"
        + "".join(f"  - {{文件: work-{k}.jpg, 说明: 工作照{k}}}\n" for k in (1, 2, 3))
        + f"---\n{story}\n"
    )
    return category, text


def make(n: int, out: Path, seed: int) -> None:
    shutil.rmtree(out, ignore_errors=True)
    content = out / "content"
    campaign = content / "bench"
    (campaign / "honorees").mkdir(parents=True)
    (content / "site.yaml").write_text(
        "网站标题: 基准测试（示例）\n主办单位: 基准测试总工会\n网址: https://example.org/bench/\n"
        "生成海报: 否\n",  # Hugo makes none: the same work on both sides
        "utf-8",
    )
    (campaign / "campaign.yaml").write_text(
        f"活动名称: 基准测试活动（示例）\n年度: 2024\n类别: [{', '.join(CATEGORIES)}]\n", "utf-8"
    )
    rng = random.Random(seed)
    jobs = []
    for i in range(n):
        folder = campaign / "honorees" / f"p{i:04d}"
        folder.mkdir()
        category, text = _record(i, rng)
        (folder / "index.md").write_text(text, "utf-8")
        portrait(seed * 10_000 + i, category, (1200, 1680)).save(
            folder / "portrait.jpg", quality=90
        )
        for k in (1, 2, 3):
            orientation = {0: 6, 1: 8}.get((i * 3 + k) % 5, 1)
            jobs.append((seed, i * 3 + k, folder / f"work-{k}.jpg", orientation, True))
    with ProcessPoolExecutor() as pool:
        list(pool.map(_photo, jobs, chunksize=8))


def main() -> None:
    parser = argparse.ArgumentParser(description="生成基准测试语料（内容格式）")
    parser.add_argument("--n", type=int, default=50, help="人选数量")
    parser.add_argument("--out", type=Path, default=Path("bench/corpus-50"), help="输出文件夹")
    parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同语料）")
    args = parser.parse_args()
    make(args.n, args.out, args.seed)
    photos = sorted(args.out.rglob("work-*.jpg"))
    size = sum(p.stat().st_size for p in photos)
    print(
        f"{args.n} 位人选，{len(photos)} 张工作照（平均 {size / len(photos) / 1e6:.1f} MB）→ {args.out}"
    )


if __name__ == "__main__":
    main()
