"""The places a site is published to, behind one small interface.

``listing`` says what is there (path → hash, when known), ``upload`` puts one file
so that readers see the old file or the new one, never half of one, ``delete``
removes one, ``finish`` records what was published. Object storage compares by the
ETag (an MD5 for the single-part uploads made here); a server keeps a manifest of
SHA-256s beside the site (``.site-builder-deploy.json``), written last; a folder is
compared by its bytes. Published files are world-readable (0644, folders 0755).
"""

from __future__ import annotations

import base64
import contextlib
import ftplib
import hashlib
import io
import json
import os
import posixpath
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DeployError
from ..model.config import DeployTarget
from ..write.atomic import atomic_write
from .plan import LocalFile

MANIFEST = ".site-builder-deploy.json"
TEMP_SUFFIX = ".site-builder-part"


class Remote:
    compare_by = "sha256"

    def __init__(self, target: DeployTarget) -> None:
        self.target = target

    def listing(self) -> dict[str, str | None]:
        raise NotImplementedError

    def upload(self, file: LocalFile, data: bytes) -> None:
        raise NotImplementedError

    def delete(self, path: str) -> None:
        raise NotImplementedError

    def finish(self, published: dict[str, str]) -> None:
        """Record what is now published (servers keep a manifest; others need none)."""

    def reconnect(self) -> None:
        """After a dropped connection: connect again before the operation is retried."""

    def close(self) -> None:
        pass

    @staticmethod
    def explain(exc: BaseException, target: DeployTarget) -> DeployError | None:
        """A final error of this kind of target as a message; None when it is worth another
        attempt (a dropped connection). Raises what is not a deploy problem: our bug."""
        if isinstance(exc, (OSError, EOFError)):
            return None
        raise exc


# --- object storage -------------------------------------------------------------------------


