"""Servers reached by SFTP (paramiko) or FTP/FTPS (ftplib): a root folder, a manifest of
hashes, uploads to a temporary name renamed into place; and what their errors mean."""

from __future__ import annotations

import contextlib
import ftplib
import io
import json
import posixpath
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DeployError
from ..model.targets import AnyTarget, ServerTarget
from ..write.swap import checkpoint
from .credentials import server_password
from .plan import LocalFile
from .remote import MANIFEST, TEMP_SUFFIX, Remote


class _ServerRemote(Remote):
    """What SFTP and FTP share: a root folder, a manifest of hashes, temp-then-rename uploads."""

    target: ServerTarget

    @staticmethod
    def address(target: AnyTarget) -> str:
        assert isinstance(target, ServerTarget)
        return f"{target.host}:{target.port}" if target.port else target.host

    def __init__(self, target: AnyTarget) -> None:
        assert isinstance(target, ServerTarget)
        super().__init__(target)
        self.leftovers: list[str] = []
        self.root = "/" + target.prefix.strip("/") if target.prefix.strip("/") else "."
        self.made: set[str] = set()
        self.reconnect()

    def full(self, path: str) -> str:
        return posixpath.join(self.root, path)

    @property
    def manifest(self) -> str:
        """Where the manifest is kept: beside the published folder, so a reader cannot
        download it (only when the folder is the account's root is it inside)."""
        if self.root in (".", "/"):
            return self.full(MANIFEST)
        parent, name = posixpath.split(self.root.rstrip("/"))
        return posixpath.join(parent or "/", f"{MANIFEST.removesuffix('.json')}.{name}.json")

    def listing(self) -> dict[str, str | None]:
        manifest: dict[str, str] = {}
        for where in (self.manifest, self.full(MANIFEST)):  # the old place, inside, too
            try:
                loaded = json.loads(self.read(where))
            except (OSError, ValueError, ftplib.Error):
                continue
            manifest = loaded if isinstance(loaded, dict) else {}
            break
        self.leftovers = []
        found: dict[str, str | None] = {}
        for path in self.walk():
            if path.endswith(TEMP_SUFFIX):
                self.leftovers.append(path)  # an upload a kill interrupted
            elif path != MANIFEST:
                found[path] = manifest.get(path)
        return found

    def begin(self, known: dict[str, str]) -> None:
        """Before anything is sent: what a killed deploy left half-written goes, and the
        manifest keeps only ``known`` (the files this deploy will not touch), so if this
        one is killed too, the next finds every touched file unknown and sends it again."""
        for path in self.leftovers:
            with contextlib.suppress(OSError, ftplib.Error):
                self.remove(self.full(path))
        self._write_manifest(known)

    def upload(self, file: LocalFile, data: bytes) -> None:
        target = self.full(file.path)
        self.makedirs(posixpath.dirname(target))
        temp = target + TEMP_SUFFIX
        self.write(temp, data)
        checkpoint("part-written")  # tests kill a deploy here, a file half-sent
        self.rename(temp, target)

    def finish(self, published: dict[str, str]) -> None:
        self._write_manifest(published)

    def _write_manifest(self, entries: dict[str, str]) -> None:
        data = json.dumps(entries, sort_keys=True, indent=0).encode()
        for where in (self.manifest, self.full(MANIFEST)):
            try:
                self.write(where + TEMP_SUFFIX, data)
                self.rename(where + TEMP_SUFFIX, where)
            except (OSError, ftplib.error_perm):
                continue  # no right to write beside the folder: inside it, then
            if where != self.full(MANIFEST):
                with contextlib.suppress(OSError, ftplib.Error):
                    self.remove(self.full(MANIFEST))  # from the old place, where readers see it
            return
        raise DeployError(f"发布目标“{self.target.name}”上无法写入发布记录（{self.manifest}）")

    def delete(self, path: str) -> None:
        try:
            self.remove(self.full(path))
        except (OSError, ftplib.error_perm):
            if self.exists(self.full(path)):
                raise  # it is there and cannot be removed: say so
            # gone already (an earlier, interrupted deploy): nothing to do

    def prune(self, deleted: list[str]) -> None:
        """Folders that the deletions left empty are removed, deepest first."""
        folders = {posixpath.dirname(p) for p in deleted}
        for folder in sorted({f for d in folders for f in _ancestors(d)}, key=len, reverse=True):
            with contextlib.suppress(OSError, ftplib.Error):
                self.rmdir(self.full(folder))  # refused while it still holds something

    def makedirs(self, folder: str) -> None:
        parts = [p for p in folder.split("/") if p and p != "."]
        current = "/" if folder.startswith("/") else ""
        for part in parts:
            current = posixpath.join(current, part) if current else part
            if current not in self.made:
                self.mkdir(current)
                self.made.add(current)

    # what each protocol provides
    def read(self, path: str) -> bytes:
        raise NotImplementedError

    def write(self, path: str, data: bytes) -> None:
        raise NotImplementedError

    def rename(self, source: str, target: str) -> None:
        raise NotImplementedError

    def mkdir(self, path: str) -> None:
        raise NotImplementedError

    def walk(self) -> Iterator[str]:
        raise NotImplementedError

    def remove(self, path: str) -> None:
        raise NotImplementedError

    def rmdir(self, path: str) -> None:
        raise NotImplementedError

    def exists(self, path: str) -> bool:
        raise NotImplementedError


