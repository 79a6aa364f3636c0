"""Benchmark (on demand): the deep check against ``qpdf --check`` on the same files, and what
the checker child costs in memory; and how fast bombs are refused.

Each deep check is the real thing: ``python -m filings.deepcheck`` in a child process with the
sandbox's limits, timed from start to exit (interpreter start-up included; and again as the
workers run it, a child forked by the check server), its peak resident
memory read from the kernel (``wait4``). Runs alternate between the two tools.

    .venv/bin/python -m tests.benchmarks.bench_checks [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from filings import sandbox
from filings.sandbox import ChildLimits
from tests import pdfs
from tests.benchmarks.bench_intake import jpeg_pages_pdf
from tests.benchmarks.bench_parsers import brief


def scan(pages: int = 26, megabytes: float = 23) -> bytes:
    """A scanner's output: one greyscale 300 dpi JPEG per Letter page, ``megabytes`` in all."""
    from PIL import Image, ImageFilter

    rng = random.Random(7)
    small = Image.frombytes("L", (425, 550), bytes(rng.randrange(120, 256) for _ in range(233750)))
    page = small.resize((2550, 3300)).filter(ImageFilter.GaussianBlur(1))
    target = megabytes * 1024 * 1024 / pages
    low, high = 5, 95
    jpeg = b""
    while low <= high:  # the quality that lands nearest the size asked for
        quality = (low + high) // 2
        out = io.BytesIO()
        page.save(out, "JPEG", quality=quality)
        jpeg = out.getvalue()
        if len(jpeg) < target:
            low = quality + 1
        else:
            high = quality - 1
    return jpeg_pages_pdf([jpeg] * pages)


def deep_check(path: str) -> tuple[float, float, str]:
    """(seconds, peak resident MB, findings) of one deep check in its child."""
    limits = ChildLimits()
    args = [sys.executable, "-m", "filings.deepcheck", path, str(os.path.getsize(path))]
    args += ["--limits", str(limits.address_space_bytes), str(limits.cpu_seconds)]
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    report = json.loads(proc.stdout)
    # The child's own high-water mark (VmHWM): what the parse needed, not this process.
    peak = report.pop("peak_kb") / 1024
    return seconds, peak, json.dumps(report)[:160]


def qpdf_check(path: str) -> float:
    start = time.perf_counter()
    subprocess.run(["qpdf", "--check", path], capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ordinary = {"26-page 23 MB scan": scan(), "500-page brief": brief(500)}
    bombs = {
        "one stream inflating to 300 MB": pdfs.flate_bomb_pdf(300),
        "60 streams of 20 MB each": pdfs.many_streams_bomb_pdf(60, 20),
        "object stream inflating to 100 MB": pdfs.object_stream_pdf(
            b"<< /S /GoTo /D [3 0 R /Fit] >>", padding_mb=100
        ),
    }
    with tempfile.TemporaryDirectory() as folder:
        for name, content in ordinary.items():
            path = str(Path(folder) / "doc.pdf")
            Path(path).write_bytes(content)
            ours, theirs, served, memory = [], [], [], []
            for _ in range(args.runs):
                seconds, peak, report = deep_check(path)
                ours.append(seconds)
                memory.append(peak)
                theirs.append(qpdf_check(path))
                start = time.perf_counter()
                sandbox.deep_check(path, len(content))  # as workers run it: the check server
                served.append(time.perf_counter() - start)
            print(f"{name} ({len(content) / 2**20:.1f} MB): {report}")
            print(
                f"    deep check median {statistics.median(ours):.2f} s, qpdf --check "
                f"{statistics.median(theirs):.2f} s: "
                f"{statistics.median(ours) / statistics.median(theirs):.2f}x; "
                f"child peak memory {max(memory):.0f} MB"
            )
            print(
                f"    through the check server (a fork per check): median "
                f"{statistics.median(served):.2f} s, "
                f"{statistics.median(served) / statistics.median(theirs):.2f}x qpdf --check"
            )
        for name, content in bombs.items():
            path = str(Path(folder) / "bomb.pdf")
            Path(path).write_bytes(content)
            seconds, peak, report = deep_check(path)
            print(f"bomb, {name} ({len(content) // 1024} KB): {seconds:.2f} s, {peak:.0f} MB")
            print(f"    {report}")


if __name__ == "__main__":
    main()
