"""site.yaml and campaign.yaml: the publishing organisation, the campaign and its notice.

Declared once, each option with its Chinese label(s) and a one-line description
(the same ``field`` helper as the record). Unknown keys are errors with a suggestion.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, field_validator, model_validator

from ..errors import FieldError
from .fields import (
    PLACEHOLDER,
    FromText,
    OptParagraph,
    OptText,
    Paragraph,
    Strict,
    Text,
    YesNo,
    as_list,
    field,
)
from .rules import Rules
from .targets import DeployTarget

# What ``site-builder new site`` writes as the address until the officer gives the real
# one: a valid URL (the preview works), said by check and refused by deploy --write.
EXAMPLE_URL = "https://www.example.org/qing-tian-xie-wang-zhi/"  # 请填写网址
MAX_BASE_URL = 200  # a page's URL must fit in a QR code (2,331 bytes at level M)


def _base_url(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    url = value.strip()
    if not re.match(r"^https?://[^/\s]+(/[^\s?#]*)?$", url):
        raise FieldError(
            f"网址“{url}”无效",
            "请写完整网址，例如 https://www.example.org/zuimei/ （可以带子路径）",
        )
    if len(url) > MAX_BASE_URL:
        raise FieldError(
            f"网址过长（{len(url)} 个字符）",
            f"每个页面的二维码都要装下这个网址再加上页面路径；请用不超过 {MAX_BASE_URL} 个字符的网址",
        )
    return url if url.endswith("/") else url + "/"


class Footer(Strict):
    """Page footer: the organiser, contact and the filing numbers required in China."""

    icp: OptText = field(
        ("ICP备案号", "备案号"), "ICP 备案号，如“豫ICP备00000000号-1”，链接到工信部备案系统"
    )
    police: OptText = field(
        ("公安备案号", "公网安备"), "公安机关备案号，如“豫公网安备 41080002000000号”"
    )
    police_url: OptText = field("公安备案链接", "公安备案查询链接（默认全国互联网安全管理平台）")
    copyright: OptText = field("版权", "版权声明，如“© 2024 示例市总工会”")
    contact: OptText = field("联系方式", "网站联系方式（会公开显示，请写单位电话或邮箱）")


class WechatSettings(Strict):
    """The 公众号 articles' settings: the API's address (never the AppSecret), the credits."""

    api: OptText = field(
        ("接口地址", "代理地址"),
        "公众号接口的地址（默认 https://api.weixin.qq.com；单位通过代理上网时填代理转发的地址）",
    )
    editor: OptText = field("编辑", "文章末尾署名的编辑（可不写）")
    reviewer: OptText = field("审核", "文章末尾署名的审核（可不写）")


class SiteConfig(Strict):
    """content/site.yaml."""

    title: Text = field(("网站标题", "标题"), "网站标题，显示在每页顶部和浏览器标签", default=...)
    organiser: Text = field(("主办单位", "主办"), "主办单位，如“示例市总工会”", default=...)
    base_url: Annotated[str, BeforeValidator(_base_url)] = field(
        ("网址", "网站地址"),
        "网站发布后的完整网址（可带子路径），用于二维码与分享链接",
        default=...,
    )
    language: Literal["zh-CN"] = field("语言", "页面语言，目前为 zh-CN", default="zh-CN")
    description: OptParagraph = field("简介", "网站简介，用于搜索引擎和分享")
    theme: Text = field("主题", "主题名（themes/ 下的文件夹）", default="default")
    footer: Footer = field("页脚", "页脚信息：备案号、版权、联系方式", default=Footer())
    posters: YesNo = field(
        "生成海报", "是否为每位人选生成朋友圈海报和文章封面（默认 是）", default=True
    )
    deploy: Annotated[list[DeployTarget], BeforeValidator(as_list)] = field(
        "发布",
        "site-builder deploy 的发布目标（对象存储、SFTP、FTP 或文件夹），可写多个",
        default=[],
    )
    wechat: WechatSettings = field(
        "公众号", "推送公众号草稿的设置（接口地址）", default=WechatSettings()
    )
    poster_font: OptText = field(
        "海报字体", "海报用的中文字体文件路径（默认使用随软件安装的思源黑体 Noto Sans SC）"
    )

    @property
    def is_example_url(self) -> bool:
        return self.base_url == EXAMPLE_URL

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in / ("/zuimei/2024/")."""
        path = re.sub(r"^https?://[^/]+", "", self.base_url)
        return path or "/"


class Unit(FromText):
    """A recommending unit and its quota (附件2 of the 2022 notice)."""

    text_field = "name"

    name: Text = field(("名称", "单位"), "推荐单位名称", default=...)
    quota: Annotated[int | None, BeforeValidator(lambda v: None if v in ("", None) else v)] = field(
        ("名额", "推荐名额"), "推荐名额上限"
    )


