"""The publish gate: every byte that leaves the tool passes through here.

The build's staged output/, every response of the preview, the 公众号 folder (and what
is sent to the 公众号), the printed 公示 and every file ``deploy`` sends are given to
``Gate.check`` (or, for the build, which scans while it stages, ``Gate.scan``). It
reads each text file as a reader would and looks for the site's private values
(checks/privacy.py's detector): ID numbers, phones, addresses, contact persons, and
any other private field's value. What would publish one is refused with the file, the
kind of value (masked) and the record it came from; nothing is written or sent.

No other module scans output: a test fails if one imports the scan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .checks.privacy import (
    Detector,
    Finding,
    Scan,
    is_scanned,
    privacy_detector,
    scan_workers,
    trace,
)
from .checks.reading import without_hashed_refs
from .errors import Problems, UsageError
from .load.cache import RecordCache
from .load.content import load_site
from .model.source import Site
from .options import BuildOptions

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


class Gate:
    """The privacy scan of what is about to leave, for one site and its detector."""

    def __init__(self, site: Site | None, detector: Detector, problems: Problems) -> None:
        self.site, self.detector, self.problems = site, detector, problems

    def check(self, files: Mapping[str, bytes], where: Path) -> None:
        """Raise ContentError naming every private value ``files`` would publish; ``where``
        is where they are going (output/, 公众号, the deploy target), for the message."""
        self.scan(files, where).passed()

    def scan(
        self, files: Mapping[str, bytes], where: Path, workers: ProcessPoolExecutor | None = None
    ) -> GateScan:
        """``check`` under way: a large set is scanned on every core while the caller goes
        on; ``passed`` waits and raises like ``check``. ``workers``: from ``workers``."""
        named = {**files, NAMES: names_text(files)}
        return GateScan(self, Scan(named, self.detector, workers), where)

    @staticmethod
    def reads(name: str) -> bool:
        """Whether ``check`` reads a file of this name (text files; not images)."""
        return is_scanned(name)

    @staticmethod
    def workers(content_files: int) -> ProcessPoolExecutor | None:
        """Scan workers started early, where they are not forked (``scan_workers``)."""
        return scan_workers(content_files)

    def _refuse(self, hits: list[tuple[str, Finding]], where: Path) -> None:
        for path, finding in hits:
            origin = finding.source or (trace(self.site, finding.value) if self.site else "")
            source = f"（来自 {origin}）" if origin else ""
            self.problems.add(
                where / path,
                None,
                "隐私检查",
                f"生成的文件里出现了{finding.kind}“{finding.masked}”{source}",
                "已停止，没有写出或发送任何文件；请检查模板和内容，删除这些信息",
            )
        self.problems.raise_if_errors()


# The names of what leaves are read too (a slug or a campaign folder named with a phone),
# with letters read as separators: a number glued to a pinyin name is a number in a name.
NAMES = "（文件和文件夹的名字）.txt"
_LETTER_RUNS = re.compile(r"[A-Za-z]+")


def names_text(files: Mapping[str, bytes]) -> bytes:
    lines = (_LETTER_RUNS.sub(" ", without_hashed_refs(name)) for name in sorted(files))
    return "\n".join(lines).encode()


class GateScan:
    def __init__(self, gate: Gate, scan: Scan, where: Path) -> None:
        self.gate, self._scan, self.where = gate, scan, where

    def passed(self) -> None:
        """Wait for the scan; raise ContentError (with the caller's other problems) if it
        found anything."""
        hits = self._scan.result()
        if hits:
            self.gate._refuse(hits, self.where)

    def cancel(self) -> None:
        self._scan.cancel()


def gate_for(options: BuildOptions) -> Gate:
    """The gate for files built earlier (what ``deploy`` sends): the site is read again for
    its private values as they are now."""
    problems = Problems(display_root=options.display_root or Path.cwd())
    records = RecordCache(options.cache_dir, problems.display_root)
    site = load_site(options.content, problems, records.load_honoree)
    records.save()
    if site is None:
        problems.raise_if_errors()
        raise UsageError("无法读取 site.yaml。")
    # Problems of the content itself are the build's to report; only leaks stop here.
    return Gate(site, privacy_detector(site), Problems(problems.display_root))
