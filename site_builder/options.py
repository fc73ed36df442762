"""Build options: a light module, so the command line can decide there is nothing to do
before importing Pillow, pydantic and Jinja."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_PIXELS = 60_000_000  # a 50-MP phone photo fits, a decompression bomb does not


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

    def up_to_date(self, last: dict[str, object] | None = None, inputs: str = "") -> bool:
        """Whether the last build into ``output`` (``last``, recalled here if not given) was
        made from exactly these inputs (``inputs``, computed here if not given), and output/
        and the archive are still as it left them: then there is nothing to do."""
        from .write import fingerprint

        if self.force or (self.zip is not None and not self.zip.is_file()):
            return False
        if last is None:
            last = fingerprint.recall(self.cache_dir, self.output)
        if last is None:
            return False
        if not inputs:
            inputs = fingerprint.inputs(self.settings(), fingerprint.walk(self.content))
        return last.get("inputs") == inputs

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
