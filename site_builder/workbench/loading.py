"""The site as each workbench request reads it, its records kept in memory between requests.

Every page and every save reads the whole site (the dashboard counts, the rules, the
problems of each record). Read from the files each time, an archive of 2,000 records
took seconds a request, twice a save (the save, then the page it leads to), while the
preview rebuilt beside it. The records come from a record cache instead, as the build's
do: a record is parsed again only when its file changed (path, size and modification
time), so what a request sees is always what is on disk. The cache is kept on disk too
(its own folder, messages being worded relative to content/): the first request after
the workbench starts again unpickles the records instead of parsing 2,000 (4.3 s).
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..errors import Problems
from ..load.cache import RecordCache
from ..load.content import load_site
from ..model.source import Site

SAVE_FROM = 64  # records read from their files since the cache was last written


class SiteLoader:
    def __init__(self, content: Path, cache_dir: Path) -> None:
        self.content = content
        self.display_root = content.resolve()
        self.records = RecordCache(cache_dir / "workbench", self.display_root)
        self.lock = threading.Lock()  # pages are served on several threads
        self.saved_at = 0  # ``records.readings`` when the cache was last written
        self.first = True

    def load(self) -> tuple[Site | None, Problems]:
        problems = Problems(display_root=self.display_root)
        with self.lock:
            self.records.begin()
            # The first request reads every record, on every core (an archive's 2,000 in
            # half the time); later ones find them all cached and fork nothing.
            self.records.prefetch(self.content)
            site = load_site(self.content, problems, self.records.load_honoree)
            fresh = self.records.readings - self.saved_at
            first, self.first = self.first, False
            if fresh and (first or fresh >= SAVE_FROM):
                # What the first request read, or many records read since (a folder of
                # records copied in): kept on disk for the next start. Not after each
                # 保存: writing its campaign's records again would be on the way to the
                # preview's rebuild.
                self.records.save()
                self.saved_at = self.records.readings
            else:
                self.records.forget_unused()
        return site, problems
