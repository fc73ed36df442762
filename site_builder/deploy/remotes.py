"""The kinds of target, each its own backend with its own configuration model
(``model/targets.py``): ``remote_kind`` chooses one, ``open_remote`` connects.
"""

from __future__ import annotations

from ..model.targets import AnyTarget
from .folder import FolderRemote
from .remote import Remote
from .s3 import S3Remote
from .servers import FtpRemote, SftpRemote

KINDS: dict[str, type[Remote]] = {
    "s3": S3Remote,
    "sftp": SftpRemote,
    "ftp": FtpRemote,
    "ftps": FtpRemote,
    "folder": FolderRemote,
}


def remote_kind(target: AnyTarget) -> type[Remote]:
    """The backend of a target: it connects, and translates its library's errors."""
    return KINDS[target.kind]


def open_remote(target: AnyTarget) -> Remote:
    return remote_kind(target)(target)
