"""``python -m site_builder``: the same command as ``site-builder``, on every platform."""

import sys

from .cli import main

sys.exit(main())
