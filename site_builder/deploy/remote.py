"""What every place a site is published to offers: one small interface.

``listing`` says what is there (path → hash, when known), ``upload`` puts one file
so that readers see the old file or the new one, never half of one, ``delete``
removes one, ``finish`` records what was published. Object storage compares by the
ETag (an MD5 for the single-part uploads made here); a server keeps a manifest of
SHA-256s beside the site (``.site-builder-deploy.json``), written last; a folder is
compared by its bytes. Published files are world-readable (0644, folders 0755).
"""

from __future__ import annotations

from ..errors import DeployError
from ..model.targets import AnyTarget
from .plan import LocalFile

MANIFEST = ".site-builder-deploy.json"
TEMP_SUFFIX = ".site-builder-part"


class Remote:
    """A kind of target: how to reach it, and what its library's errors mean."""

    compare_by = "sha256"

    def __init__(self, target: AnyTarget) -> None:
        self.target = target

    @staticmethod
    def address(target: AnyTarget) -> str:
        """Where the target is, for a message."""
        return target.prefix

    def listing(self) -> dict[str, str | None]:
        raise NotImplementedError

    def upload(self, file: LocalFile, data: bytes) -> None:
        raise NotImplementedError

    def delete(self, path: str) -> None:
        raise NotImplementedError

    def begin(self, known: dict[str, str]) -> None:
        """Before anything is sent: forget what this deploy will touch (servers keep a
        manifest; others read their state from the target itself)."""

    def prune(self, deleted: list[str]) -> None:
        """After the deletions: remove the folders they left empty (where there are any)."""

    def finish(self, published: dict[str, str]) -> None:
        """Record what is now published (servers keep a manifest; others need none)."""

    def reconnect(self) -> None:
        """After a dropped connection: connect again before the operation is retried."""

    def close(self) -> None:
        pass

    @staticmethod
    def explain(exc: BaseException, target: AnyTarget) -> DeployError | None:
        """A final error of this kind of target as a message; None when it is worth another
        attempt (a dropped connection). Raises what is not a deploy problem: our bug."""
        if isinstance(exc, (OSError, EOFError)):
            return None
        raise exc
