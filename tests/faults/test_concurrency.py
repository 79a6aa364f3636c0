"""200 filings from 20 concurrent clients against gunicorn (2 workers) and 2 RQ workers, on
PostgreSQL, Redis, S3 and SMTP: all acknowledged, all reach a final state, counts exact."""

from __future__ import annotations

import http.client
import io
import json
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from app import db
from app.notifications import Notification
from filings.models import Document, Filing, FilingStatus
from filings.tokens import create_token
from tests.helpers import create_attorney, multipart
from tests.pdfs import pdf_bytes
from tests.services import free_port, start_gunicorn, wait_until

CLIENTS, PER_CLIENT = 20, 10


def _file(port: int, token: str, a_number: str, n: int) -> tuple[int, dict]:
    form = multipart(
        {
            "office": "NYC",
            "a_number": a_number,
            "document_type": "evidence",
            "title": f"Exhibit {n}",
            "files": [(io.BytesIO(pdf_bytes()), f"{n}.pdf")],
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(
        "POST",
        "/api/v1/filings",
        body=form["data"],
        headers={
            "Content-Type": form["content_type"],
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": f"load-{a_number}-{n}",
        },
    )
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    return response.status, body


def test_200_filings_from_20_clients(stack):
    clients = []
    with stack.app.app_context():
        for n in range(CLIENTS):
            a_number = f"1{n:08d}"
            user = create_attorney(
                f"load{n}@law.example", eoir_id=f"LD{n:06d}", a_numbers=(a_number,)
            )
            clients.append((create_token(user, "load"), a_number))
    port = free_port()
    start = start_gunicorn(stack.env(), stack.tmp / "gunicorn.log", port, workers=2)
    stack.processes.append(start)
    stack.worker("load-1")
    stack.worker("load-2")

    def one_client(index: int) -> list[tuple[int, dict]]:
        token, a_number = clients[index]
        return [_file(port, token, a_number, n) for n in range(PER_CLIENT)]

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [r for batch in pool.map(one_client, range(CLIENTS)) for r in batch]
    assert [status for status, _ in results] == [201] * CLIENTS * PER_CLIENT, stack.logs()
    receipts = {body["receipt_number"] for _, body in results}
    assert len(receipts) == CLIENTS * PER_CLIENT

    total = CLIENTS * PER_CLIENT
    wait_until(
        lambda: stack.count(Notification, Notification.sent_at.is_not(None)) == total,
        180,
        f"every notice to be sent\n{stack.logs()}",
    )
    assert stack.count(Filing) == total
    assert stack.count(Filing, Filing.status == FilingStatus.SERVED) == total
    assert stack.count(Document) == total
    assert stack.count(Notification) == total and len(stack.smtp.messages) == total
    with stack.app.app_context():
        per_attorney = db.session.execute(
            select(Filing.attorney_id, func.count()).group_by(Filing.attorney_id)
        ).all()
    assert sorted(count for _, count in per_attorney) == [PER_CLIENT] * CLIENTS
    wait_until(
        lambda: stack.count(Document, Document.stamped_storage_key.is_(None)) == 0,
        300,
        f"every served document's stamped copy\n{stack.logs()}",
    )
    with stack.app.app_context():
        keys = set(db.session.scalars(select(Document.storage_key)))
        keys |= set(db.session.scalars(select(Document.stamped_storage_key)))
    # Every stored object is a document's original or its stamped copy.
    assert set(stack.app.extensions["eservice.storage"].keys()) == keys
