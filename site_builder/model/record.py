"""The honouree record: every field of the two 推荐表 forms, declared once.

Each field carries its Chinese label(s) (accepted as keys, first one shown in
messages), a one-line description (shown beside the field in the workbench)
and its privacy class:

* ``public``  — profile pages, lists and the notice;
* ``notice``  — only the notice table, and only where the campaign lists it;
* ``private`` — validation only (ID checksum, duplicates, privacy scan); never rendered.

The templates never see a ``Record``: ``pages/public.py`` builds the view they get.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainValidator, field_validator, model_validator

from ..errors import FieldError
from .dates import YearMonth, parse_year_month
from .fields import (
    FromText,
    OptInt,
    OptText,
    OptYesNo,
    Paragraph,
    Strict,
    Text,
    aliases,
    as_list,
    field,
    keys_by_privacy,
    labels_of,
    text_or_none,
)
from .identifiers import id_number_problem

SUMMARY_MAX_CHARS = 500
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

OptYM = Annotated[
    YearMonth | None,
    BeforeValidator(text_or_none),
    PlainValidator(lambda v: None if v is None else parse_year_month(v)),
]

STATUS_VALUES = {
    "拟推荐": "proposed",
    "已审定": "approved",
    "已撤销": "withdrawn",
    "proposed": "proposed",
    "approved": "approved",
    "withdrawn": "withdrawn",
}
STATUS_LABELS = {"proposed": "拟推荐", "approved": "已审定", "withdrawn": "已撤销"}


def _status(value: Any) -> Any:
    if isinstance(value, str) and value.strip() in STATUS_VALUES:
        return STATUS_VALUES[value.strip()]
    if isinstance(value, str):
        raise FieldError(
            f"状态“{value}”无法识别", "请写 拟推荐、已审定 或 已撤销（只有“已审定”的人选会发布）"
        )
    return value


class Honour(FromText):
    """One honour: 2023 · 示例市五一劳动奖章 · 示例市总工会."""

    text_field = "title"

    year: OptInt = field(("年份", "年度"), "获得荣誉的年份")
    title: Text = field(("名称", "荣誉"), "荣誉名称", default=...)
    awarded_by: OptText = field(("授予单位", "颁发单位"), "授予荣誉的单位")


class MediaItem(FromText):
    """One piece of media coverage, linked from the profile."""

    text_field = "title"

    outlet: OptText = field(("媒体", "媒体名称"), "报道的媒体，例如“示例日报”")
    title: Text = field(("标题", "题目"), "报道标题", default=...)
    date: dt.date | None = field("日期", "报道日期，例如 2023-05-01")
    url: OptText = field(("链接", "网址"), "报道链接（http 或 https 开头）")

    @field_validator("url")
    @classmethod
    def _check_url(cls, url: str | None) -> str | None:
        if url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
            raise FieldError(f"链接“{url}”无效", "链接应以 http:// 或 https:// 开头")
        return url


class LevelNotice(Strict):
    """A lower level's 公示 of a nominee (所在单位 or 县级), before the city's."""

    start: dt.date = field(("开始", "开始日期"), "公示开始日期，如 2024-03-01", default=...)
    end: dt.date | None = field(("结束", "结束日期"), "公示结束日期（与“工作日数”二选一）")
    working_days: int | None = field(("工作日数", "公示工作日"), "公示的工作日数（与“结束”二选一）")
    place: OptText = field(("地点", "张贴地点"), "在哪里公示，如“单位公告栏”“县总工会网站”")

    @model_validator(mode="after")
    def _one(self) -> LevelNotice:
        if self.end is None and self.working_days is None:
            raise FieldError("缺少公示结束日期", "请写结束日期或工作日数", "end")
        return self


class Photo(FromText):
    """A photo in the honouree's folder, with the caption that becomes its alt text."""

    text_field = "file"

    file: Text = field(("文件", "文件名"), "照片文件名，放在本人的文件夹里", default=...)
    caption: OptText = field(("说明", "图片说明"), "照片说明，也是读屏软件读出的替代文字")
    focus: OptText = field(("焦点", "重点"), "裁切时保留的位置，如“0.5,0.3”（左右,上下，0–1）")

    @field_validator("focus")
    @classmethod
    def _check_focus(cls, focus: str | None) -> str | None:
        if focus is not None:
            parse_focus(focus)
        return focus


def parse_focus(text: str) -> tuple[float, float]:
    parts = re.split(r"[,，\s]+", text.strip())
    try:
        x, y = (float(p) for p in parts)
    except ValueError:
        raise FieldError(f"焦点“{text}”无法识别", "请写两个 0 到 1 之间的数，如“0.5,0.3”") from None
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise FieldError(f"焦点“{text}”超出范围", "两个数都应在 0 到 1 之间")
    return x, y


