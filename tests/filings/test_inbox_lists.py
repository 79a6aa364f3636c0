"""The office inbox for many filings: keyset pages, sorts, views, counts, searches."""

from __future__ import annotations

import re

from tests.filings.inbox_data import add_filings, hearing  # noqa: F401

_ROW = re.compile(r'href="/staff/filings/([0-9a-f-]{36})\?list=')
_NEXT = re.compile(r'id="inbox-next"|href="([^"]+)"[^>]*id="inbox-next"')


def _ids(page: str) -> list[str]:
    return _ROW.findall(page)


def _link(page: str, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" class="[^"]*" rel="{rel}"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_smoke(app, staff_client, make_attorney):
    make_attorney()
    add_filings(app, 3)
    page = staff_client.get("/staff/inbox?view=all")
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert len(_ids(text)) == 3
