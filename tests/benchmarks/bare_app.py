"""The floor for the acknowledgement benchmark: a Flask endpoint that only streams the request
body to disk with SHA-256 and fsync. ``gunicorn tests.benchmarks.bare_app:app``"""

from __future__ import annotations

import hashlib
import os
import tempfile

from flask import Flask, request

app = Flask(__name__)
FOLDER = os.environ.get("BARE_UPLOAD_DIR", tempfile.gettempdir())


@app.post("/upload")
def upload() -> tuple[str, int]:
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=FOLDER, delete=True) as out:
        while chunk := request.stream.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), 201
