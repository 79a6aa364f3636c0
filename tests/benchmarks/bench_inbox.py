"""Benchmark (on demand): an office's inbox with 1,000,000 filings and 3,000,000 documents in
PostgreSQL. Loads them in bulk with generate_series into a database of its own (dropped after),
then times every list the inbox offers for the busiest office (about a fifth of all filings):
at the database (the SQL the app sends, replayed) and for the whole page through Flask.

    .venv/bin/python -m tests.benchmarks.bench_inbox [--filings 1000000] [--runs 50] [--keep]

Prints p50/p95 per list and writes EXPLAIN (ANALYZE, BUFFERS) of each statement to
tests/benchmarks/inbox_plans.txt. Needs PostgreSQL (ESERVICE_TEST_POSTGRES_URL, as the tests).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text

from app import create_app, db
from app.migrate import upgrade
from app.users import User
from filings import inbox
from filings.inbox_filters import parse
from tests.benchmarks.inbox_load import load
from tests.conftest import POSTGRES_ADMIN_URL, make_env
from tests.helpers import create_staff, login

PLANS = Path(__file__).with_name("inbox_plans.txt")
DB_BUDGET_MS, PAGE_BUDGET_MS = 20.0, 60.0


def _scenarios(sample: dict[str, Any]) -> dict[str, str]:
    """Each list as the query string of its page."""
    return {
        "new, most urgent (the default)": "",
        "all, most urgent": "view=all",
        "all, newest": "view=all&sort=newest",
        "all, oldest": "view=all&sort=oldest",
        "all, nearest hearing": "view=all&sort=hearing",
        "claimed by me": "view=mine",
        "state accepted": "state=accepted",
        "state rejected, newest": "state=rejected&sort=newest",
        "state held": "state=held",
        "receipt number": f"receipt={sample['receipt'].lower()}",
        "A-Number": f"a_number=A{sample['a_number']}",
        "attorney name prefix": f"attorney={sample['surname'][:5]}",
        "attorney e-mail prefix": f"attorney={sample['email'][:9]}",
        "title, a rare word": f"title={sample['rare_word']}",
        "title, a common word": "title=continue",
        "received in one week": "received_from=2025-03-03&received_to=2025-03-09",
        "one week, accepted, newest": "received_from=2025-03-03&received_to=2025-03-09"
        "&state=accepted&sort=newest",
    }


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


class Recorder:
    """The statements the app sends while ``active``."""

    def __init__(self, engine: Any) -> None:
        self.active, self.statements = False, []  # type: tuple[bool, list[tuple[str, Any]]]
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if self.active:
            self.statements.append((statement, params))

    def record(self, work: Callable[[], Any]) -> list[tuple[str, Any]]:
        self.statements, self.active = [], True
        try:
            work()
        finally:
            self.active = False
        return self.statements


def _db_times(raw: Any, statements: list[tuple[str, Any]], runs: int) -> list[float]:
    times = []
    with raw.cursor() as cursor:
        for _ in range(runs):
            start = time.perf_counter()
            for statement, params in statements:
                cursor.execute(statement, params)
                cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
    return times


def _explain(raw: Any, name: str, statements: list[tuple[str, Any]], out: list[str]) -> None:
    with raw.cursor() as cursor:
        for statement, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            out.append(f"=== {name}\n{statement}\n{params}\n{plan}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the database for a look")
    options = parser.parse_args()
    name = f"eservice_bench_inbox_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        with tempfile.TemporaryDirectory() as tmp:
            _run(url, Path(tmp), options)
    finally:
        if not options.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _run(url: str, tmp: Path, options: argparse.Namespace) -> None:
    app = create_app(env=make_env(tmp, url, ESERVICE_JOB_RUNNER="inline"))
    with app.app_context():
        from app.offices import seed_offices

        seed_offices()
        db.session.commit()
        staff = create_staff("staff.atl@occ.example", "ATL")
        staff_id = staff.id
    sample = load(url, options.filings, staff_id)
    client = app.test_client()
    login(client, "staff.atl@occ.example")
    engine = app.extensions["eservice.engine"]
    recorder = Recorder(engine)
    scenarios = _scenarios(sample)
    rows, plans = [], []
    with app.app_context():
        staff = db.session.get(User, staff_id)
        first = inbox.page(staff, parse({"view": "all"}).filters)
        deep = sample["deep_after"]
        keyset = {
            "all, most urgent, page 2 (keyset)": ("view=all", first.next_after),
            "all, most urgent, page 100 (keyset)": ("view=all", deep),
        }
        work: dict[str, Callable[[], Any]] = {}
        for label, query in scenarios.items():
            args = dict(p.split("=", 1) for p in query.split("&") if p)
            work[label] = lambda a=args: inbox.page(staff, parse(a).filters)
        for label, (query, after) in keyset.items():
            args = dict(p.split("=", 1) for p in query.split("&") if p)
            work[label] = lambda a=args, c=after: inbox.page(staff, parse(a).filters, after=c)
        work["counts per state"] = lambda: inbox.counts(staff)
        pages = {**scenarios, **{k: f"{q}&after={c}" for k, (q, c) in keyset.items()}}
        raw = engine.raw_connection()
        try:
            for label, job in work.items():
                statements = recorder.record(job)
                db_p50, db_p95 = _percentiles(
                    _db_times(raw.driver_connection, statements, options.runs)
                )
                _explain(raw.driver_connection, label, statements, plans)
                page_ms: tuple[float, float] | None = None
                if label in pages:
                    page_ms = _percentiles(_page_times(client, pages[label], options.runs))
                rows.append((label, len(statements), db_p50, db_p95, page_ms))
        finally:
            raw.close()
    PLANS.write_text(
        f"EXPLAIN (ANALYZE, BUFFERS) of each inbox list, {options.filings:,} filings\n\n"
        + "\n".join(plans)
    )
    _report(rows, sample)


def _page_times(client: Any, query: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(f"/staff/inbox?{query}")
        response.get_data()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def _report(rows: list[Any], sample: dict[str, Any]) -> None:
    print(f"\nbusiest office: {sample['office_filings']:,} filings; PLANS in {PLANS}")
    print(f"{'list':42} {'stmts':>5} {'db p50':>8} {'db p95':>8} {'page p50':>9} {'page p95':>9}")
    slow = []
    for label, count, p50, p95, page_ms in rows:
        page = f"{page_ms[0]:9.1f} {page_ms[1]:9.1f}" if page_ms else f"{'':>9} {'':>9}"
        print(f"{label:42} {count:5d} {p50:8.2f} {p95:8.2f} {page}")
        if p95 > DB_BUDGET_MS or (page_ms and page_ms[1] > PAGE_BUDGET_MS):
            slow.append(label)
    print("over budget: " + (", ".join(slow) if slow else "none"))


if __name__ == "__main__":
    main()
