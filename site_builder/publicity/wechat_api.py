"""Drafts in the 公众号 through its official API, so the editor repairs nothing.

``site-builder wechat 活动编号 --draft`` (and the workbench's button) takes the campaign's
articles as ``wechat`` makes them and, for each: uploads its body images with
``media/uploadimg`` (the addresses WeChat returns replace ours, so the images show
before the site is live and are never 转存 by hand), uploads its cover as permanent
material (``material/add_material``, type image: the thumb type takes only a JPEG
under 64 KB), and creates one draft with ``draft/add`` — title within 32 characters,
digest within 128, body under 20,000, 阅读原文 the page's address, the author.
Nothing is ever published (``freepublish`` is not called): a person does that.

The token comes from ``cgi-bin/stable_token``. AppID and AppSecret come from
WECHAT_APPID / WECHAT_APPSECRET or the operating system's credential store (typed once
in the workbench). The API's base address is SITE_BUILDER_WECHAT_API, else site.yaml's
``公众号: 接口地址``, else https://api.weixin.qq.com: offices sit behind proxies, and
the tests run against a stand-in on 127.0.0.1. What is sent passes the publish gate
first, all of it before anything is sent. Every error is said in Chinese, with the
drafts already made, so nothing half-pushed goes unreported.
"""

from __future__ import annotations

import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from ..errors import DeployError, UsageError
from ..gate import Gate
from ..media.posters import text_cover
from .wechat import Article, ArticleImage

DEFAULT_API = "https://api.weixin.qq.com"
TITLE_MAX, DIGEST_MAX, AUTHOR_MAX, CONTENT_MAX = 32, 128, 16, 20_000
ACCOUNT = "wechat"  # under this the AppID and AppSecret are kept in the credential store
ERRORS = {
    40001: "AppSecret 不对，或 access_token 已失效：请在公众号后台“设置与开发 > 基本配置”核对 AppSecret 后重新填写",
    40125: "AppSecret 不对：请在公众号后台“设置与开发 > 基本配置”核对（或重置）AppSecret 后重新填写",
    40013: "AppID 不对：请在公众号后台“设置与开发 > 基本配置”核对开发者 ID（AppID）",
    40164: "这台电脑的公网 IP 不在公众号的 IP 白名单里：请在公众号后台“设置与开发 > 基本配置 > IP 白名单”加入本单位的公网 IP",
    42001: "access_token 已过期，请重试",
    45009: "今天调用这个接口的次数已用完（每日限额），请明天再试",
    45002: "正文太长（超过公众号的上限），请把详细事迹分成两篇",
    45003: "标题太长，请缩短",
    45004: "摘要太长，请缩短",
    40007: "素材 ID 无效：封面图上传没有成功，请重试",
    40009: "图片太大或格式不对：公众号只接受 10 MB 以内的 JPG、PNG",
    48001: "这个公众号没有草稿箱接口的权限：未认证的订阅号不能调用，请认证后再用，或用“复制正文”手工粘贴",
    -1: "微信服务器繁忙，请稍后重试",
}


class WechatError(DeployError):
    """An answer of the API, in Chinese; ``made`` are the drafts created before it."""

    def __init__(self, message: str, made: list[tuple[str, str]] | None = None) -> None:
        self.made = made or []
        if self.made:
            names = "、".join(title for title, _ in self.made)
            message += f"。已经建好的草稿：{names}（在公众号后台“草稿箱”里）；其余没有推送"
        super().__init__(message + "。")


def api_base(configured: str | None) -> str:
    return (os.environ.get("SITE_BUILDER_WECHAT_API") or configured or DEFAULT_API).rstrip("/")


def app_credentials() -> tuple[str, str]:
    """AppID and AppSecret: the environment first, then the credential store."""
    appid, secret = os.environ.get("WECHAT_APPID"), os.environ.get("WECHAT_APPSECRET")
    if appid and secret:
        return appid, secret
    from ..deploy.credentials import kept_named

    found = kept_named(ACCOUNT)
    if found:
        try:
            pair = json.loads(found)
            return str(pair["appid"]), str(pair["secret"])
        except (ValueError, KeyError, TypeError):
            pass
    raise UsageError(
        "还没有公众号的 AppID 和 AppSecret：请在工作台活动页的“推送到公众号草稿箱”里填写一次"
        "（保存在这台电脑的系统密码保管里），或设置环境变量 WECHAT_APPID 和 WECHAT_APPSECRET。"
    )


