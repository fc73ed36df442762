"""site_builder: static microsites for trade-union honour campaigns (最美劳动者).

Public surface: ``build``, ``check``, ``BuildOptions`` and the errors in ``errors``.
"""

from __future__ import annotations

__version__ = "0.1.0"
