"""Passwords and keys of the deploy targets.

The environment comes first (scripts and CI set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
SITE_BUILDER_SFTP_PASSWORD, SITE_BUILDER_FTP_PASSWORD); then the operating system's own
credential store through ``keyring`` (Windows 凭据管理器, macOS 钥匙串, Secret Service on
Linux), where the workbench's 发布 page puts what the officer typed once. A secret is
never written to content/, output/, the cache, a log or a page, and never sent back to
the browser: the page only says whether one is kept.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..errors import UsageError
from ..model.targets import AnyTarget, S3Target, ServerTarget

SERVICE = "site-builder"
ENV = {"sftp": "SITE_BUILDER_SFTP_PASSWORD", "ftp": "SITE_BUILDER_FTP_PASSWORD",
       "ftps": "SITE_BUILDER_FTP_PASSWORD"}  # fmt: skip
S3_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
NO_STORE = (
    "这台电脑上没有可用的系统密码保管（Windows 凭据管理器、macOS 钥匙串或 Linux 的 Secret Service），"
    "密码没有保存。请改用环境变量：对象存储 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，"
    "SFTP 为 SITE_BUILDER_SFTP_PASSWORD，FTP 为 SITE_BUILDER_FTP_PASSWORD。"
)


def account(target: AnyTarget) -> str:
    """Under what the secret of ``target`` is kept: what it opens, not the target's name
    (renaming a target keeps its password; two targets on one server share it)."""
    if isinstance(target, S3Target):
        return f"s3 {target.endpoint or 'aws'} {target.bucket}"
    if isinstance(target, ServerTarget):
        port = target.port or (22 if target.kind == "sftp" else 21)
        return f"{target.kind} {target.user}@{target.host}:{port}"
    return ""


def _keyring() -> Any:
    import keyring

    return keyring


def _usable(store: Any) -> bool:
    from keyring.backends import fail

    return not isinstance(store.get_keyring(), fail.Keyring)


def kept(target: AnyTarget) -> str | None:
    """The secret kept in the credential store for ``target``, if any."""
    if not account(target):
        return None
    try:
        store = _keyring()
        return store.get_password(SERVICE, account(target)) if _usable(store) else None
    except Exception:  # a locked or broken store: as if nothing were kept
        return None


def keep(target: AnyTarget, secret: str) -> None:
    """Keep ``secret`` for ``target``; UsageError with what to do when there is no store."""
    store = _keyring()
    if not _usable(store):
        raise UsageError(NO_STORE)
    try:
        store.set_password(SERVICE, account(target), secret)
    except Exception as exc:
        raise UsageError(f"系统密码保管拒绝了保存（{type(exc).__name__}）。{NO_STORE}") from None


def keep_s3(target: S3Target, key_id: str, secret: str) -> None:
    keep(target, json.dumps({"id": key_id, "secret": secret}))


def s3_keys(target: S3Target) -> tuple[str, str] | None:
    """The AccessKey pair from the credential store; None when the environment has one
    (boto3 reads it itself) or nothing is kept."""
    if all(os.environ.get(name) for name in S3_ENV):
        return None
    found = kept(target)
    if not found:
        return None
    try:
        pair = json.loads(found)
        return str(pair["id"]), str(pair["secret"])
    except (ValueError, KeyError, TypeError):
        return None


def server_password(target: ServerTarget) -> str | None:
    return os.environ.get(ENV[target.kind]) or kept(target)


def where_kept(target: AnyTarget) -> str:
    """What the 发布 page says about the secret: where it comes from, never what it is."""
    if isinstance(target, S3Target):
        if all(os.environ.get(name) for name in S3_ENV):
            return "环境变量"
    elif isinstance(target, ServerTarget):
        if target.kind == "sftp" and target.key_file:
            return "密钥文件"
        if os.environ.get(ENV[target.kind]):
            return "环境变量"
    else:
        return "不需要"
    return "系统凭据" if kept(target) else ""


def kept_named(name: str) -> str | None:
    """A secret kept under a plain name (the 公众号's AppID and AppSecret)."""
    try:
        store = _keyring()
        return store.get_password(SERVICE, name) if _usable(store) else None
    except Exception:
        return None


def keep_named(name: str, secret: str) -> None:
    store = _keyring()
    if not _usable(store):
        raise UsageError(
            NO_STORE.replace(
                "对象存储 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，"
                "SFTP 为 SITE_BUILDER_SFTP_PASSWORD，FTP 为 SITE_BUILDER_FTP_PASSWORD",
                "公众号为 WECHAT_APPID 和 WECHAT_APPSECRET",
            )
        )
    try:
        store.set_password(SERVICE, name, secret)
    except Exception as exc:
        raise UsageError(f"系统密码保管拒绝了保存（{type(exc).__name__}）。{NO_STORE}") from None
