"""Files for the host rather than the reader: robots.txt, sitemap.xml, cache headers.

Hashed files (assets, images, posters, search data) never change under their name and
are cached for a year; pages are revalidated on every visit, because WeChat's
in-app browser caches hard and readers must see a correction at once.
"""

from __future__ import annotations

from ..model.config import SiteConfig

CACHE_FOREVER = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"


def robots_txt(config: SiteConfig) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {config.base_url}sitemap.xml\n"


def sitemap_xml(urls: list[str]) -> str:
    """The sitemap of the pages the plan lists in it (full URLs)."""
    body = "".join(f"  <url><loc>{u}</loc></url>\n" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    )


def headers_file(config: SiteConfig) -> str:
    """Netlify / Cloudflare Pages ``_headers``: two rules, whatever the size of the site.

    Both hosts apply every rule whose pattern matches and join the values of a header
    they set twice, so pages get no Cache-Control of ours (their default is to
    revalidate every time) and only assets/, where every file name carries a content
    hash (urls.py), is cached for good.
    """
    base = config.base_path
    return "\n".join(
        [
            "# 由 site_builder 生成，供 Netlify、Cloudflare Pages 等网站空间使用。",
            "# assets/ 下的文件名都带内容哈希、内容永不改变，长期缓存；页面使用这些平台默认的",
            "# “每次校验”，修改后读者立即看到新内容（微信内置浏览器缓存很顽固）。",
            f"{base}*",
            "  X-Content-Type-Options: nosniff",
            "  Referrer-Policy: strict-origin-when-cross-origin",
            f"{base}assets/*",
            f"  Cache-Control: {CACHE_FOREVER}",
            "",
        ]
    )


def nginx_snippet(config: SiteConfig) -> str:
    base = config.base_path
    return f"""# 由 site_builder 生成：放进 nginx 的 server {{ }} 中，root 指向 output/ 的上级目录，
# 使 output/ 的内容出现在 {base} 下。
location {base} {{
    # 文件名里带 10 位内容哈希的文件（样式、脚本、图片）内容永不改变：长期缓存
    location ~* "\\.[0-9a-f]{{10}}\\.[a-z0-9]+$" {{
        add_header Cache-Control "{CACHE_FOREVER}";
        add_header X-Content-Type-Options nosniff;
    }}
    # 页面每次向服务器校验，修改后读者立即看到新内容
    add_header Cache-Control "{NO_CACHE}";
    add_header X-Content-Type-Options nosniff;
    add_header Referrer-Policy strict-origin-when-cross-origin;
    index index.html;
    try_files $uri $uri/ =404;
    error_page 404 {base}404.html;
    gzip on;
    gzip_types text/css application/javascript application/json image/svg+xml application/xml;
}}
"""
