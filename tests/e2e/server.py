"""The app as a real HTTP server on 127.0.0.1 for browser tests, stopped when done."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from app import db


@contextmanager
def serving(application: Flask, port: int = 0) -> Iterator[int]:
    """Serve ``application`` in a thread; yields the port; stops it and its engine after."""
    server = make_server("127.0.0.1", port, application, threaded=True)
    # Request threads are remembered (not daemons), so that stopping waits a moment for a
    # response still being written (a font the browser stopped wanting) to close its file.
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        thread.join(timeout=5)
        # Until a request is served, _threads is a placeholder that cannot be iterated.
        for request_thread in list(vars(server).get("_threads") or []):
            request_thread.join(timeout=5)
        db.session.remove()
        application.extensions["eservice.engine"].dispose()
