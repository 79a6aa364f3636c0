"""The check server: one clean process forks a child per check, is reused, gives way to a fresh
interpreter when it cannot answer, and serves the forks of an RQ worker one at a time."""

from __future__ import annotations

import os
import threading
import time

import pytest

from filings import checkserver, sandbox
from tests import pdfs


@pytest.fixture
def server():
    own = checkserver.CheckServer()
    yield own
    own.stop()


def _ask(server: checkserver.CheckServer, path: str) -> checkserver.Answer | None:
    limits = sandbox.ChildLimits()
    return server.check(
        [path, "100"],
        limits.address_space_bytes,
        limits.cpu_seconds,
        limits.wall_seconds,
        sandbox.child_environment(),
    )


def test_one_server_answers_every_check_with_a_child_each(server, tmp_path):
    clean, script = tmp_path / "clean.pdf", tmp_path / "script.pdf"
    clean.write_bytes(pdfs.pdf_bytes())
    script.write_bytes(pdfs.pdf_with_javascript())
    first = _ask(server, str(clean))
    pid = server._proc.pid
    assert first is not None and first.returncode == 0 and b'"findings": []' in first.stdout
    started = time.monotonic()
    second = _ask(server, str(script))
    assert time.monotonic() - started < 2  # no interpreter to start: a fork
    assert second is not None and b'"javascript"' in second.stdout
    assert server._proc.pid == pid


def test_a_server_that_died_gives_way_then_comes_back(server, tmp_path, monkeypatch):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdfs.pdf_bytes())
    assert _ask(server, str(path)) is not None
    server._proc.kill()
    server._proc.wait()
    # The dead server is seen as such and a new one started for the next check.
    answer = _ask(server, str(path))
    assert answer is not None and answer.returncode == 0
    # Through the sandbox, a server that cannot answer means a fresh interpreter instead.
    monkeypatch.setattr(sandbox, "SERVER", server)
    monkeypatch.setattr(server, "check", lambda *args, **kwargs: None)
    outcome = sandbox.deep_check(str(path), 100)
    assert outcome.findings == [] and outcome.pages == 1


def test_the_forks_of_a_worker_use_its_server(server, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdfs.pdf_with_javascript())
    server.share_with_forks(sandbox.child_environment())
    pid = server._proc.pid
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # as an RQ work horse: one check, then report which server answered
        answer = _ask(server, str(path))
        ok = answer is not None and b'"javascript"' in answer.stdout
        os.write(write_end, f"{int(ok)} {server._proc.pid}".encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    ok, used = os.read(read_end, 100).decode().split()
    os.close(read_end)
    assert ok == "1" and int(used) == pid
    assert _ask(server, str(path)) is not None  # and the worker's own next check too


def test_a_busy_server_gives_way_to_a_fresh_interpreter(server, tmp_path, monkeypatch):
    slow, quick = tmp_path / "slow.pdf", tmp_path / "quick.pdf"
    slow.write_bytes(pdfs.slow_to_check_pdf())  # seconds of walking
    quick.write_bytes(pdfs.pdf_with_javascript())
    monkeypatch.setattr(sandbox, "SERVER", server)
    busy = threading.Thread(target=lambda: _ask(server, str(slow)))
    busy.start()
    time.sleep(0.5)  # the job's check holds the server
    started = time.monotonic()
    assert _ask(server, str(quick)) is None  # no waiting behind it...
    outcome = sandbox.deep_check(str(quick), 100)  # ...a fresh interpreter answers instead
    assert [f["code"] for f in outcome.findings] == ["javascript"]
    assert time.monotonic() - started < 3
    busy.join()
