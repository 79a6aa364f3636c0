"""Streaming a document to S3 while it is still arriving: each full part of the local temporary
copy is uploaded as soon as it is written, with its own SHA-256 for the store to check, so the
upload overlaps the receiving instead of following it. Nothing is visible in the bucket until
``commit``; ``abort`` leaves nothing behind."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from storage.base import IntegrityError, StorageError

PART_SIZE = 8 * 1024 * 1024  # S3 wants at least 5 MB for every part but the last
_CHECKSUM_ERRORS = {"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"}


def b64_digest(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def storage_error(key: str, exc: Exception) -> StorageError:
    code = exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""
    if code in _CHECKSUM_ERRORS:
        return IntegrityError(f"the store refused {key}: checksum mismatch")
    return StorageError(f"could not store {key}: {code or exc}")


class FileRange(io.RawIOBase):
    """Bytes [start, end) of a file descriptor as a seekable stream (read with pread, so
    several ranges of one file can be read at once)."""

    def __init__(self, fd: int, start: int, end: int) -> None:
        self.fd, self.start, self.end, self.pos = fd, start, end, start

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos - self.start

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: self.start, io.SEEK_CUR: self.pos, io.SEEK_END: self.end}[whence]
        self.pos = min(max(base + offset, self.start), self.end)
        return self.tell()

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.end - self.pos
        data = os.pread(self.fd, min(size, self.end - self.pos), self.pos)
        self.pos += len(data)
        return data

    def __len__(self) -> int:
        return self.end - self.start


class S3Writer:
    def __init__(self, client: Any, bucket: str, key: str, object_key: str, fd: int) -> None:
        self.client, self.bucket, self.key, self.object_key, self.fd = (
            client,
            bucket,
            key,
            object_key,
            fd,
        )
        self.size = 0
        self._part_start = 0
        self._part_hash = hashlib.sha256()
        self._upload_id: str | None = None
        self._parts: list[tuple[int, str, Future[str]]] = []
        self._pool: ThreadPoolExecutor | None = None
        self._error: StorageError | None = None
        self.done = False

    def _common(self) -> dict[str, Any]:
        return {"Bucket": self.bucket, "Key": self.object_key}

    def written(self, data: bytes) -> None:
        """``data`` has just been written to the file at the current end: hash it, and upload
        the part it completes."""
        self._part_hash.update(data)
        self.size += len(data)
        if self._error is None and self.size - self._part_start >= PART_SIZE:
            try:
                self._submit_part(self.size)
            except StorageError as exc:  # reported by commit, not in the middle of parsing
                self._error = exc

    def _submit_part(self, end: int) -> None:
        try:
            if self._upload_id is None:
                self._upload_id = self.client.create_multipart_upload(
                    **self._common(),
                    ChecksumAlgorithm="SHA256",
                    ServerSideEncryption="AES256",
                    ContentType="application/pdf",
                )["UploadId"]
        except (ClientError, BotoCoreError) as exc:
            raise storage_error(self.key, exc) from exc
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="s3-part")
        number, checksum = len(self._parts) + 1, b64_digest(self._part_hash.digest())
        body = FileRange(self.fd, self._part_start, end)
        future = self._pool.submit(self._upload_part, number, checksum, body)
        self._parts.append((number, checksum, future))
        self._part_start, self._part_hash = end, hashlib.sha256()

    def _upload_part(self, number: int, checksum: str, body: FileRange) -> str:
        response = self.client.upload_part(
            **self._common(),
            UploadId=self._upload_id,
            PartNumber=number,
            Body=body,
            ContentLength=len(body),
            ChecksumSHA256=checksum,
        )
        return str(response["ETag"])

    def commit(self, sha256_hex: str) -> None:
        """Make the object durable and visible; raise StorageError (nothing kept) on failure."""
        if self._error is not None:
            self.abort()
            raise self._error
        try:
            if self._upload_id is None:  # small enough for one request
                self.client.put_object(
                    **self._common(),
                    Body=FileRange(self.fd, 0, self.size),
                    ContentLength=self.size,
                    ChecksumSHA256=b64_digest(bytes.fromhex(sha256_hex)),
                    ServerSideEncryption="AES256",
                    ContentType="application/pdf",
                )
            else:
                if self.size > self._part_start or not self._parts:
                    self._submit_part(self.size)
                parts = [
                    {"PartNumber": n, "ETag": f.result(), "ChecksumSHA256": c}
                    for n, c, f in self._parts
                ]
                self.client.complete_multipart_upload(
                    **self._common(), UploadId=self._upload_id, MultipartUpload={"Parts": parts}
                )
        except (ClientError, BotoCoreError) as exc:
            self.abort()
            raise storage_error(self.key, exc) from exc
        finally:
            self._shutdown()
        self.done = True

    def abort(self) -> None:
        """Drop whatever was uploaded; safe to call more than once."""
        if self.done:
            return
        self.done = True
        for _, _, future in self._parts:
            future.cancel()
        self._shutdown()
        if self._upload_id is not None:
            # If this fails too, the bucket's lifecycle rule for incomplete uploads removes it.
            with contextlib.suppress(ClientError, BotoCoreError):
                self.client.abort_multipart_upload(**self._common(), UploadId=self._upload_id)

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
