"""Rate limits on the routes anyone can call (Flask-Limiter).

The counters live in Redis when ``ESERVICE_REDIS_URL`` is set, so every process of a deployment
shares them, and in memory in the embedded default. Views take a limit with
``@limiter.limit("5 per hour")``; the key is the client address as the trusted proxies give it.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter


def client_address() -> str:
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address, strategy="moving-window")


def init_app(app: Flask) -> None:
    limiter.init_app(app)
