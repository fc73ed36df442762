"""The 公众号 folder's own page: every article with buttons that copy it exactly.

Opening an article's .html and pressing Ctrl+A, Ctrl+C does not copy the article: the
browser drops the wrapping <section> (and with it the only line-height) and adds its
own fonts and defaults to every block. So the folder carries index.html, where 复制正文
puts the article's HTML itself on the clipboard (the copy event's own data, which works
when the page is opened from disk; the async clipboard API where that is refused).
Titles, digests and 阅读原文 have their buttons too. No request leaves the page.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

INDEX = "index.html"


@dataclass(frozen=True)
class Entry:
    path: str  # the article's file in the folder
    title: str
    digest: str
    link: str
    html: str


SCRIPT = """(function () {
  function copy(html, text) {
    var done = false;
    function onCopy(event) {
      if (html) event.clipboardData.setData("text/html", html);
      event.clipboardData.setData("text/plain", text);
      event.preventDefault();
      done = true;
    }
    document.addEventListener("copy", onCopy);
    try { document.execCommand("copy"); } finally { document.removeEventListener("copy", onCopy); }
    if (done) return Promise.resolve();
    if (!(window.ClipboardItem && navigator.clipboard)) return Promise.reject();
    var parts = {"text/plain": new Blob([text], {type: "text/plain"})};
    if (html) parts["text/html"] = new Blob([html], {type: "text/html"});
    return navigator.clipboard.write([new ClipboardItem(parts)]);
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var article = button.closest("article"), note = article.querySelector("[role=status]");
      var kind = button.dataset.copy, html = "", text = article.dataset[kind] || "";
      if (kind === "body") {
        html = JSON.parse(article.querySelector("script").textContent);
        var box = document.createElement("div");
        box.innerHTML = html;
        text = box.textContent;
      }
      copy(html, text).then(function () {
        note.textContent = "已复制" + button.textContent.replace("复制", "") + "，到公众号编辑器里粘贴（Ctrl+V）";
      }, function () { note.textContent = "这个浏览器不允许复制，请换用 Chrome、Edge 或 360 浏览器打开本页"; });
    });
  });
})();"""

STYLE = """body{font:16px/1.6 system-ui,-apple-system,"Microsoft YaHei",sans-serif;margin:0 auto;
max-width:860px;padding:16px;color:#1d1d1f;background:#f7f5f2}h1{font-size:1.4rem}
article{background:#fff;border:1px solid #d9d1c7;border-radius:6px;padding:10px 16px;margin:0 0 14px}
h2{font-size:1.1rem;margin:6px 0}button{font:inherit;padding:8px 14px;margin:4px 6px 4px 0;
border-radius:6px;border:1px solid #a61b1b;background:#a61b1b;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#a61b1b}[role=status]{color:#1d6b2f}.digest{color:#595959}"""


def index_page(entries: list[Entry], heading: str) -> str:
    blocks = []
    for entry in entries:
        data = json.dumps(entry.html, ensure_ascii=False).replace("</", "<\\/")
        attrs = " ".join(
            f'data-{k}="{html.escape(v, quote=True)}"'
            for k, v in (("title", entry.title), ("digest", entry.digest), ("link", entry.link))
        )
        blocks.append(
            f"<article {attrs}>\n<h2>{html.escape(entry.title)}</h2>\n"
            f'<p class="digest">{html.escape(entry.digest)}</p>\n'
            f"<p>阅读原文：{html.escape(entry.link)}</p>\n"
            '<p><button type="button" data-copy="body">复制正文</button>'
            '<button type="button" class="secondary" data-copy="title">复制标题</button>'
            '<button type="button" class="secondary" data-copy="digest">复制摘要</button>'
            '<button type="button" class="secondary" data-copy="link">复制原文链接</button>'
            f' <a href="{html.escape(entry.path, quote=True)}">预览</a></p>\n'
            '<p role="status"></p>\n'
            f'<script type="application/json">{data}</script>\n</article>'
        )
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(heading)} — 公众号文章</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(heading)}：公众号文章</h1>\n"
        "<p>每篇文章点“复制正文”，再到公众号编辑器的正文里粘贴（Ctrl+V）；标题、摘要和“阅读原文”"
        "网址也各有复制按钮。文中图片来自已发布的网站，请先发布网站。</p>\n"
        + "\n".join(blocks)
        + f"\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
