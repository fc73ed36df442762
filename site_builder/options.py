"""Build options: a light module, so the command line can decide there is nothing to do
before importing Pillow, pydantic and Jinja."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_MAX_PIXELS = 60_000_000  # a 50-MP phone photo fits, a decompression bomb does not


@dataclass(frozen=True)
class Since:
    """What the command line learns deciding whether there is anything to do, handed on
    to the build so it does not walk content/ and output/ again."""

    last: dict[str, Any] | None  # the last build's record; None: unknown, or output/ changed
    files: dict[str, tuple[int, int]]  # content/ now: relative path → (size, mtime)
    settings: str  # fingerprint.settings_digest of themes, package and options
    inputs: str  # fingerprint.inputs of the two
    # output/'s files as walked to recognise it (relative paths); empty if not walked
    present: frozenset[str] = frozenset()


@dataclass
class BuildOptions:
    content: Path = Path("content")
    output: Path = Path("output")
    cache: Path | None = None  # default: .site-builder-cache/<content name> beside content/
    themes: Path | None = None  # default: themes/ beside content/, then the built-in themes
    max_pixels: int = DEFAULT_MAX_PIXELS
    precompress: bool = False  # write name.gz beside text files for hosts that serve them
    zip: Path | None = None  # also write output/ as this archive
    force: bool = False  # rebuild even when nothing changed since the last build
    display_root: Path | None = None  # paths in messages are shown relative to this

    @property
    def cache_dir(self) -> Path:
        if self.cache is not None:
            return self.cache
        return self.content.resolve().parent / ".site-builder-cache" / self.content.resolve().name

    @property
    def themes_dir(self) -> Path:
        return self.themes or self.content.resolve().parent / "themes"

    def since_last_build(self) -> Since:
        """The last build into ``output`` as remembered, and the inputs as they are now."""
        from .write import fingerprint

        last, present = (
            (None, frozenset()) if self.force else fingerprint.recall(self.cache_dir, self.output)
        )
        files = fingerprint.walk(self.content)
        settings = self.settings()
        return Since(last, files, settings, fingerprint.inputs(settings, files), present)

    def up_to_date(self, since: Since | None = None) -> bool:
        """Whether the last build into ``output`` was made from exactly these inputs, and
        output/ and the archive are still as it left them: then there is nothing to do."""
        if self.force or (self.zip is not None and not self.zip.is_file()):
            return False
        since = since or self.since_last_build()
        return since.last is not None and since.last.get("inputs") == since.inputs

    def settings(self) -> str:
        """What every page depends on besides the content: themes, the package, these
        options (see fingerprint.py)."""
        from .version import __version__
        from .write import fingerprint

        options = {
            "version": __version__,
            "output": str(self.output.resolve()),
            "zip": str(self.zip),
            "precompress": str(self.precompress),
            "max_pixels": str(self.max_pixels),
        }
        return fingerprint.settings_digest(self.themes_dir, options)
