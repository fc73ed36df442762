"""What making files costs on this machine right now: the figure every cold build's
time depends on (a site of N honourees makes ~3N files and folders, Pelican ~N).

    python bench/fs_probe.py [--n 2000] [--dir /tmp]

Makes N folders, a 20 KB file in each, a 2 KB file in each, then N hard links, in a
new folder under --dir, and prints the milliseconds each took on average, wall and
processor (user + system) time; then removes it all. Run it beside the benchmarks:
on the machine of bench/README.md it gave 0.07, 0.32 and 1.0 ms a file within one
hour: its ext4 has no journal, and then the inode allocator steps past every inode
freed shortly before (the benchmarks' own removals), see bench/README.md §4, sixth
sitting.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable


def main() -> None:
    parser = argparse.ArgumentParser(description="测量本机新建文件夹和文件的开销")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    args = parser.parse_args()
    root = tempfile.mkdtemp(dir=args.dir)
    n = args.n

    def timed(label: str, make: Callable[[int], None]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            make(i)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{label:<12} {wall / n * 1000:6.3f} ms wall, {cpu / n * 1000:6.3f} ms cpu each")

    def write(path: str, size: int) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, b"x" * size)
        os.close(fd)

    try:
        timed("mkdir", lambda i: os.mkdir(f"{root}/d{i}"))
        timed("file 20 KB", lambda i: write(f"{root}/d{i}/index.html", 20_000))
        timed("file 2 KB", lambda i: write(f"{root}/d{i}/qr.png", 2_000))
        timed("hard link", lambda i: os.link(f"{root}/d{i}/qr.png", f"{root}/d{i}/link.png"))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