class Record(Strict):
    """The front matter of an honouree's index.md: the 推荐表, plus publishing fields."""

    seq: OptInt = field("序号", "公示名单与汇总表中的序号")
    name: Text = field("姓名", "姓名", default=...)
    gender: Literal["男", "女"] = field("性别", "男 或 女", default=...)
    birth: OptYM = field("出生年月", "例如 1990.05", "notice")
    ethnicity: OptText = field("民族", "例如 汉族")
    native_place: OptText = field("籍贯", "籍贯", "notice")
    political_status: OptText = field("政治面貌", "例如 中共党员、群众")
    id_number: OptText = field("身份证号", "18 位公民身份号码（只用于核验，绝不发布）", "private")
    unit_position: OptText = field(
        ("单位及职务", "单位职务"), "单位全称及具体岗位，例如“示例快递有限公司 快递员”"
    )
    employer: OptText = field("工作单位", "工作单位（2022 年推荐表的写法）")
    position: OptText = field(("职务", "职务职称", "岗位"), "职务或岗位（与工作单位配合使用）")
    education: OptText = field("学历", "最高学历", "notice")
    professional_title: OptText = field("职称", "专业技术职称")
    skill_level: OptText = field("技术等级", "职业技能等级，例如 高级工")
    work_start: OptYM = field(("参加工作时间", "参加工作年月"), "例如 2012.07", "notice")
    phone: OptText = field(
        ("联系方式", "电话", "手机", "联系电话"), "本人电话（不发布）", "private"
    )
    address: OptText = field(("详细地址", "家庭住址", "地址"), "详细地址（不发布）", "private")
    postcode: OptText = field("邮编", "邮政编码（不发布）", "private")
    contact_person: OptText = field("联系人", "推荐单位联系人（不发布）", "private")
    contact_phone: OptText = field(("联系人电话", "联系人手机"), "联系人电话（不发布）", "private")
    union_member: OptYesNo = field(
        ("工会会员", "是否工会会员"), "是否为工会会员（用于资格审核，不发布）", "private"
    )
    category: Text = field("类别", "参评类别，须是活动设置的类别之一", default=...)
    nominating_unit: Text = field("推荐单位", "推荐单位，须是活动设置的推荐单位之一", default=...)
    honours: Annotated[list[Honour], BeforeValidator(as_list)] = field(
        ("获得荣誉", "曾获主要荣誉", "主要荣誉", "荣誉"),
        "所获荣誉列表（年份、名称、授予单位）",
        default=[],
    )
    media: Annotated[list[MediaItem], BeforeValidator(as_list)] = field(
        ("媒体宣传情况", "媒体报道"), "媒体宣传报道列表（媒体、标题、日期、链接）", default=[]
    )
    summary: Paragraph = field(
        ("事迹简介", "主要事迹", "事迹"), f"事迹简介，不超过 {SUMMARY_MAX_CHARS} 字", default=...
    )
    status: Annotated[Literal["proposed", "approved", "withdrawn"], BeforeValidator(_status)] = (
        field(("状态", "审定状态"), "拟推荐、已审定 或 已撤销；只有已审定的发布", default=...)
    )
    badges: Annotated[list[Text], BeforeValidator(as_list)] = field(
        ("标记", "称号标记"), "页面上显示的标记，例如“推荐省级候选人”", default=[]
    )
    portrait: Photo | None = field(("证件照", "头像"), "1 寸证件照（不写则使用 portrait.jpg）")
    photos: Annotated[list[Photo], BeforeValidator(as_list)] = field(
        "工作照", "工作照 2–3 张，每张都要写说明", default=[]
    )
    unit_notice: LevelNotice | None = field(
        ("单位公示", "所在单位公示"), "所在单位的公示：开始、结束（或工作日数）、地点", "notice"
    )
    county_notice: LevelNotice | None = field(
        ("县级公示", "县（市、区）公示"), "县级的公示：开始、结束（或工作日数）、地点", "notice"
    )
    slug: OptText = field(
        ("网址名", "slug"), "固定网址名（默认为文件夹名，只能用小写字母、数字和-）"
    )

    # Each field is checked on its own, so one wrong field never hides another's problem;
    # only the check that needs two fields waits until both are valid.
    @field_validator("summary")
    @classmethod
    def _check_summary(cls, summary: str) -> str:
        length = len(re.sub(r"\s", "", summary))
        if length > SUMMARY_MAX_CHARS:
            raise FieldError(
                f"事迹简介有 {length} 字，超过 {SUMMARY_MAX_CHARS} 字",
                f"请精简到 {SUMMARY_MAX_CHARS} 字以内；详细事迹写在正文里",
            )
        return summary

    @field_validator("slug")
    @classmethod
    def _check_slug(cls, slug: str | None) -> str | None:
        if slug is not None and not SLUG_RE.match(slug):
            raise FieldError(f"网址名“{slug}”含有不允许的字符", "只能用小写字母、数字和连字符 -")
        return slug

    @field_validator("id_number")
    @classmethod
    def _check_id_number(cls, id_number: str | None) -> str | None:
        problem = id_number_problem(id_number) if id_number is not None else None
        if problem:
            raise FieldError(*problem)
        return id_number

    @model_validator(mode="after")
    def _check(self) -> Record:
        if not (self.unit_position or self.employer):
            raise FieldError("缺少必填项", "请填写单位全称及具体岗位", "unit_position")
        return self

    @property
    def display_unit(self) -> str:
        if self.unit_position:
            return self.unit_position
        return " ".join(p for p in (self.employer, self.position) if p)


RECORD_LABELS = labels_of(Record)  # declared name → Chinese label, for messages and headers
RECORD_ALIASES = aliases(Record)  # every accepted key → declared name
PRIVATE_KEYS = tuple(keys_by_privacy(Record, "private"))  # in declaration order
PRIVATE_FIELDS = frozenset(PRIVATE_KEYS)

# What stands in for a required field at fault, so that a record with errors can still be
# checked against its campaign, its photos and the rules on all its other fields.
STAND_INS: dict[str, object] = {
    "name": "？",
    "gender": "男",
    "category": "？",
    "nominating_unit": "？",
    "summary": "？",
    "status": "proposed",
    "unit_position": "？",
}
