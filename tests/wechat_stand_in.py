"""A stand-in for the 公众号 API on 127.0.0.1, for the tests of ``wechat --draft``.

It implements the four endpoints the push uses as WeChat documents them — their
requests (JSON or a multipart ``media`` field, ``access_token`` in the query) and
their answers, errors included (``errcode``/``errmsg``) — and keeps every request
so a test can read what was sent. It is not WeChat: it checks what its documentation
says, and can be told to answer the way WeChat does when things go wrong.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

APPID, SECRET = "wx0123456789abcdef", "0123456789abcdef0123456789abcdef"


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    body: bytes


@dataclass
class StandIn:
    port: int = 0
    requests: list[Seen] = field(default_factory=list)
    drafts: list[dict[str, Any]] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)  # url → bytes (uploadimg)
    materials: dict[str, bytes] = field(default_factory=dict)  # media_id → bytes
    tokens: list[str] = field(default_factory=list)  # valid now
    issued: int = 0  # tokens given out, in all
    block_ip: bool = False  # answer 40164 (IP not in the whitelist) to stable_token
    expire_once: bool = False  # answer 42001 to the first draft/add
    fail_draft: int = 0  # answer 45009 (daily quota) to the n-th draft/add

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, path: str, query: dict[str, str], body: bytes, kind: str) -> dict[str, Any]:
        self.requests.append(Seen(path, query, body))
        if path == "/cgi-bin/stable_token":
            data = json.loads(body)
            if self.block_ip:
                return {"errcode": 40164, "errmsg": "invalid ip 203.0.113.7, not in whitelist"}
            if data.get("grant_type") != "client_credential" or data.get("appid") != APPID:
                return {"errcode": 40013, "errmsg": "invalid appid"}
            if data.get("secret") != SECRET:
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            self.issued += 1
            self.tokens.append(f"TOKEN-{self.issued}")
            return {"access_token": self.tokens[-1], "expires_in": 7200}
        if query.get("access_token") not in self.tokens:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        if path == "/cgi-bin/media/uploadimg":
            name, data = _media(body, kind)
            if not re.search(r"\.(jpe?g|png)$", name) or len(data) > 1_000_000:
                return {"errcode": 40005, "errmsg": "invalid file type"}
            url = f"http://mmbiz.qpic.cn/mmbiz_jpg/stand-in-{len(self.images) + 1}/0"
            self.images[url] = data
            return {"url": url}
        if path == "/cgi-bin/material/add_material":
            name, data = _media(body, kind)
            if query.get("type") not in ("image", "thumb") or not data:
                return {"errcode": 40004, "errmsg": "invalid media type"}
            media_id = f"MATERIAL-{len(self.materials) + 1}"
            self.materials[media_id] = data
            return {"media_id": media_id, "url": f"http://mmbiz.qpic.cn/{media_id}/0"}
        if path == "/cgi-bin/draft/add":
            if self.expire_once:
                self.expire_once = False
                self.tokens.clear()
                return {"errcode": 42001, "errmsg": "access_token expired"}
            if self.fail_draft and len(self.drafts) + 1 == self.fail_draft:
                return {"errcode": 45009, "errmsg": "reach max api daily quota limit"}
            (article,) = json.loads(body)["articles"]
            if len(article["title"]) > 32:
                return {"errcode": 45003, "errmsg": "title size out of limit"}
            if len(article.get("digest", "")) > 128:
                return {"errcode": 45004, "errmsg": "description size out of limit"}
            if len(article["content"]) >= 20_000:
                return {"errcode": 45002, "errmsg": "content size out of limit"}
            if article["thumb_media_id"] not in self.materials:
                return {"errcode": 40007, "errmsg": "invalid media_id"}
            self.drafts.append(article)
            return {"media_id": f"DRAFT-{len(self.drafts)}"}
        return {"errcode": 40066, "errmsg": "invalid url"}


def _media(body: bytes, kind: str) -> tuple[str, bytes]:
    """The ``media`` part of a multipart body: its file name and bytes."""
    boundary = kind.split("boundary=", 1)[1].encode()
    for part in body.split(b"--" + boundary):
        head, _, data = part.partition(b"\r\n\r\n")
        if b'name="media"' in head:
            name = re.search(rb'filename="([^"]*)"', head)
            return (name.group(1).decode() if name else ""), data.removesuffix(b"\r\n")
    return "", b""


def serve(stand_in: StandIn) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            answer = stand_in.answer(url.path, query, body, self.headers.get("Content-Type", ""))
            data = json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.port = int(httpd.server_address[1])
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd
