"""``python -m site_builder``: the same command as ``site-builder``, on every platform."""

from .cli import run

run()
