"""How long from saving a story to seeing it in the open browser (site-builder serve).

    python bench/serve_latency.py --runs 15
    python bench/serve_latency.py --runs 9 --workbench --content bench/archive-2000/content

Copies the demo content, starts the preview server, opens a profile in Debian's
Chromium at a phone viewport, then repeatedly appends a sentence to the story file and
measures the time until the reloaded page's DOM holds it (file write → watcher →
incremental rebuild → Server-Sent Event → reload → DOMContentLoaded). Prints the median and the worst.
With ``--workbench`` the sentence is typed into the workbench's record form in a second
tab and 保存 clicked (the time counts from the click: the save, the file written, the
rest as above); ``--content`` copies another content folder (an archive).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from site_builder.dev.serve import start  # noqa: E402
from site_builder.pipeline import BuildOptions  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="测量保存事迹到浏览器显示的时间")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--content", type=Path, default=ROOT / "content", help="content to copy (an archive)"
    )
    parser.add_argument(
        "--workbench",
        action="store_true",
        help="save through the workbench's record form instead of writing the file",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sb-serve-"))
    content = work / "content"
    shutil.copytree(args.content, content)
    server = start(BuildOptions(content=content, cache=work / "cache"), port=0, log=lambda _: None)
    server.wait_ready()
    story = sorted(content.glob("*/honorees/*/index.md"))[0]
    campaign, slug = story.parent.parent.parent.name, story.parent.name
    original = story.read_text("utf-8")
    times: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(**PHONE).new_page()  # type: ignore[arg-type]
        page.goto(server.url + f"{campaign}/{slug}/")
        form = browser.new_page() if args.workbench else None
        for run in range(args.runs):
            marker = f"第{run}次保存的新内容"
            if form is not None:
                form.goto(server.admin_url + f"{campaign}/{slug}/")
                box = form.locator("#story")
                box.fill(box.input_value() + f"\n\n{marker}\n")
            time.sleep(0.3)
            # The reload's DOMContentLoaded is when the new text is in the page; waiting for
            # the text with Playwright's own polling would add up to its polling interval.
            with page.expect_event("domcontentloaded", timeout=20_000):
                started = time.perf_counter()
                if form is not None:  # 保存: the workbench writes the file, the preview sees it
                    form.get_by_role("button", name="保存", exact=True).click()
                else:
                    story.write_text(original + f"\n{marker}\n", "utf-8")
            times.append(time.perf_counter() - started)
            assert page.get_by_text(marker).is_visible(), marker
        browser.close()
    server.shutdown()
    shutil.rmtree(work, ignore_errors=True)
    how = "工作台保存" if args.workbench else "保存文件"
    print(
        f"{args.runs} 次{how}：中位数 {statistics.median(times) * 1000:.0f} ms，"
        f"最慢 {max(times) * 1000:.0f} ms，最快 {min(times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
