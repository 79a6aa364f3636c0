"""Nothing lost, nothing doubled, when a part of the production stack fails. Each test uses
real processes and servers; each ends with every filing in a correct final state, exactly one
receipt and one notice per filing, and no orphaned bytes."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
from pathlib import Path

from redis import Redis
from rq.registry import StartedJobRegistry
from sqlalchemy import select, text

from app import create_app, db
from app.notifications import Notification, deliver
from filings.jobs import sweep_orphaned_documents, sweep_stale_filings
from filings.models import Document, Filing, FilingStatus
from tests.helpers import api_post
from tests.pdfs import pdf_bytes, slow_to_check_pdf
from tests.services import BIN, Process, wait_until
from workers.outbox import OutboxJob


def _status(stack, filing_id: str) -> str:
    with stack.app.app_context():
        db.session.expire_all()
        return db.session.get(Filing, filing_id).status


def _sent(stack) -> int:
    return stack.count(Notification, Notification.sent_at.is_not(None))


def _stored(stack) -> list[str]:
    return list(stack.app.extensions["eservice.storage"].keys())


def _assert_settled(stack, filings: int) -> None:
    """Every filing served once, one notice each, every stored object belongs to a document
    (its original, or the stamped copy staff read)."""
    assert stack.count(Filing) == filings
    assert stack.count(Filing, Filing.status == FilingStatus.SERVED) == filings
    assert stack.count(Notification) == filings and _sent(stack) == filings
    assert len(stack.smtp.messages) == filings
    wait_until(
        lambda: stack.count(Document, Document.stamped_storage_key.is_(None)) == 0,
        120,
        f"every served document's stamped copy\n{stack.logs()}",
    )
    with stack.app.app_context():
        keys = set(db.session.scalars(select(Document.storage_key)))
        keys |= set(db.session.scalars(select(Document.stamped_storage_key)))
    assert set(_stored(stack)) == keys


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_worker_killed_mid_check_loses_nothing_and_doubles_nothing(stack):
    token = stack.token()
    first = stack.worker("first")
    response = api_post(stack.app.test_client(), token, [(slow_to_check_pdf(), "big.pdf")])
    assert response.status_code == 201, response.get_data(as_text=True)
    filing_id = response.get_json()["id"]
    redis = Redis.from_url(stack.redis.url)
    wait_until(
        lambda: StartedJobRegistry("checks", connection=redis).count,
        30,
        "the check to start in the first worker",
    )
    horses = wait_until(lambda: _children(first.pid), 10, "the work horse")
    for pid in [*horses, first.pid]:  # SIGKILL the work horse and its worker mid-check
        os.kill(pid, signal.SIGKILL)
    first.popen.wait(10)
    redis.close()
    assert _status(stack, filing_id) == FilingStatus.RECEIVED

    stack.worker("second")
    with stack.app.app_context():  # the scheduler's sweep, run now instead of in a minute
        assert sweep_stale_filings(0) == 1
    wait_until(lambda: _sent(stack) == 1, 60, f"the notice\n{stack.logs()}")
    _assert_settled(stack, 1)


def test_redis_down_while_filings_arrive_then_back(stack):
    token = stack.token()
    stack.worker("before")
    client = stack.app.test_client()
    stack.redis.stop()
    ids = []
    for n in range(3):
        response = api_post(client, token, [(pdf_bytes(), f"doc{n}.pdf")])
        assert response.status_code == 201  # acknowledged although Redis is down
        assert response.get_json()["status"] == "received"
        ids.append(response.get_json()["id"])
    assert stack.count(OutboxJob, OutboxJob.dispatched_at.is_(None)) == 3

    stack.redis.start()  # empty: whatever Redis held is gone, the outbox still has it all
    stack.worker("after")
    scheduler = Process(
        [str(BIN / "flask"), "--app", "wsgi", "scheduler", "--once"],
        stack.env(),
        stack.tmp / "scheduler.log",
    )
    stack.processes.append(scheduler)
    assert scheduler.popen.wait(60) == 0, scheduler.output()
    wait_until(lambda: _sent(stack) == 3, 60, f"three notices\n{stack.logs()}")
    assert stack.count(OutboxJob, OutboxJob.dispatched_at.is_(None)) == 0
    _assert_settled(stack, 3)


def test_smtp_down_then_back_sends_each_notice_once(stack):
    token = stack.token()
    stack.worker("mailer")
    stack.smtp.stop()
    filing_id = api_post(stack.app.test_client(), token, [(pdf_bytes(), "a.pdf")]).get_json()["id"]
    wait_until(lambda: _status(stack, filing_id) == FilingStatus.SERVED, 60, "the check")
    with stack.app.app_context():
        note_id = db.session.scalar(select(Notification.id))
    wait_until(
        lambda: stack.count(Notification, Notification.claimed_until.is_(None)) == 1,
        30,
        "the failed delivery to release its claim",
    )
    assert _sent(stack) == 0 and stack.smtp.messages == []

    stack.smtp.start()
    with stack.app.app_context():
        from app.notifications import sweep_unsent

        assert sweep_unsent(0) == 1
    wait_until(lambda: _sent(stack) == 1, 60, f"the notice\n{stack.logs()}")
    with stack.app.app_context():  # RQ's own retry, arriving late: sends nothing more
        deliver(note_id)
    _assert_settled(stack, 1)


def test_s3_refusing_the_upload_gives_no_receipt(stack, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    app = create_app(env={**stack.settings, "AWS_SECRET_ACCESS_KEY": "not-the-secret"})
    token = stack.token()
    response = api_post(app.test_client(), token, [(pdf_bytes(), "a.pdf")])
    assert response.status_code == 503
    assert response.get_json()["errors"][0]["code"] == "storage_unavailable"
    assert stack.count(Filing) == 0 and _stored(stack) == []
    app.extensions["eservice.engine"].dispose()


class CorruptingProxy:
    """A TCP proxy to the S3 server that flips one byte of each request body in transit."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket, corrupt: bool) -> None:
        seen, flipped = b"", False
        try:
            while chunk := src.recv(65536):
                if corrupt and not flipped:
                    seen += chunk
                    body = seen.find(b"\r\n\r\n")
                    if body != -1 and len(seen) > body + 100:
                        at = body + 100
                        seen = seen[:at] + bytes([seen[at] ^ 0xFF]) + seen[at + 1 :]
                        chunk, flipped = seen, True
                    else:
                        continue
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.server.close()


