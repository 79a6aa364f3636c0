"""What a notice attaches, made when it is sent: a notice names its attachment
(``"<kind>:<argument>"``, e.g. ``notice_of_service:<filing id>``) and the package that knows
that kind registers a maker for it, so app/ imports nothing of theirs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    maintype: str  # "application"
    subtype: str  # "pdf"
    data: bytes


Maker = Callable[[str], Attachment]
_MAKERS: dict[str, Maker] = {}


class UnknownAttachment(LookupError):
    """A notice names an attachment no package makes."""


def register(kind: str, maker: Maker) -> None:
    """Make attachments named ``<kind>:<argument>`` with ``maker(argument)``."""
    _MAKERS[kind] = maker


def make(name: str) -> Attachment:
    kind, _, argument = name.partition(":")
    maker = _MAKERS.get(kind)
    if maker is None:
        raise UnknownAttachment(name)
    return maker(argument)
