"""Scratch sites built in tmp_path, parsed with BeautifulSoup (Lektor/Pelican style)."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from site_builder.model.identifiers import ID_CHECK, ID_WEIGHTS
from site_builder.pipeline import BuildOptions, BuildResult, build

ROOT = Path(__file__).resolve().parent.parent

SITE_YAML = """\
网站标题: 测试网站（示例）
主办单位: 测试市总工会
网址: https://example.org/zuimei/2024/
"""

CAMPAIGN_YAML = """\
活动名称: 测试市“最美劳动者”（示例）
年度: 2024
类别: [快递员, 外卖配送员]
推荐单位:
  - {名称: 甲县总工会, 名额: 4}
  - {名称: 乙区总工会, 名额: 4}
公示:
  开始: 2024-03-28
  工作日数: 5
  受理渠道:
    受理部门: 测试市总工会宣教网络部
    电话: ["0000-1234567"]
    邮箱: objection@example.org
  发布单位: [测试市总工会]
  发布日期: 2024-03-27
"""


def valid_id(seed: int) -> str:
    """A checksum-valid resident ID number (region 110105, birth 1990-01-01)."""
    body = f"11010519900101{seed % 1000:03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def record(name: str = "李测试", **fields: str | None) -> str:
    base = {
        "姓名": name,
        "性别": "男",
        "出生年月": "1990.10",
        "单位及职务": "测试快递公司 快递员",
        "类别": "快递员",
        "推荐单位": "甲县总工会",
        "事迹简介": f"{name}是一名示例快递员，风雨无阻。",
        "身份证号": f'"{valid_id(sum(map(ord, name)))}"',
        "联系方式": f'"139{sum(map(ord, name)) % 100_000_000:08d}"',
        "详细地址": "测试市幸福路88号3单元",
        "联系人": "王联系",
        "状态": "已审定",
    }
    base.update(fields)
    front = "\n".join(f"{k}: {v}" for k, v in base.items() if v is not None)
    return f"---\n{front}\n---\n他每天送件，从不抱怨。\n"


@dataclass
class Scratch:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def campaign(self) -> Path:
        return self.content / "2024-test"

    def write(self, rel: str, text: str) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
        return path

    def honoree(self, slug: str, text: str | None = None, photos: int = 0, **fields: str) -> Path:
        folder = self.campaign / "honorees" / slug
        folder.mkdir(parents=True, exist_ok=True)
        items = []
        for i in range(1, photos + 1):
            Image.new("RGB", (1600, 1200), (40 * i, 90, 120)).save(folder / f"work-{i}.jpg")
            items.append(f"\n  - {{文件: work-{i}.jpg, 说明: 工作照{i}}}")
        if items:
            fields["工作照"] = "".join(items)
        (folder / "index.md").write_text(text or record(**fields), "utf-8")
        return folder

    def options(self, **kw: object) -> BuildOptions:
        opts = BuildOptions(
            content=self.content,
            output=self.output,
            cache=self.root / "cache",
            display_root=self.root,
        )
        for k, v in kw.items():
            setattr(opts, k, v)
        return opts

    def folder_target(self) -> Path:
        """A 文件夹 deploy target (empty) in site.yaml; its folder."""
        target = self.root / "www"
        target.mkdir()
        site = self.content / "site.yaml"
        site.write_text(
            site.read_text("utf-8") + f"发布:\n  - {{名称: www, 类型: 文件夹, 路径: '{target}'}}\n",
            "utf-8",
        )
        return target

    def build(self, **kw: object) -> BuildResult:
        return build(self.options(**kw))

    def html(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / rel).read_text("utf-8"), "html.parser")

    def tree(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.output).as_posix(): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }


@pytest.fixture
def scratch(tmp_path: Path) -> Scratch:
    s = Scratch(tmp_path)
    s.write("site.yaml", SITE_YAML)
    s.write("2024-test/campaign.yaml", CAMPAIGN_YAML)
    return s


@pytest.fixture
def copy_site(tmp_path: Path) -> Callable[[Path], Scratch]:
    def _copy(source: Path) -> Scratch:
        shutil.copytree(source, tmp_path / "content")
        return Scratch(tmp_path)

    return _copy


QR_CODE_ATTRIBUTES = {"xmlns", "viewbox", "width", "height", "class", "shape-rendering", "role",
                      "aria-label", "aria-hidden"}  # fmt: skip


def without_qr_code(soup: BeautifulSoup, where: str) -> BeautifulSoup:
    """A page's markup with the theme's own QR code taken out, once it is checked to be
    exactly what ``qr_svg`` draws (a white square and one path, nothing that runs, links
    or holds text): the one SVG a page may carry, so a test can refuse every other."""
    for code in soup.find_all("svg", class_="qr"):
        assert {name.lower() for name in code.attrs} <= QR_CODE_ATTRIBUTES, where
        assert [(t.name, sorted(t.attrs)) for t in code.find_all(True)] == [
            ("rect", ["fill", "height", "width"]),
            ("path", ["d", "stroke"]),
        ], where
        assert not code.get_text(), where
        code.decompose()
    return soup
