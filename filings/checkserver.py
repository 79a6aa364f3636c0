"""A check server: one clean process per worker that forks a child for each deep check.

Starting a fresh interpreter and importing pypdf costs a tenth of a second of CPU, far more
than checking an ordinary document. The server is started once, like any checker child (a
fresh interpreter with a minimal environment: no settings, no secrets, no connections), imports
the checker, and for each request forks a child that sets its limits and checks one file. The
child is as isolated as an exec'd one; only the import is shared.

Protocol, one JSON line each way on the server's stdin and stdout:
``{"id", "args", "address_space", "cpu", "wall"}`` -> ``{"id", "returncode", "stdout",
"memory", "timeout"}``. ``python -m filings.checkserver`` runs the server.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from typing import IO, Any

# Exit status of a child that ran out of memory outside the check's own handling.
MEMORY_EXIT = 86


@dataclass(frozen=True)
class Answer:
    returncode: int  # negative: the signal that ended the child
    stdout: bytes
    memory: bool  # the child ran out of memory
    timeout: bool  # the child was stopped at the wall-clock limit


# --- the server side --------------------------------------------------------------------------


def _child(args: list[str], address_space: int, cpu: int, out: int) -> None:
    """In the forked child: limits first, then the check; never returns."""
    code = 1
    try:
        os.dup2(out, 1)
        from filings import deepcheck

        code = deepcheck.main(["deepcheck", *args, "--limits", str(address_space), str(cpu)])
        sys.stdout.flush()
    except MemoryError:
        code = MEMORY_EXIT
    except BaseException:
        code = 1
    os._exit(code)


def _check(request: dict[str, Any]) -> dict[str, Any]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        os.close(0)  # the requests are the server's, not the child's
        _child(list(request["args"]), int(request["address_space"]), int(request["cpu"]), write_end)
    os.close(write_end)
    deadline = time.monotonic() + float(request["wall"])
    chunks, timeout = [], False
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timeout = True
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([pipe], [], [], left)
            if ready:
                chunk = pipe.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
    while True:  # a child that closed its output may still be running: the clock holds
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() >= deadline:
            timeout = True
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(0.005)
    returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return {
        "id": request["id"],
        "returncode": returncode,
        "stdout": b"".join(chunks).decode("utf-8", "replace"),
        "memory": returncode == MEMORY_EXIT,
        "timeout": timeout,
    }


def serve(stdin: IO[str], stdout: IO[str]) -> None:
    """Answer requests until stdin closes (the worker that started us has gone)."""
    from filings import deepcheck  # noqa: F401 - imported once, here, for every child

    for line in stdin:
        try:
            answer = _check(json.loads(line))
        except (ValueError, KeyError, TypeError, OSError) as exc:
            answer = {"id": None, "returncode": 1, "stdout": "", "error": str(exc)[:200]}
        stdout.write(json.dumps(answer) + "\n")
        stdout.flush()


# --- the worker side --------------------------------------------------------------------------


class CheckServer:
    """This process's server, started on first use; one request at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid = 0  # the process that started it (a fork must start its own)
        self._pending = b""  # what the server said beyond the last whole line read
        # Forked children may use it: an RQ worker runs one work horse at a time, each a fork.
        self._shared = False

    def share_with_forks(self, env: dict[str, str]) -> None:
        """Start now, in a process whose forks take turns (one RQ work horse at a time), so that
        each fork uses this server instead of starting its own."""
        with self._lock:
            self._started(env)
            self._shared = True

    def _started(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._shared and self._pid != os.getpid():
            return self._proc  # the parent's (a fork cannot poll it: a dead one is an EOF)
        if self._proc is None or self._pid != os.getpid() or self._proc.poll() is not None:
            if self._proc is not None and self._pid == os.getpid():
                self.stop()  # it died: reap it and close its pipes
            self._shared = False
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "filings.checkserver"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
            if self._pid != os.getpid():
                atexit.register(self.stop)  # once per process that starts one
            self._pid, self._pending = os.getpid(), b""
        return self._proc

    def check(
        self, args: list[str], address_space: int, cpu: int, wall: int, env: dict[str, str]
    ) -> Answer | None:
        """The child's answer, or None when the server cannot give one (then check the old
        way: a fresh interpreter for this one file). A server busy with another thread's check
        counts as none: a request's check at the door must not wait behind a job's."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return self._ask(args, address_space, cpu, wall, env)
        finally:
            self._lock.release()

    def _ask(
        self, args: list[str], address_space: int, cpu: int, wall: int, env: dict[str, str]
    ) -> Answer | None:
        proc = self._started(env)
        request_id = uuid.uuid4().hex
        request = {
            "id": request_id,
            "args": args,
            "address_space": address_space,
            "cpu": cpu,
            "wall": wall,
        }
        try:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.flush()
            reply = self._reply(proc, request_id, wall + 10)
        except (OSError, ValueError):
            reply = None
        if reply is None:
            self.stop()
            return None
        return Answer(
            int(reply["returncode"]),
            str(reply["stdout"]).encode(),
            bool(reply["memory"]),
            bool(reply["timeout"]),
        )

    def _reply(
        self, proc: subprocess.Popen[bytes], request_id: str, wait: float
    ) -> dict[str, Any] | None:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        deadline = time.monotonic() + wait
        while True:
            line, newline, rest = self._pending.partition(b"\n")
            if newline:
                self._pending = rest
                reply = json.loads(line)
                if reply.get("id") == request_id:
                    return dict(reply)
                continue  # the answer to a request whose asker was killed
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None  # the server died
            self._pending += chunk

    def stop(self) -> None:
        """End the server (it would end by itself once every process that can ask is gone)."""
        proc = self._proc
        if proc is not None and (self._pid == os.getpid() or self._shared):
            proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    pipe.close()
        self._proc, self._shared = None, False


SERVER = CheckServer()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
