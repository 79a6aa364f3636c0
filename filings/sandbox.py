"""Run the deep check of one document in a child process with hard limits: address space, CPU
time and wall time. A parser that hangs, crashes or runs out of memory costs the child, never
the worker, and the answer is a clean rejection naming the limit. The child is forked by this
process's check server (filings/checkserver.py), or, when there is none to be had, is a fresh
interpreter of its own."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from filings.checkserver import SERVER, Answer

MB = 1024 * 1024


@dataclass(frozen=True)
class ChildLimits:
    address_space_bytes: int = 1536 * MB
    cpu_seconds: int = 60
    wall_seconds: int = 120


@dataclass(frozen=True)
class Outcome:
    pages: int
    findings: list[dict[str, Any]]
    warnings: list[dict[str, Any]]


def apply_limits(address_space_bytes: int, cpu_seconds: int) -> None:
    """Called by the child itself as it starts (filings/deepcheck.py main), before it reads the
    file: a ``preexec_fn`` would be unsafe in a parent that runs threads (the job worker)."""
    resource.setrlimit(resource.RLIMIT_AS, (address_space_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(5)  # the web and other jobs come first


def _over_limits(detail: str) -> Outcome:
    return Outcome(0, [{"code": "too_complex", "params": {"detail": detail}}], [])


def deep_check(path: str, size: int, limits: ChildLimits | None = None) -> Outcome:
    """The whole deep check of one file (filings/deepcheck.py)."""
    return _run_child([path, str(size)], limits or ChildLimits())


def door_check(path: str, limits: ChildLimits | None = None) -> Outcome:
    """Only what intake needs before a receipt (open, count pages), for a file that needs the
    second opinion of filings/pdfagree.py: in a child, since that reads the whole file."""
    return _run_child([path, "--door"], limits or ChildLimits(cpu_seconds=20, wall_seconds=30))


def child_environment() -> dict[str, str]:
    """All a checker child gets: where Python and its packages are; no settings, no secrets."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }


def start_check_server() -> None:
    """For a process that forks one job at a time (an RQ worker): start the check server now so
    every work horse uses it."""
    SERVER.share_with_forks(child_environment())


def _run_child(args: list[str], limits: ChildLimits) -> Outcome:
    env = child_environment()
    answer = SERVER.check(
        args, limits.address_space_bytes, limits.cpu_seconds, limits.wall_seconds, env
    )
    if answer is None:  # no server to be had: a fresh interpreter for this file
        answer = _exec_child(args, limits, env)
    if answer.timeout:
        return _over_limits(f"the check took longer than {limits.wall_seconds} seconds")
    if answer.returncode == 0:
        try:
            data = json.loads(answer.stdout)
            return Outcome(int(data["pages"]), list(data["findings"]), list(data["warnings"]))
        except (ValueError, KeyError, TypeError):
            return _over_limits("the checker gave no answer")
    if answer.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return _over_limits(f"the check used more than {limits.cpu_seconds} seconds of CPU")
    if answer.memory:
        return _over_limits(f"the check needed more than {limits.address_space_bytes // MB} MB")
    return _over_limits("the checker stopped unexpectedly")


def _exec_child(args: list[str], limits: ChildLimits, env: dict[str, str]) -> Answer:
    try:
        proc = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            [
                sys.executable,
                "-m",
                "filings.deepcheck",
                *args,
                "--limits",
                str(limits.address_space_bytes),
                str(limits.cpu_seconds),
            ],
            capture_output=True,
            timeout=limits.wall_seconds,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Answer(-signal.SIGKILL, b"", memory=False, timeout=True)
    return Answer(proc.returncode, proc.stdout, b"MemoryError" in proc.stderr, timeout=False)
