"""The local-folder store: durable writes, verified bytes, generated keys only."""

from __future__ import annotations

import hashlib
import io

import pytest

from storage import IntegrityError, from_url
from storage.local import LocalStorage


def test_put_open_delete(tmp_path):
    store = from_url(f"file://{tmp_path}")
    data = b"%PDF-1.7 bytes" * 1000
    store.put("2026/11/23/abc", io.BytesIO(data), hashlib.sha256(data).hexdigest())
    assert store.exists("2026/11/23/abc") and list(store.keys()) == ["2026/11/23/abc"]
    with store.open("2026/11/23/abc") as stream:
        assert stream.read() == data
    store.delete("2026/11/23/abc")
    store.delete("2026/11/23/abc")  # already gone: no error
    assert not store.exists("2026/11/23/abc")


def test_wrong_checksum_is_refused_and_leaves_nothing(tmp_path):
    store = LocalStorage(tmp_path)
    with pytest.raises(IntegrityError):
        store.put("k1", io.BytesIO(b"abc"), hashlib.sha256(b"abd").hexdigest())
    assert list(store.keys()) == [] and not any(p.is_file() for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("key", ["../x", "/abs", "a//b", "Upper", "name.pdf", "", "a b"])
def test_keys_are_generated_never_user_text(tmp_path, key):
    with pytest.raises(ValueError, match="bad storage key"):
        LocalStorage(tmp_path).put(key, io.BytesIO(b"x"), hashlib.sha256(b"x").hexdigest())


def test_unknown_scheme_is_a_clear_error():
    with pytest.raises(ValueError, match="file:// or s3://"):
        from_url("ftp://host/x")
