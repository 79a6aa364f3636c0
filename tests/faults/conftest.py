"""The production stack, for fault and load tests: PostgreSQL, a private Redis, S3 (SeaweedFS),
an SMTP server, and real worker processes; the test itself files through the app."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from app import create_app, db
from filings.tokens import create_token
from tests.conftest import _truncate_postgres, make_env
from tests.helpers import create_attorney
from tests.services import (
    Process,
    RedisServer,
    app_process_env,
    aws_env,
    free_port,
    start_worker,
)


class SmtpServer:
    """aiosmtpd on a fixed port, which can be stopped and started again; keeps what it got."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[bytes] = []
        self.controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None


@dataclass
class Stack:
    tmp: Path
    settings: dict[str, str]
    app: Flask
    redis: RedisServer
    smtp: SmtpServer
    processes: list[Process] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return app_process_env(self.settings)

    def worker(self, name: str) -> Process:
        proc = start_worker(self.env(), self.tmp / f"{name}.log", name)
        self.processes.append(proc)
        return proc

    def token(self, email: str = "lawyer@firm.example") -> str:
        with self.app.app_context():
            return create_token(create_attorney(email), "faults")

    def count(self, model: Any, *where: Any) -> int:
        with self.app.app_context():
            db.session.expire_all()
            query = select(func.count()).select_from(model)
            for clause in where:
                query = query.where(clause)
            return db.session.scalar(query) or 0

    def logs(self) -> str:
        return "\n".join(f"--- {p.log_path.name}\n{p.output()[-3000:]}" for p in self.processes)


@pytest.fixture
def stack(
    tmp_path: Path, postgres_url: str, s3_server: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Stack]:
    _truncate_postgres(postgres_url)
    redis = RedisServer(tmp_path)
    redis.start()
    smtp = SmtpServer()
    smtp.start()
    aws = aws_env(s3_server)
    for key, value in aws.items():
        monkeypatch.setenv(key, value)
    settings = {
        **make_env(tmp_path, postgres_url),
        "ESERVICE_REDIS_URL": redis.url,
        "ESERVICE_STORAGE_URL": f"s3://{s3_server['bucket']}/run-{uuid.uuid4().hex[:10]}",
        "ESERVICE_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "ESERVICE_MAX_DOCUMENT_MB": "25",
        "ESERVICE_MAX_FILING_MB": "100",
        **aws,
    }
    app = create_app(env=settings)
    with app.app_context():
        from app.offices import seed_offices

        seed_offices()
        db.session.commit()
    the_stack = Stack(tmp_path, settings, app, redis, smtp)
    yield the_stack
    for proc in the_stack.processes:
        proc.stop()
    smtp.stop()
    redis.stop()
    db.session.remove()
    app.extensions["eservice.engine"].dispose()
