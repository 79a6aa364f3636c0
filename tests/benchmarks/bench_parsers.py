"""Benchmark (on demand): pypdf against pikepdf (qpdf) for the deep check, by what each makes
of hostile files and how fast each walks large ordinary ones. Each run is a child process
under a 1.5 GB address-space limit and a 60 s timeout, so a parser that blows up is measured,
not obeyed.

    .venv/bin/python -m tests.benchmarks.bench_parsers      (needs: pip install pikepdf)
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject

CHILD = r"""
import json, sys, time, zlib
which, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
out = {"pages": None, "active": [], "decoded": 0}
try:
    if which == "pypdf":
        from filings.deepcheck import Limits, inspect
        report = inspect(path, Limits(max_decoded_bytes=10**12, max_depth=10**9))
        out["pages"] = report.pages
        out["active"] = [f["code"] for f in report.findings]
    else:
        import pikepdf
        with pikepdf.open(path) as pdf:
            out["pages"] = len(pdf.pages)
            names = {"/JavaScript", "/JS", "/Launch", "/GoToR", "/GoToE", "/SubmitForm",
                     "/ImportData", "/EmbeddedFiles", "/EmbeddedFile", "/FileAttachment",
                     "/XFA", "/RichMedia", "/Sound", "/Movie", "/Screen"}
            for obj in pdf.objects:
                if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                    values = {str(v) for v in obj.values() if isinstance(v, pikepdf.Name)}
                    if names & (set(obj.keys()) | values):
                        out["active"].append("active")
                    if isinstance(obj, pikepdf.Stream):
                        out["decoded"] += len(obj.read_bytes())
    out["result"] = "ok"
except MemoryError:
    out["result"] = "MemoryError"
except Exception as exc:
    out["result"] = type(exc).__name__ + ": " + str(exc)[:60]
out["seconds"] = round(time.perf_counter() - start, 2)
print(json.dumps(out))
"""


def limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20,) * 2)


def run(which: str, path: str) -> str:
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, which, path],
            capture_output=True,
            timeout=60,
            preexec_fn=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "timeout (60 s)"
    if proc.returncode != 0:
        return f"died ({proc.returncode}) {proc.stderr.decode()[-80:].strip()}"
    data = json.loads(proc.stdout)
    return (
        f"{data['result'][:50]}; pages={data['pages']} active={sorted(set(data['active']))} "
        f"{data['seconds']} s"
    )


def brief(pages: int) -> bytes:
    writer = PdfWriter()
    for n in range(pages):
        page = writer.add_blank_page(width=612, height=792)
        text = b"BT /F1 12 Tf 72 720 Td (" + f"Page {n} of the brief. ".encode() * 40 + b") Tj ET"
        stream = StreamObject()
        stream.set_data(text * 20)
        stream.flate_encode()
        page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    from tests.filings.test_deepcheck import HOSTILE

    cases = {name: content for name, (content, _) in HOSTILE.items()}
    cases["ordinary: 500-page brief"] = brief(500)
    from tests.benchmarks.bench_intake import big_pdf

    cases["ordinary: 24 MB single content stream"] = big_pdf(24)
    with tempfile.TemporaryDirectory() as folder:
        for name, content in cases.items():
            path = Path(folder) / "doc.pdf"
            path.write_bytes(content)
            print(f"{name} ({len(content) // 1024} KB)")
            for which in ("pypdf", "pikepdf"):
                print(f"    {which:8} {run(which, str(path))}")


if __name__ == "__main__":
    start = time.time()
    main()
    print(f"({time.time() - start:.0f} s)")