class S3Remote(Remote):
    compare_by = "md5"

    @staticmethod
    def explain(exc: BaseException, target: DeployTarget) -> DeployError | None:
        import botocore.exceptions as aws

        name = f"发布目标“{target.name}”"
        if isinstance(exc, aws.NoCredentialsError):
            return DeployError(
                f"{name}没有访问密钥：请在环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 里"
                "设置对象存储的 AccessKey（不要写进 site.yaml）。"
            )
        if isinstance(exc, aws.ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidAccessKey"):
                return DeployError(
                    f"{name}拒绝了访问密钥（{code}）：请核对环境变量 AWS_ACCESS_KEY_ID 和 "
                    "AWS_SECRET_ACCESS_KEY 是否是这个账号的 AccessKey。"
                )
            if code in ("NoSuchBucket", "404"):
                return DeployError(
                    f"{name}的存储桶“{target.bucket}”不存在：请核对 site.yaml 的“存储桶”和“端点”（区域）。"
                )
            if code in ("AccessDenied", "403"):
                return DeployError(
                    f"{name}没有权限写入存储桶“{target.bucket}”：请在控制台给这个 AccessKey 授予读写权限。"
                )
            if code.startswith("5") or code in ("SlowDown", "RequestTimeout", "InternalError"):
                return None
            return DeployError(f"{name}返回错误 {code}：{exc}")
        if isinstance(exc, (aws.EndpointConnectionError, aws.ConnectionClosedError,
                            aws.ReadTimeoutError, aws.ConnectTimeoutError)):  # fmt: skip
            return None
        return Remote.explain(exc, target)

    def __init__(self, target: DeployTarget) -> None:
        super().__init__(target)
        self.prefix = target.prefix.strip("/") + "/" if target.prefix.strip("/") else ""
        self.reconnect()

    def reconnect(self) -> None:
        import boto3
        from botocore.config import Config

        # Keys come from the environment (or boto3's credentials file): never ask a cloud
        # instance's metadata address for them, an officer's PC is not one.
        os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
        config = Config(
            s3={"addressing_style": self.target.addressing},
            retries={"max_attempts": 2, "mode": "standard"},
            connect_timeout=10,
            read_timeout=30,
        )
        self.client = boto3.client(
            "s3", endpoint_url=self.target.endpoint, region_name=self.target.region, config=config
        )

    def listing(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.target.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                etag = str(item.get("ETag", "")).strip('"')
                found[item["Key"][len(self.prefix) :]] = etag if "-" not in etag else None
        return found

    def upload(self, file: LocalFile, data: bytes) -> None:
        self.client.put_object(
            Bucket=self.target.bucket,
            Key=self.prefix + file.path,
            Body=data,
            ContentType=file.content_type,
            CacheControl=file.cache_control,
            ContentMD5=base64.b64encode(bytes.fromhex(file.md5)).decode(),
            Metadata={"sha256": file.sha256},
        )

    def delete(self, path: str) -> None:
        self.client.delete_object(Bucket=self.target.bucket, Key=self.prefix + path)


# --- servers: SFTP and FTP, with a manifest ------------------------------------------------------


class _ServerRemote(Remote):
    """What SFTP and FTP share: a root folder, a manifest of hashes, temp-then-rename uploads."""

    def __init__(self, target: DeployTarget) -> None:
        super().__init__(target)
        self.root = "/" + target.prefix.strip("/") if target.prefix.strip("/") else "."
        self.made: set[str] = set()
        self.reconnect()

    def full(self, path: str) -> str:
        return posixpath.join(self.root, path)

    def listing(self) -> dict[str, str | None]:
        manifest: dict[str, str] = {}
        try:
            loaded = json.loads(self.read(self.full(MANIFEST)))
            manifest = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError, ftplib.Error):
            pass
        return {path: manifest.get(path) for path in self.walk() if path != MANIFEST}

    def upload(self, file: LocalFile, data: bytes) -> None:
        target = self.full(file.path)
        self.makedirs(posixpath.dirname(target))
        temp = target + TEMP_SUFFIX
        self.write(temp, data)
        self.rename(temp, target)

    def finish(self, published: dict[str, str]) -> None:
        data = json.dumps(published, sort_keys=True, indent=0).encode()
        temp = self.full(MANIFEST) + TEMP_SUFFIX
        self.write(temp, data)
        self.rename(temp, self.full(MANIFEST))

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


class SftpRemote(_ServerRemote):
    transport: Any = None
    sftp: Any = None

    @staticmethod
    def explain(exc: BaseException, target: DeployTarget) -> DeployError | None:
        import paramiko

        if isinstance(exc, paramiko.AuthenticationException):
            return DeployError(
                f"发布目标“{target.name}”拒绝登录（用户 {target.user}）：请核对用户名，以及 "
                "site.yaml 的“密钥文件”或环境变量 SITE_BUILDER_SFTP_PASSWORD。"
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
        password = os.environ.get("SITE_BUILDER_SFTP_PASSWORD")
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

    def delete(self, path: str) -> None:
        self.sftp.remove(self.full(path))

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
    def explain(exc: BaseException, target: DeployTarget) -> DeployError | None:
        name = f"发布目标“{target.name}”"
        if isinstance(exc, ftplib.error_perm):
            if str(exc).startswith("530"):
                return DeployError(
                    f"{name}拒绝登录（用户 {target.user}）：请核对用户名和环境变量 "
                    "SITE_BUILDER_FTP_PASSWORD。"
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
            self.ftp.login(self.target.user or "", os.environ.get("SITE_BUILDER_FTP_PASSWORD", ""))
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

    def delete(self, path: str) -> None:
        self.ftp.delete(self.full(path))

    def close(self) -> None:
        try:
            self.ftp.quit()
        except (OSError, ftplib.Error):
            self.ftp.close()


# --- a folder (an nginx docroot) ------------------------------------------------------------------


class FolderRemote(Remote):
    def __init__(self, target: DeployTarget) -> None:
        super().__init__(target)
        self.root = Path(target.prefix).expanduser()

    def listing(self) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        if self.root.is_dir():
            for path in sorted(self.root.rglob("*")):
                if path.is_file():
                    rel = path.relative_to(self.root).as_posix()
                    found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        return found

    def upload(self, file: LocalFile, data: bytes) -> None:
        target = self.root.joinpath(*file.path.split("/"))
        for folder in reversed(target.parents):
            inside = self.root in folder.parents or folder == self.root
            if inside and not folder.is_dir():
                folder.mkdir()
                os.chmod(folder, 0o755)
        atomic_write(target, data)

    def delete(self, path: str) -> None:
        self.root.joinpath(*path.split("/")).unlink(missing_ok=True)


KINDS: dict[str, type[Remote]] = {
    "s3": S3Remote,
    "sftp": SftpRemote,
    "ftp": FtpRemote,
    "ftps": FtpRemote,
    "folder": FolderRemote,
}


def remote_kind(target: DeployTarget) -> type[Remote]:
    """The backend of a target: it connects, and translates its library's errors."""
    return KINDS[target.kind]


def open_remote(target: DeployTarget) -> Remote:
    return remote_kind(target)(target)
