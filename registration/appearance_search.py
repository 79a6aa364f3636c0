"""Searching the E-28 appearance records: one box that takes an A-Number in any form, an EOIR
ID, a bar number or a name; newest first, in keyset pages."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select

from app import db
from registration.anumbers import ANumberError, normalise_a_number
from registration.identifiers import IdentifierError, normalise_bar_number, normalise_eoir_id
from registration.models import Appearance
from registration.names import name_key

PAGE_SIZE = 50
MAX_QUERY = 100


class SearchError(ValueError):
    """The search cannot be run; the message says why."""


@dataclass(frozen=True)
class Page:
    records: list[Appearance]
    next_before: int | None  # the id to continue from, when there are more


def conditions(query: str) -> list[ColumnElement[bool]]:
    """What ``query`` may mean, each as a condition; a record matching any is found."""
    text = " ".join(query.split())
    if not text:
        return []
    if len(text) > MAX_QUERY:
        raise SearchError(f"Search for at most {MAX_QUERY} characters.")
    found: list[ColumnElement[bool]] = []
    with contextlib.suppress(ANumberError):
        found.append(Appearance.a_number == normalise_a_number(text))
    try:
        eoir = normalise_eoir_id(text)
        if eoir:
            found.append(Appearance.eoir_id == eoir)
    except IdentifierError:
        pass
    try:
        bar = normalise_bar_number(text)
        if bar:
            found.append(Appearance.bar_number == bar)
    except IdentifierError:
        pass
    words = name_key(text).split()
    if words and any(ch.isalpha() for ch in text):
        found.append(and_(*(Appearance.name_key.contains(w, autoescape=True) for w in words)))
    return found


def search(query: str, before: int | None = None) -> Page:
    """A page of records matching ``query`` (all records when it is empty), newest first."""
    stmt = select(Appearance)
    if query.strip():
        found = conditions(query)
        if not found:
            raise SearchError("Search by A-Number, EOIR ID, bar number or the attorney's name.")
        stmt = stmt.where(or_(*found))
    if before is not None:
        stmt = stmt.where(Appearance.id < before)
    rows = list(db.session.scalars(stmt.order_by(Appearance.id.desc()).limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return Page(rows, rows[-1].id if more and rows else None)


def creators(records: list[Appearance]) -> dict[int, str]:
    """The names of the staff who added ``records`` by hand, by user id."""
    from app.users import User

    ids = {r.created_by_id for r in records if r.created_by_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())
