"""The floor for the acknowledgement benchmarks: a Flask endpoint that reads a multipart upload
through ``request.files`` (Werkzeug's own parsing and spooling) and writes each file to disk
with SHA-256 and fsync, nothing more. ``gunicorn tests.benchmarks.bare_app:app``"""

from __future__ import annotations

import hashlib
import os
import tempfile

from flask import Flask, request

app = Flask(__name__)
FOLDER = os.environ.get("BARE_UPLOAD_DIR", tempfile.gettempdir())


@app.post("/upload")
def upload() -> tuple[str, int]:
    digests = []
    for upload in request.files.values():
        digest = hashlib.sha256()
        with tempfile.NamedTemporaryFile(dir=FOLDER, delete=True) as out:
            while chunk := upload.stream.read(1024 * 1024):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        digests.append(digest.hexdigest())
    return " ".join(digests), 201