def test_s3_upload_corrupted_in_transit_is_refused(stack, monkeypatch, s3_server):
    s3_port = int(s3_server["AWS_ENDPOINT_URL"].rsplit(":", 1)[1])
    proxy = CorruptingProxy(s3_port)
    endpoint = f"http://127.0.0.1:{proxy.port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    app = create_app(env={**stack.settings, "AWS_ENDPOINT_URL": endpoint})
    try:
        token = stack.token()
        response = api_post(app.test_client(), token, [(pdf_bytes(pages=3), "a.pdf")])
        assert response.status_code == 503
        assert response.get_json()["errors"][0]["code"] == "storage_unavailable"
    finally:
        proxy.close()
        app.extensions["eservice.engine"].dispose()
    assert stack.count(Filing) == 0 and _stored(stack) == []


def test_database_failing_after_storing_removes_the_bytes(stack):
    token = stack.token()
    engine = stack.app.extensions["eservice.engine"]
    with engine.begin() as conn:  # the database refuses the document rows, for real
        conn.execute(
            text(
                "CREATE FUNCTION refuse_documents() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON documents FOR EACH ROW "
                "EXECUTE FUNCTION refuse_documents()"
            )
        )
    stack.app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = api_post(stack.app.test_client(), token, [(pdf_bytes(), "a.pdf")])
        assert response.status_code == 500
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER refuse ON documents"))
            conn.execute(text("DROP FUNCTION refuse_documents()"))
    assert stack.count(Filing) == 0 and _stored(stack) == []


def test_bytes_left_by_a_crash_between_store_and_commit_are_swept(stack):
    import hashlib
    import io

    token = stack.token()
    stack.worker("w")
    filing_id = api_post(stack.app.test_client(), token, [(pdf_bytes(), "a.pdf")]).get_json()["id"]
    wait_until(lambda: _sent(stack) == 1, 60, "the notice")
    storage = stack.app.extensions["eservice.storage"]
    orphan = pdf_bytes()
    storage.put(
        "2026/01/01/orphan-left-by-a-crash", io.BytesIO(orphan), hashlib.sha256(orphan).hexdigest()
    )
    with stack.app.app_context():
        assert sweep_orphaned_documents(0) == 1
        assert sweep_orphaned_documents(0) == 0
    assert _status(stack, filing_id) == FilingStatus.SERVED
    _assert_settled(stack, 1)


def test_documents_download_from_s3_as_attachments(stack):
    import hashlib

    from tests.helpers import create_staff, login

    token = stack.token()
    stack.worker("w")
    big = slow_to_check_pdf(20_000) + b"%" + b"x" * (9 * 1024 * 1024)  # more than one S3 part
    response = api_post(stack.app.test_client(), token, [(big, "Exhibit Ä.pdf")])
    assert response.status_code == 201, response.get_data(as_text=True)
    filing_id = response.get_json()["id"]
    wait_until(lambda: _status(stack, filing_id) == FilingStatus.SERVED, 60, stack.logs())
    with stack.app.app_context():
        create_staff("staff.atl@occ.example", "ATL")
        doc_id = db.session.get(Filing, filing_id).documents[0].id
    staff = stack.app.test_client()
    login(staff, "staff.atl@occ.example")
    download = staff.get(f"/staff/filings/{filing_id}/documents/{doc_id}")
    body = download.data
    download.close()
    assert download.status_code == 200
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(big).hexdigest()
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_hostile_files_cost_a_worker_only_their_limits(stack):
    """Bombs and a file that takes seconds to walk go through one real worker beside an
    ordinary filing: each hostile set is refused with its code, the ordinary one is served, and
    the worker is still there afterwards."""
    from tests.pdfs import flate_bomb_pdf, many_streams_bomb_pdf

    token = stack.token()
    worker = stack.worker("sturdy")
    client = stack.app.test_client()
    ids = {}
    for name, content in [
        ("bomb", flate_bomb_pdf(300)),
        ("streams", many_streams_bomb_pdf()),
        ("ordinary", pdf_bytes(pages=3)),
    ]:
        response = api_post(client, token, [(content, f"{name}.pdf")])
        assert response.status_code == 201
        ids[name] = response.get_json()["id"]
    wait_until(
        lambda: all(_status(stack, i) != FilingStatus.RECEIVED for i in ids.values()),
        120,
        f"the checks\n{stack.logs()}",
    )
    assert _status(stack, ids["ordinary"]) == FilingStatus.SERVED
    with stack.app.app_context():
        for name in ("bomb", "streams"):
            filing = db.session.get(Filing, ids[name])
            assert filing.status == FilingStatus.REFUSED
            assert [p["code"] for p in filing.problems] == ["decompression_bomb"]
    assert worker.alive()