def _ancestors(folder: str) -> list[str]:
    """ "a/b/c" → ["a/b/c", "a/b", "a"]; "" → []."""
    parts = [p for p in folder.split("/") if p]
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


class SftpRemote(_ServerRemote):
    transport: Any = None
    sftp: Any = None

    @staticmethod
    def explain(exc: BaseException, target: AnyTarget) -> DeployError | None:
        import paramiko

        assert isinstance(target, ServerTarget)
        if isinstance(exc, paramiko.AuthenticationException):
            return DeployError(
                f"发布目标“{target.name}”拒绝登录（用户 {target.user}）：请核对用户名，以及 "
                "工作台“发布”页填写的密码、site.yaml 的“密钥文件”或环境变量 SITE_BUILDER_SFTP_PASSWORD。"
            )
        if isinstance(exc, paramiko.SSHException):
            return None
        return Remote.explain(exc, target)

    def reconnect(self) -> None:
        import paramiko

        if self.transport is not None:
            self.transport.close()
        self.transport = paramiko.Transport((self.target.host or "", self.target.port or 22))
        self.transport.banner_timeout = 15
        password = server_password(self.target)
        key = None
        try:
            if self.target.key_file:
                key = _private_key(Path(self.target.key_file).expanduser())
            self.transport.connect(username=self.target.user, password=password, pkey=key)
            self.sftp = paramiko.SFTPClient.from_transport(self.transport)
        except BaseException:
            self.transport.close()  # a refused login leaves no open connection behind
            raise
        self.made.clear()

    def read(self, path: str) -> bytes:
        with self.sftp.open(path, "rb") as fh:
            return bytes(fh.read())

    def write(self, path: str, data: bytes) -> None:
        with self.sftp.open(path, "wb") as fh:
            fh.write(data)
        self.sftp.chmod(path, 0o644)

    def rename(self, source: str, target: str) -> None:
        self.sftp.posix_rename(source, target)  # replaces the target atomically (OpenSSH)

    def mkdir(self, path: str) -> None:
        with contextlib.suppress(OSError):  # it exists
            self.sftp.mkdir(path, 0o755)

    def walk(self) -> Iterator[str]:
        stack = [""]
        while stack:
            rel = stack.pop()
            try:
                entries = self.sftp.listdir_attr(self.full(rel) if rel else self.root)
            except OSError:
                continue
            for entry in entries:
                path = posixpath.join(rel, entry.filename) if rel else entry.filename
                if stat.S_ISDIR(entry.st_mode or 0):
                    stack.append(path)
                else:
                    yield path

    def remove(self, path: str) -> None:
        self.sftp.remove(path)

    def rmdir(self, path: str) -> None:
        self.sftp.rmdir(path)

    def exists(self, path: str) -> bool:
        try:
            self.sftp.stat(path)
        except OSError:
            return False
        return True

    def close(self) -> None:
        self.transport.close()


