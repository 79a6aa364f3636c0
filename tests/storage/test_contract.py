"""One contract for every document store: the local folder and S3 (SeaweedFS, which checks
signatures and checksums as S3 does)."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from storage import IntegrityError, Storage, StorageError, from_url
from storage.local import LocalStorage
from storage.s3 import S3Storage
from tests.services import s3_client


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "docs")
    info = request.getfixturevalue("s3_server")
    return S3Storage(info["bucket"], f"contract-{uuid.uuid4().hex[:8]}", client=s3_client(info))


def _put(store: Storage, key: str, data: bytes) -> None:
    store.put(key, io.BytesIO(data), hashlib.sha256(data).hexdigest())


def test_put_open_list_delete(store):
    data = b"%PDF-1.7 bytes " * 100_000  # 1.5 MB: more than one chunk
    _put(store, "2026/11/23/abc", data)
    assert store.exists("2026/11/23/abc")
    [(key, written)] = list(store.objects())
    assert key == "2026/11/23/abc" and abs(written - datetime.now(UTC)) < timedelta(minutes=5)
    assert list(store.keys()) == ["2026/11/23/abc"]
    with store.open("2026/11/23/abc") as stream:
        assert stream.read() == data
        stream.seek(0)  # seekable: the PDF parser needs that
        assert stream.read(8) == b"%PDF-1.7"
    store.delete("2026/11/23/abc")
    store.delete("2026/11/23/abc")  # already gone: no error
    assert not store.exists("2026/11/23/abc") and list(store.keys()) == []


def test_wrong_checksum_is_refused_and_nothing_is_kept(store):
    with pytest.raises(IntegrityError):
        store.put("k1", io.BytesIO(b"abc"), hashlib.sha256(b"abd").hexdigest())
    assert list(store.keys()) == [] and not store.exists("k1")


def test_missing_key_is_a_storage_error(store):
    with pytest.raises(StorageError):
        store.open("2026/no/such")


@pytest.mark.parametrize("key", ["../x", "/abs", "a//b", "Upper", "name.pdf", "", "a b"])
def test_keys_are_generated_never_user_text(store, key):
    with pytest.raises(ValueError, match="bad storage key"):
        _put(store, key, b"x")


def test_check_answers_for_a_usable_store(store):
    store.check()


def test_unreachable_s3_is_a_storage_error():
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="x",
        aws_secret_access_key="y",
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    store = S3Storage("bucket", client=client)
    with pytest.raises(StorageError):
        _put(store, "k", b"data")
    with pytest.raises(StorageError):
        store.check()


def test_s3_objects_are_encrypted_at_rest(s3_server):
    client = s3_client(s3_server)
    store = S3Storage(s3_server["bucket"], "sse", client=client)
    _put(store, "k", b"secret bytes")
    head = client.head_object(Bucket=s3_server["bucket"], Key="sse/k")
    assert head.get("ServerSideEncryption") == "AES256"


def test_unknown_scheme_is_a_clear_error():
    with pytest.raises(ValueError, match="file:// or s3://"):
        from_url("ftp://host/x")


def _stream_through_writer(store, key: str, data: bytes, tmp_path) -> object:
    """Write ``data`` to a file in 64 KB pieces, telling the store's writer as it goes."""
    import os

    path = tmp_path / f"upload-{uuid.uuid4().hex}"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    writer = store.writer(key, str(path), fd)
    for start in range(0, len(data), 65536):
        piece = data[start : start + 65536]
        os.write(fd, piece)
        writer.written(piece)
    return writer, fd


@pytest.mark.parametrize("megabytes", [0.1, 20])  # one request, and several parts
def test_writer_stores_while_receiving_and_nothing_before_commit(store, tmp_path, megabytes):
    import os

    data = bytes(range(256)) * int(megabytes * 4096)
    writer, fd = _stream_through_writer(store, "2026/11/23/streamed", data, tmp_path)
    assert not store.exists("2026/11/23/streamed")  # nothing visible before commit
    writer.commit(hashlib.sha256(data).hexdigest())
    with store.open("2026/11/23/streamed") as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == hashlib.sha256(data).hexdigest()
    os.close(fd)


def test_aborted_writer_leaves_nothing(store, tmp_path):
    import os

    data = b"x" * (20 * 1024 * 1024)
    writer, fd = _stream_through_writer(store, "2026/11/23/aborted", data, tmp_path)
    writer.abort()
    writer.abort()
    os.close(fd)
    assert not store.exists("2026/11/23/aborted") and list(store.keys()) == []
    if isinstance(store, S3Storage):
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket, Prefix=store.prefix).get(
            "Uploads", []
        )
        assert uploads == []


def _items(store, tmp_path, sizes: list[float]) -> list:
    """Documents as the filing service hands them over: some streamed while they arrived (a
    writer), small ones to ``put``."""
    from storage.sets import Item

    items = []
    for n, megabytes in enumerate(sizes):
        data = bytes([n]) * int(megabytes * 2**20)
        key, digest = f"2026/11/23/set-{n}", hashlib.sha256(data).hexdigest()
        if megabytes > 1:
            writer, fd = _stream_through_writer(store, key, data, tmp_path)
            items.append(Item(key, os.fdopen(fd, "rb"), digest, writer))
        else:
            items.append(Item(key, io.BytesIO(data), digest))
    return items


def test_a_set_is_stored_whole_and_its_sources_closed(store, tmp_path):
    from storage.sets import SetUpload

    items = _items(store, tmp_path, [0.1, 12, 0.5])
    upload = SetUpload(store, items)
    upload.wait()
    assert sorted(store.keys()) == sorted(upload.keys)
    assert all(item.source.closed for item in items)
    upload.discard()  # the commit failed after all: nothing of the set is kept
    assert list(store.keys()) == []


def test_a_set_with_one_refused_document_keeps_nothing(store, tmp_path):
    from storage.sets import SetUpload

    items = _items(store, tmp_path, [0.1, 12, 0.5])
    items[2].sha256 = hashlib.sha256(b"other bytes").hexdigest()
    upload = SetUpload(store, items)
    with pytest.raises(IntegrityError):
        upload.wait()
    assert list(store.keys()) == []
    if isinstance(store, S3Storage):
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket, Prefix=store.prefix)
        assert uploads.get("Uploads", []) == []


def test_a_set_discarded_while_uploading_keeps_nothing(store, tmp_path):
    from storage.sets import SetUpload

    upload = SetUpload(store, _items(store, tmp_path, [12, 0.1]))
    upload.discard()  # e.g. the rows were refused while the documents were on their way
    assert list(store.keys()) == []
