"""The temporary file an upload is received into: written once, hashed as it is written, then
read back through a buffer."""

from __future__ import annotations

import hashlib
import os

import pytest

from filings.uploads import HashingUpload


def test_an_upload_reads_back_what_was_written_and_knows_its_hash(tmp_path):
    data = b"%PDF-1.7\n" + b"line of the document\n" * 10_000
    upload = HashingUpload(str(tmp_path), cap=len(data))
    for start in range(0, len(data), 65536):
        upload.write(data[start : start + 65536])
    assert upload.tell() == len(data) and upload.size == len(data)
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    upload.seek(0)
    assert upload.readline() == b"%PDF-1.7\n"
    assert upload.read(4) == b"line" and upload.tell() == 13
    upload.seek(-5, os.SEEK_END)
    assert upload.read() == b"ment\n"
    upload.seek(0)
    assert b"".join(upload) == data
    assert os.pread(upload.fileno(), 8, 0) == b"%PDF-1.7"  # what a store writer reads
    name = upload.name
    upload.close()
    assert not os.path.exists(name)


def test_an_upload_is_not_written_after_it_is_read(tmp_path):
    upload = HashingUpload(str(tmp_path), cap=100)
    upload.write(b"%PDF-1.7")
    upload.seek(0)
    with pytest.raises(ValueError, match="written once"):
        upload.write(b"more")
    upload.close()


def test_bytes_past_the_cap_are_counted_not_kept(tmp_path):
    upload = HashingUpload(str(tmp_path), cap=4)
    upload.write(b"abcd")
    upload.write(b"efgh")
    assert upload.size == 8 and upload.over_cap
    upload.seek(0)
    assert upload.read() == b"abcd"
    upload.close()