def _private_key(path: Path) -> Any:
    import paramiko

    for kind in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return kind.from_private_key_file(str(path))
        except paramiko.SSHException:
            continue
    raise DeployError(f"无法读取私钥文件“{path}”：请确认它是 OpenSSH 格式的私钥")


class FtpRemote(_ServerRemote):
    ftp: Any = None

    @staticmethod
    def explain(exc: BaseException, target: AnyTarget) -> DeployError | None:
        assert isinstance(target, ServerTarget)
        name = f"发布目标“{target.name}”"
        if isinstance(exc, ftplib.error_perm):
            if str(exc).startswith("530"):
                return DeployError(
                    f"{name}拒绝登录（用户 {target.user}）：请核对用户名，以及工作台“发布”页填写的"
                    "密码或环境变量 SITE_BUILDER_FTP_PASSWORD。"
                )
            return DeployError(f"{name}拒绝了操作：{exc}。请检查这个账号在服务器上的写入权限。")
        if isinstance(exc, (ftplib.error_temp, ftplib.error_reply)):
            return None
        return Remote.explain(exc, target)

    def reconnect(self) -> None:
        if self.ftp is not None:
            with contextlib.suppress(OSError):
                self.ftp.close()
        tls = self.target.kind == "ftps"
        self.ftp = ftplib.FTP_TLS(timeout=30) if tls else ftplib.FTP(timeout=30)
        self.ftp.encoding = "utf-8"
        try:
            self.ftp.connect(self.target.host or "", self.target.port or 21)
            self.ftp.login(self.target.user or "", server_password(self.target) or "")
            if isinstance(self.ftp, ftplib.FTP_TLS):
                self.ftp.prot_p()
        except BaseException:
            self.ftp.close()  # a refused login leaves no open connection behind
            raise
        self.made.clear()

    def read(self, path: str) -> bytes:
        buffer = io.BytesIO()
        self.ftp.retrbinary(f"RETR {path}", buffer.write)
        return buffer.getvalue()

    def write(self, path: str, data: bytes) -> None:
        self.ftp.storbinary(f"STOR {path}", io.BytesIO(data))

    def rename(self, source: str, target: str) -> None:
        self.ftp.rename(source, target)

    def mkdir(self, path: str) -> None:
        with contextlib.suppress(ftplib.error_perm):  # it exists
            self.ftp.mkd(path)

    def walk(self) -> Iterator[str]:
        stack = [""]
        while stack:
            rel = stack.pop()
            try:
                entries = list(self.ftp.mlsd(self.full(rel) if rel else self.root, ["type"]))
            except ftplib.error_perm:
                continue
            for name, facts in entries:
                if name in (".", ".."):
                    continue
                path = posixpath.join(rel, name) if rel else name
                if facts.get("type") == "dir":
                    stack.append(path)
                elif facts.get("type") == "file":
                    yield path

    def remove(self, path: str) -> None:
        self.ftp.delete(path)

    def rmdir(self, path: str) -> None:
        self.ftp.rmd(path)

    def exists(self, path: str) -> bool:
        folder, name = posixpath.split(path)
        try:
            return any(entry == name for entry, _ in self.ftp.mlsd(folder or ".", ["type"]))
        except ftplib.error_perm:
            return False

    def close(self) -> None:
        try:
            self.ftp.quit()
        except (OSError, ftplib.Error):
            self.ftp.close()
