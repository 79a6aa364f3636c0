"""The regression corpus of legitimate documents: real PDFs from package registries (see
``real``) and documents built in code (see ``built``), each of which must be served."""

from __future__ import annotations

from pathlib import Path

from tests.corpus.built import BUILT, built_file
from tests.corpus.fetch import real_file
from tests.corpus.model import CorpusFile, CorpusUnavailable
from tests.corpus.real import REAL

CORPUS: tuple[CorpusFile, ...] = REAL + BUILT

__all__ = ["CORPUS", "CorpusFile", "CorpusUnavailable", "by_id", "materialize", "select"]


def materialize(entry: CorpusFile) -> Path:
    """The file on disk: fetched and verified, or built."""
    return real_file(entry) if entry.source else built_file(entry)


def select(tag: str | None = None) -> list[CorpusFile]:
    return [entry for entry in CORPUS if tag is None or tag in entry.tags]


def by_id(ident: str) -> CorpusFile:
    return next(entry for entry in CORPUS if entry.id == ident)
