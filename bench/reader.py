"""The reader's view, measured: Lighthouse scores and 375-px screenshots of every page type.

    (cd bench && npm ci)                 # lighthouse, from bench/package-lock.json
    python bench/reader.py               # scores + screenshots into bench/screenshots/

Builds the demo for a sub-path, serves it with Debian's nginx using the generated
snippet (gzip on, cache headers as deployed), then runs Lighthouse (mobile, simulated
throttling) with Debian's Chromium on home, campaign, profile, notice (公示) and
tongzhi (the call, 征集通知), and saves phone screenshots of those pages and the 404
page, and 1280-px ones of home and campaign. ``--runs N`` scores each page N times and
prints the median of each category (Lighthouse's own advice for a noisy machine).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.pipeline import BuildOptions, build  # noqa: E402

SUBPATH = "/zuimei/2024/"
PAGES = {
    "home": "",
    "campaign": "2024-shili-xinjiuye/",
    "profile": "2024-shili-xinjiuye/chen-lixin/",
    "notice": "2024-shili-xinjiuye/notice/",
    "tongzhi": "2024-shili-xinjiuye/tongzhi/",
    "404": "no-such-page/",
}
SCORED = ("home", "campaign", "profile", "notice", "tongzhi")
WIDE = ("home", "campaign")  # also at 1280 px
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-quic --disable-sync"
)


def serve(work: Path) -> tuple[subprocess.Popen[bytes], str]:
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    site = (content / "site.yaml").read_text("utf-8")
    (content / "site.yaml").write_text(site.replace("/zuimei/", SUBPATH), "utf-8")
    output = work / "www" / SUBPATH.strip("/")
    build(BuildOptions(content=content, output=output, cache=work / "cache"))
    with socket.socket() as sock:  # a free loopback port
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (work / "tmp").mkdir()
    conf = work / "nginx.conf"
    conf.write_text(f"""user root; worker_processes 1; daemon off; pid {work}/nginx.pid; error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path {work}/tmp;
  proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp; uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  server {{ listen 127.0.0.1:{port}; root {work / "www"}; include {output}/nginx-site-builder.conf; }} }}
""")
    proc = subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(work)]
    )
    return proc, f"http://127.0.0.1:{port}{SUBPATH}"


def lighthouse(url: str, out: Path) -> dict[str, int]:
    cli = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
    subprocess.run(
        [
            str(cli),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--form-factor=mobile",
            "--only-categories=performance,accessibility,best-practices,seo",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
    )
    report = json.loads(out.read_text())
    return {k: round(v["score"] * 100) for k, v in report["categories"].items()}


def screenshots(url: str, folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE

    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(**PHONE).new_page()  # type: ignore[arg-type]
        for name, path in PAGES.items():
            page.goto(url + path, wait_until="networkidle")
            page.screenshot(path=str(folder / f"{name}-375.png"), full_page=True)
        wide = browser.new_context(**DESKTOP).new_page()  # type: ignore[arg-type]
        for name in WIDE:
            wide.goto(url + PAGES[name], wait_until="networkidle")
            wide.screenshot(path=str(folder / f"{name}-1280.png"), full_page=True)
        browser.close()


def main() -> None:
    import argparse
    import statistics

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="sb-reader-"))
    reports = ROOT / "bench" / "results" / "lighthouse"  # kept, to read what cost points
    reports.mkdir(parents=True, exist_ok=True)
    proc, url = serve(work)
    try:
        screenshots(url, ROOT / "bench" / "screenshots")
        print("截图已保存到 bench/screenshots/")
        print(f"| page | performance | accessibility | best practices | SEO |  (median of {runs})")
        print("|---|---|---|---|---|")
        for name in SCORED:
            scores = [
                lighthouse(url + PAGES[name], reports / f"{name}-{i}.json") for i in range(runs)
            ]
            median = {k: round(statistics.median(s[k] for s in scores)) for k in scores[0]}
            print(
                f"| {name} | {median['performance']} | {median['accessibility']} | "
                f"{median['best-practices']} | {median['seo']} |",
                flush=True,
            )
    finally:
        proc.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
