"""Documents in S3 or an S3-compatible store (boto3). Endpoint, region and credentials come
from the usual AWS settings (``AWS_ENDPOINT_URL``, ``AWS_REGION``, ``AWS_ACCESS_KEY_ID`` ...)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from storage.base import CHUNK, IntegrityError, StorageError, check_key
from storage.s3_writer import S3Writer, b64_digest, storage_error


class S3Storage:
    def __init__(self, bucket: str, prefix: str = "", client: Any = None) -> None:
        if not bucket:
            raise ValueError("s3:// storage URL needs a bucket name")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        # A session of its own: settings are read from the environment now, not once per process.
        # Connections for every thread that may talk to the store at once: request threads,
        # the storing threads (storage/sets.py) and each big document's part uploads.
        self.client = client or boto3.session.Session().client(
            "s3",
            config=Config(
                signature_version="s3v4", retries={"mode": "standard"}, max_pool_connections=32
            ),
        )

    def _key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, source: IO[bytes], sha256_hex: str) -> None:
        try:
            # The store recomputes SHA-256 and refuses the object (BadDigest) if it differs.
            self.client.put_object(
                Bucket=self.bucket,
                Key=self._key(key),
                Body=source,
                ChecksumSHA256=b64_digest(bytes.fromhex(sha256_hex)),
                ServerSideEncryption="AES256",
                ContentType="application/pdf",
            )
        except (ClientError, BotoCoreError) as exc:
            raise storage_error(key, exc) from exc

    def writer(self, key: str, path: str, fd: int) -> S3Writer:
        return S3Writer(self.client, self.bucket, key, self._key(key), fd)

    def open(self, key: str) -> BinaryIO:
        # On disk under a name, so a checker process can open the same file without a copy.
        spool = tempfile.NamedTemporaryFile(prefix="s3-")  # noqa: SIM115
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
            for chunk in body.iter_chunks(CHUNK):
                spool.write(chunk)
        except (ClientError, BotoCoreError) as exc:
            spool.close()
            raise StorageError(f"could not read {key}: {exc}") from exc
        spool.seek(0)
        return spool  # type: ignore[return-value]

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"could not delete {key}: {exc}") from exc

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"cannot reach bucket {self.bucket}: {exc}") from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise StorageError(f"could not check {key}: {exc}") from exc
        return True

    def objects(self) -> Iterator[tuple[str, datetime]]:
        paginator = self.client.get_paginator("list_objects_v2")
        start = f"{self.prefix}/" if self.prefix else ""
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=start):
                for item in page.get("Contents", []):
                    yield item["Key"][len(start) :], item["LastModified"]
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"could not list the store: {exc}") from exc

    def keys(self) -> Iterator[str]:
        return (key for key, _ in self.objects())


__all__ = ["IntegrityError", "S3Storage"]