PHONE = re.compile(r"\+?[0-9][0-9 ()（）\-－]{4,24}(?:\s*(?:转|分机|ext\.?)\s*[0-9]{1,6})?")


class Channels(Strict):
    """Where objections to the notice go; all of these are published on purpose."""

    department: OptText = field(("受理部门", "部门"), "受理异议的部门，如“市总工会宣教网络部”")
    phones: Annotated[list[Text], BeforeValidator(as_list)] = field(
        ("电话", "联系电话"), "受理电话（可写多个）", default=[]
    )
    email: OptText = field(("邮箱", "电子邮箱"), "受理邮箱")
    postal_address: OptText = field(("通信地址", "邮寄地址"), "书面材料寄送地址")
    postcode: OptText = field("邮编", "通信地址的邮政编码")
    visit_address: OptText = field(("来访地址", "地址"), "来访地址")
    visit_hours: OptText = field(("接待时间", "来访时间"), "来访接待时间，如“工作日 9:00–17:00”")

    @field_validator("phones")
    @classmethod
    def _phones(cls, phones: list[str]) -> list[str]:
        """A phone is the number: a label typed before it ("电话：0391-…") would be published
        in the 公示 and in its tel: link."""
        for phone in phones:
            if not PHONE.fullmatch(phone) and not PLACEHOLDER.match(phone):  # prompts: said apart
                raise FieldError(
                    f"电话“{phone}”里有号码以外的文字",
                    "只写号码，例如 0391-3999920（可写区号、分机“转 123”）；“电话”二字不用写",
                )
        return phones

    @model_validator(mode="after")
    def _check(self) -> Channels:
        if not (self.phones or self.email or self.postal_address or self.visit_address):
            raise FieldError(
                "没有任何受理异议的渠道", "请至少写“电话”“邮箱”或“通信地址”之一", "phones"
            )
        if self.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.email):
            raise FieldError(f"邮箱“{self.email}”格式不对", "例如 gonghui@example.org", "email")
        return self


class YearCalendar(Strict):
    """A year's official holidays and adjusted working days (国务院办公厅通知)."""

    holidays: Annotated[list[dt.date], BeforeValidator(as_list)] = field(
        ("放假", "节假日"), "放假的日期（含周末调整的放假日）", default=[]
    )
    workdays: Annotated[list[dt.date], BeforeValidator(as_list)] = field(
        ("调休上班", "补班"), "周末调休上班的日期", default=[]
    )


class Notice(Strict):
    """The 公示: period, list, objection channels, issuers."""

    title: OptText = field(("标题", "公示标题"), "公示标题（默认“关于…拟表彰人选的公示”）")
    doc_number: OptText = field(
        ("文号", "发文字号"), "公示的文号，如“示总工〔2024〕12号”（印在 Word 版标题上方，可不写）"
    )
    red_head: OptText = field(
        ("红头", "发文机关标志"),
        "Word 版的红头（发文机关标志），如“焦作市总工会文件”：红色居中，下有红色分隔线（可不写）",
    )
    intro: OptParagraph = field(("导语", "正文"), "名单前的说明文字（默认按活动自动生成）")
    start: dt.date = field(("开始", "开始日期"), "公示开始日期，如 2024-03-28", default=...)
    end: dt.date | None = field(("结束", "结束日期"), "公示结束日期（与“工作日数”二选一）")
    working_days: int | None = field(
        ("工作日数", "公示工作日"), "公示持续的工作日数（与“结束”二选一）"
    )
    min_working_days: int = field("最少工作日", "规定的最少工作日数（默认 5）", default=5)
    start_counts: YesNo = field(
        "首日计入", "开始当天是否计入工作日（默认 是；写“否”则按民法典从次日起算）", default=True
    )
    columns: Annotated[list[Text], BeforeValidator(as_list)] = field(
        ("名单字段", "列"),
        "名单表格显示的字段（字段名或中文名），默认 序号、姓名、性别、推荐单位、单位及职务、类别",
        default=["seq", "name", "gender", "nominating_unit", "unit_position", "category"],
    )
    order: Literal["given", "unit"] = field(
        ("排序", "顺序"), "given：按序号；unit：按推荐单位再按姓名", default="given"
    )
    channels: Channels = field(("受理渠道", "异议受理"), "异议受理渠道", default=...)
    rules: Annotated[list[Paragraph], BeforeValidator(as_list)] = field(
        ("受理规则", "有关要求"), "异议受理的要求（不写则使用默认条款）", default=[]
    )
    issuers: Annotated[list[Text], BeforeValidator(as_list)] = field(
        ("发布单位", "落款"), "落款单位（可写多个）", default=...
    )
    issued: dt.date = field(("发布日期", "日期"), "落款日期", default=...)

    @model_validator(mode="after")
    def _check(self) -> Notice:
        if self.end is not None and self.working_days is not None:
            raise FieldError(
                "同时写了“结束”和“工作日数”", "两者只写一个：写结束日期，或写公示的工作日数", "end"
            )
        if self.end is None and self.working_days is None:
            raise FieldError("缺少公示结束日期", "请写“结束: 2024-04-03”或“工作日数: 5”", "end")
        if self.issuers == []:
            raise FieldError("缺少落款单位", "请写“发布单位: 示例市总工会”", "issuers")
        return self


