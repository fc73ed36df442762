"""Where ``site-builder deploy`` publishes (site.yaml ``发布:``): one configuration model per
kind of target, chosen by 类型.

Each kind declares only its own fields, so a target is checked against what its kind
needs (an object-storage target without 存储桶, a server without 主机, a folder
without 路径) and a field of another kind is named as unknown. Each backend of
``deploy/`` (s3.py, servers.py, folder.py) takes its own model.

Passwords and keys are never written here: S3 targets use the standard
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, SFTP a key file or SITE_BUILDER_SFTP_PASSWORD,
FTP SITE_BUILDER_FTP_PASSWORD (environment variables of the officer's computer).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Discriminator, Tag

from .fields import OptInt, OptText, Strict, Text, field

DEPLOY_KINDS = {"s3": "s3", "对象存储": "s3", "oss": "s3", "cos": "s3", "sftp": "sftp",
                "ftp": "ftp", "ftps": "ftps", "文件夹": "folder", "folder": "folder"}  # fmt: skip
KIND_HELP = "s3（阿里云 OSS、腾讯云 COS 等对象存储）、sftp、ftp、ftps 或 文件夹"


def _deploy_kind(value: Any) -> Any:
    return DEPLOY_KINDS.get(value.strip().lower(), value) if isinstance(value, str) else value


class TargetBase(Strict):
    """What every kind of target has."""

    name: Text = field("名称", "目标名称，deploy --to 用它选择", default=...)
    prefix: Text = field(
        ("前缀", "目录", "路径"),
        "放在存储桶或服务器上的哪个目录下（如 zuimei/2024/）",
        default="",
    )
    max_deletes: int = field(
        "最多删除", "一次最多删除多少个文件（默认 256，超过需 --allow-deletes）", default=256
    )


class S3Target(TargetBase):
    """Object storage: 阿里云 OSS, 腾讯云 COS, any S3-compatible service."""

    kind: Annotated[Literal["s3"], BeforeValidator(_deploy_kind)] = field(
        "类型", KIND_HELP, default=...
    )
    bucket: Text = field("存储桶", "对象存储的存储桶（Bucket）名称", default=...)
    endpoint: OptText = field("端点", "对象存储的端点，如 https://oss-cn-hangzhou.aliyuncs.com")
    region: OptText = field("区域", "对象存储的区域，如 cn-hangzhou")
    addressing: Literal["virtual", "path"] = field(
        "寻址", "virtual（默认；OSS 和新的 COS 存储桶只支持这种）或 path", default="virtual"
    )


class ServerTarget(TargetBase):
    """A server reached by SFTP, FTP or FTPS."""

    kind: Annotated[Literal["sftp", "ftp", "ftps"], BeforeValidator(_deploy_kind)] = field(
        "类型", KIND_HELP, default=...
    )
    host: Text = field(("主机", "服务器"), "SFTP/FTP 服务器地址", default=...)
    user: Text = field(("用户名", "用户"), "SFTP/FTP 登录用户名", default=...)
    port: OptInt = field("端口", "SFTP 默认 22，FTP 默认 21")
    key_file: OptText = field(
        "密钥文件", "SFTP 登录用的私钥文件路径（不写则用 SITE_BUILDER_SFTP_PASSWORD）"
    )


class FolderTarget(TargetBase):
    """A folder on this computer or a mounted share (a web server's document root)."""

    kind: Annotated[Literal["folder"], BeforeValidator(_deploy_kind)] = field(
        "类型", KIND_HELP, default=...
    )
    prefix: Text = field(("路径", "前缀", "目录"), "目标文件夹", default=...)


TAGS = {"s3": "s3", "sftp": "server", "ftp": "server", "ftps": "server", "folder": "folder"}
MODELS: dict[str, type[TargetBase]] = {
    "s3": S3Target,
    "server": ServerTarget,
    "folder": FolderTarget,
}


def target_tag(value: Any) -> str | None:
    """Which model a target is, from its 类型 as written (any accepted spelling)."""
    if isinstance(value, BaseModel):
        return TAGS.get(str(getattr(value, "kind", "")))
    if not isinstance(value, dict):
        return None
    raw = next((value[key] for key in ("kind", "类型") if key in value), None)
    return TAGS.get(str(_deploy_kind(raw))) if isinstance(raw, str) else None


DeployTarget = Annotated[
    Annotated[S3Target, Tag("s3")]
    | Annotated[ServerTarget, Tag("server")]
    | Annotated[FolderTarget, Tag("folder")],
    Discriminator(
        target_tag,
        custom_error_type="choice",
        custom_error_message=f"缺少“类型”或无法识别；请写“类型: …”，可选：{KIND_HELP}",
    ),
]
AnyTarget = S3Target | ServerTarget | FolderTarget
