"""Object storage (阿里云 OSS, 腾讯云 COS, any S3-compatible service) through boto3, and
what botocore's errors mean to the officer."""

from __future__ import annotations

import base64
import os

from ..errors import DeployError
from ..model.targets import AnyTarget, S3Target
from .credentials import s3_keys
from .plan import LocalFile
from .remote import Remote


class S3Remote(Remote):
    compare_by = "md5"
    target: S3Target

    @staticmethod
    def address(target: AnyTarget) -> str:
        assert isinstance(target, S3Target)
        return target.endpoint or target.bucket

    @staticmethod
    def explain(exc: BaseException, target: AnyTarget) -> DeployError | None:
        import botocore.exceptions as aws

        assert isinstance(target, S3Target)
        name = f"发布目标“{target.name}”"
        if isinstance(exc, aws.NoCredentialsError):
            return DeployError(
                f"{name}没有访问密钥：请在工作台的“发布”页填写 AccessKey，或在环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 里"
                "设置对象存储的 AccessKey（不要写进 site.yaml）。"
            )
        if isinstance(exc, aws.ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidAccessKey"):
                return DeployError(
                    f"{name}拒绝了访问密钥（{code}）：请核对工作台“发布”页填写的 AccessKey（或环境变量 "
                    "AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY）是否是这个账号的。"
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

    def __init__(self, target: AnyTarget) -> None:
        assert isinstance(target, S3Target)
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
        keys = s3_keys(self.target)  # typed once in the workbench; None: the environment's
        self.client = boto3.client(
            "s3", endpoint_url=self.target.endpoint, region_name=self.target.region, config=config,
            aws_access_key_id=keys[0] if keys else None,
            aws_secret_access_key=keys[1] if keys else None,
        )  # fmt: skip

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