class Submission(Strict):
    """Where and to whom units send their forms (published on purpose, like the 公示's)."""

    department: OptText = field(("报送部门", "部门"), "接收推荐材料的部门，如“市总工会宣教网络部”")
    contact: OptText = field("联系人", "联系人姓名（会公开显示）")
    phones: Annotated[list[Text], BeforeValidator(as_list)] = field(
        ("电话", "联系电话"), "联系电话（可写多个，会公开显示）", default=[]
    )
    email: OptText = field(("邮箱", "电子邮箱"), "接收电子版的邮箱")
    address: OptText = field(("地址", "报送地址"), "纸质材料的报送地址")

    @model_validator(mode="after")
    def _check(self) -> Submission:
        for phone in self.phones:
            if not PHONE.fullmatch(phone) and not PLACEHOLDER.match(phone):
                raise FieldError(
                    f"电话“{phone}”里有号码以外的文字", "只写号码，例如 0391-3999920", "phones"
                )
        if self.email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.email):
            raise FieldError(f"邮箱“{self.email}”格式不对", "例如 gonghui@example.org", "email")
        return self


class Call(Strict):
    """The call for nominations (征集): the notice, its deadline, where forms go."""

    title: OptText = field(("标题", "通知标题"), "通知标题（默认“关于开展…推荐工作的通知”）")
    doc_number: OptText = field(("文号", "发文字号"), "通知的文号，如“焦工文〔2024〕16号”")
    notice: Paragraph = field(
        ("通知", "正文"),
        "通知正文（可用 Markdown 分段、加小标题），或活动文件夹里一个 .md 文件的文件名",
        default=...,
    )
    deadline: dt.date = field(
        ("截止日期", "截止"), "推荐材料的截止日期，如 2024-03-26", default=...
    )
    submission: Submission = field(
        ("报送方式", "报送"), "报送部门、联系人、电话、邮箱、地址", default=Submission()
    )
    issuers: Annotated[list[Text], BeforeValidator(as_list)] = field(
        ("发布单位", "落款"), "落款单位（不写则用网站设置的主办单位）", default=[]
    )
    issued: dt.date | None = field(("发布日期", "日期"), "通知的落款日期")


class CampaignConfig(Strict):
    """content/<campaign>/campaign.yaml."""

    id: OptText = field(("编号", "id"), "活动编号（等于文件夹名，用于网址）")
    title: Text = field(
        ("活动名称", "标题"), "活动名称，如 示例市“最美新就业形态劳动者”", default=...
    )
    year: int = field(("年度", "年份"), "活动年度", default=...)
    summary: OptParagraph = field(("简介", "活动简介"), "活动简介，显示在活动首页顶部")
    published: dt.date | None = field(
        ("发布日期", "日期"), "发布日期，用于首页排序（默认取公示开始日期）"
    )
    categories: Annotated[list[Text], BeforeValidator(as_list)] = field(
        ("类别", "评选类别"), "评选类别，如 快递员、外卖配送员", default=...
    )
    units: Annotated[list[Unit], BeforeValidator(as_list)] = field(
        ("推荐单位", "推荐名额"), "推荐单位及名额（附件2）；不写则不限制推荐单位", default=[]
    )
    call: Call | None = field(("征集", "征集通知"), "征集推荐的通知、截止日期和报送方式")
    notice: Notice | None = field(("公示", "公示信息"), "公示设置")
    rules: Rules | None = field(
        "规则",
        "评选规则（推荐名额、每类人数、工作年限、工会会员、照片张数等），每条可设 错误 或 警告",
    )
    calendar: dict[int, YearCalendar] = field(
        ("日历", "节假日安排"),
        "chinesecalendar 尚未收录年份的放假与调休安排，如 2027: {放假: [...], 调休上班: [...]}",
        default={},
    )

    @model_validator(mode="after")
    def _check(self) -> CampaignConfig:
        if not self.categories:
            raise FieldError("没有设置评选类别", "请至少写一个类别", "categories")
        if len(set(self.categories)) != len(self.categories):
            raise FieldError("类别有重复", "每个类别只写一次", "categories")
        names = [u.name for u in self.units]
        if len(set(names)) != len(names):
            raise FieldError("推荐单位有重复", "每个推荐单位只写一次", "units")
        return self
