"""What the preview server itself says: the error overlay, the page shown while the first
rendering is under way, and the scripts it adds to pages (reload on change; on each
profile, 复制公众号版). None of this is ever in the published site."""

from __future__ import annotations

import html

from ..errors import Problem

RELOAD_PATH = "__site_builder/"
WECHAT_PATH = RELOAD_PATH + "wechat/"
# On each profile in the preview (never in the published site): copy the 公众号 version as
# rich text, for pasting straight into the 公众号 editor.
COPY_JS = """(function () {
  var me = document.currentScript, h1 = document.querySelector("h1");
  if (!h1) return;
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "复制公众号版";
  button.setAttribute("data-copy-wechat", "");
  button.style.cssText = "margin:8px 0;padding:8px 14px;font:inherit;border:1px solid #a61b1b;color:#a61b1b;background:#fff;border-radius:6px";
  var note = document.createElement("span");
  note.setAttribute("role", "status");
  note.style.cssText = "margin-left:8px;color:#595959";
  h1.after(button, note);
  button.addEventListener("click", function () {
    fetch(me.dataset.article).then(function (r) { return r.text(); }).then(function (html) {
      var done = function () { note.textContent = "已复制，可粘贴到公众号编辑器的正文里"; };
      if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
        var item = new ClipboardItem({"text/html": new Blob([html], {type: "text/html"})});
        return navigator.clipboard.write([item]).then(done);
      }
      var box = document.createElement("div");
      box.contentEditable = "true";
      box.innerHTML = html;
      document.body.appendChild(box);
      var range = document.createRange();
      range.selectNodeContents(box);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      document.execCommand("copy");
      box.remove();
      done();
    }).catch(function () { note.textContent = "复制失败，请用 site-builder wechat 生成文章"; });
  });
})();
"""
RELOAD_JS = """(function () {
  var source = new EventSource(document.currentScript.dataset.events);
  var seen = null;
  source.onmessage = function (e) { if (seen !== null && e.data !== seen) location.reload(); seen = e.data; };
})();
"""


def overlay(
    problems: list[Problem], script: str, detail: str = "", count: int | None = None
) -> bytes:
    """The page shown instead of the site while the content has problems; ``count`` with no
    ``problems`` listed: how many there are, to be read on the computer (--lan)."""
    count = len(problems) if count is None else count
    where = (
        "<p>请按提示修改并保存，本页会自动刷新。</p>"
        if problems or not count
        else "<p>请在电脑上打开预览或工作台查看错误说明（手机上不显示，以免泄露不公开的信息）。</p>"
    )
    items = "".join(
        f"<li><code>{html.escape(p.path)}{':' + str(p.line) if p.line else ''}</code> "
        f"<strong>{html.escape(p.field)}</strong> — {html.escape(p.message)}"
        f"{' — ' + html.escape(p.fix) if p.fix else ''}</li>"
        for p in problems
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>内容有错误 — site-builder 预览</title>"
        "<style>body{font:16px/1.7 system-ui,sans-serif;margin:0;background:#fff5f5;color:#1d1d1f}"
        "main{max-width:760px;margin:0 auto;padding:24px 16px}h1{color:#a61b1b;font-size:1.4rem}"
        "li{margin:10px 0;padding:10px;background:#fff;border-left:4px solid #a61b1b}code{font-size:.9em}</style>"
        f"</head><body><main data-site-builder-errors><h1>内容有 {count} 个错误，页面暂时无法更新</h1>"
        f"{where}<ol>{items}</ol>"
        f"{'<pre>' + html.escape(detail) + '</pre>' if detail else ''}</main>{script}</body></html>"
    ).encode()


def preparing(progress: tuple[int, int], script: str) -> bytes:
    """What the preview answers at once while the first rendering is under way."""
    done, total = progress
    step = f"正在处理照片（{done}/{total}）" if total else "正在读取内容"
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="refresh" content="2"><title>正在准备预览 — site-builder</title>'
        "<style>body{font:17px/1.7 system-ui,sans-serif;margin:0;color:#1d1d1f}"
        "main{max-width:640px;margin:0 auto;padding:40px 16px}h1{color:#a61b1b;font-size:1.4rem}"
        "progress{width:100%;height:14px}</style></head><body><main data-site-builder-preparing>"
        "<h1>正在准备预览……</h1><p>第一次打开时要处理全部照片，可能需要几十秒；完成后本页自动显示网站。</p>"
        f'<p role="status">{step}</p>'
        f'<progress max="{max(total, 1)}" value="{done}">{step}</progress>'
        f"</main>{script}</body></html>"
    ).encode()