@dataclass
class Client:
    base: str
    appid: str
    secret: str
    token: str = ""
    calls: list[str] = field(default_factory=list)  # the endpoints called, in order

    def _call(self, path: str, query: dict[str, str], body: bytes, kind: str) -> dict[str, Any]:
        url = (
            f"{self.base}/{path}?{urllib.parse.urlencode(query)}"
            if query
            else f"{self.base}/{path}"
        )
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": kind}, method="POST"
        )
        self.calls.append(path)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                data = json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise WechatError(f"公众号接口回答了 HTTP {exc.code}（{path}）") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise WechatError(
                f"连不上公众号接口 {self.base}（{type(exc).__name__}）：请检查网络；单位用代理上网时，"
                "请在网站设置的“公众号 接口地址”或环境变量 SITE_BUILDER_WECHAT_API 里填写代理地址"
            ) from None
        if not isinstance(data, dict):
            raise WechatError(f"公众号接口的回答无法识别（{path}）")
        return data

    def _checked(self, data: dict[str, Any], path: str) -> dict[str, Any]:
        code = int(data.get("errcode") or 0)
        if code:
            said = ERRORS.get(code, f"公众号接口返回错误 {code}：{data.get('errmsg', '')}")
            raise WechatError(f"{said}（错误码 {code}，{path}）")
        return data

    def _retried(self, path: str, send: Any) -> dict[str, Any]:
        """``send(token)``'s answer; a token WeChat says has expired is fetched once more."""
        data = send(self.access_token())
        if int(data.get("errcode") or 0) in (40001, 42001):
            self.token = ""
            data = send(self.access_token())
        return self._checked(data, path)

    def _json(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        kind = "application/json; charset=utf-8"
        return self._retried(
            path, lambda token: self._call(path, {"access_token": token}, body, kind)
        )

    def _upload(
        self, path: str, query: dict[str, str], name: str, data: bytes, mime: str
    ) -> dict[str, Any]:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="{name}"\r\n'
                f"Content-Type: {mime}\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        kind = f"multipart/form-data; boundary={boundary}"
        return self._retried(
            path, lambda token: self._call(path, {"access_token": token, **query}, body, kind)
        )

    def access_token(self) -> str:
        if not self.token:
            payload = {"grant_type": "client_credential", "appid": self.appid,
                       "secret": self.secret, "force_refresh": False}  # fmt: skip
            body = json.dumps(payload).encode()
            path = "cgi-bin/stable_token"
            data = self._checked(self._call(path, {}, body, "application/json"), path)
            self.token = str(data.get("access_token", ""))
            if not self.token:
                raise WechatError("公众号接口没有给出 access_token")
        return self.token

    def body_image(self, image: ArticleImage) -> str:
        mime = "image/png" if image.file.endswith(".png") else "image/jpeg"
        url = self._upload("cgi-bin/media/uploadimg", {}, image.file, image.data, mime).get("url")
        if not url:
            raise WechatError(f"图片“{image.file}”上传后没有得到地址")
        return str(url)

    def cover(self, name: str, jpeg: bytes) -> str:
        data = self._upload(
            "cgi-bin/material/add_material", {"type": "image"}, name, jpeg, "image/jpeg"
        )
        media_id = data.get("media_id")
        if not media_id:
            raise WechatError("封面上传后没有得到素材 ID")
        return str(media_id)

    def draft(self, article: dict[str, Any]) -> str:
        data = self._json("cgi-bin/draft/add", {"articles": [article]})
        return str(data.get("media_id", ""))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def title_for(article: Article) -> str:
    """Within the API's 32 characters (a long tagline is cut, with “…”)."""
    return _cut(article.title, TITLE_MAX)


def as_jpeg(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        out = io.BytesIO()
        im.convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


@dataclass(frozen=True)
class Pushed:
    title: str
    media_id: str


def push_drafts(
    articles: list[Article], client: Client, gate: Gate, font: Path, organiser: str
) -> list[Pushed]:
    """One draft per article; raises WechatError (with the drafts made) on any refusal."""
    prepared = []
    for article in articles:
        title, digest = title_for(article), _cut(article.digest, DIGEST_MAX)
        if len(article.html) >= CONTENT_MAX:
            raise WechatError(
                f"《{title}》的正文有 {len(article.html)} 个字符，超过公众号的 {CONTENT_MAX} 个"
            )
        drawn = article.cover.data if article.cover else text_cover(
            article.title, organiser, str(font), (900, 383)
        )  # fmt: skip
        cover = as_jpeg(drawn)
        prepared.append((article, title, digest, cover))
    # Everything that leaves, through the gate first: no request is made if it refuses.
    sent: dict[str, bytes] = {}
    for article, title, digest, cover in prepared:
        meta = f"{title}\n{digest}\n{article.author}\n{article.link}"
        sent[f"{article.path}.draft.txt"] = meta.encode()
        sent[article.path] = article.html.encode()
        sent[f"{article.path}.cover.jpg"] = cover
        for image in article.images:
            sent[f"{article.path}.{image.file}"] = image.data
    gate.check(sent, Path("（公众号草稿）"))
    made: list[Pushed] = []
    try:
        for article, title, digest, cover in prepared:
            html = article.html
            for image in article.images:
                html = html.replace(f'src="{image.src}"', f'src="{client.body_image(image)}"')
            thumb = client.cover(f"cover-{article.folder or Path(article.name).stem}.jpg", cover)
            media_id = client.draft({
                "title": title, "author": _cut(article.author, AUTHOR_MAX), "digest": digest,
                "content": html, "content_source_url": article.link, "thumb_media_id": thumb,
                "need_open_comment": 0, "only_fans_can_comment": 0,
            })  # fmt: skip
            made.append(Pushed(title, media_id))
    except WechatError as exc:
        raise WechatError(
            str(exc).removesuffix("。"), [(p.title, p.media_id) for p in made]
        ) from None
    return made


def drafts_for(done: Any, articles: list[Article], options: Any) -> list[Pushed]:
    """The whole push for a rendering: the API's address, the credentials, the font."""
    from ..media.fonts import find_font

    config = done.site.config
    appid, secret = app_credentials()
    client = Client(api_base(config.wechat.api), appid, secret)
    font = find_font(config.poster_font, options.content)
    return push_drafts(articles, client, done.gate, font, config.organiser)
