"""The cross-reference chain of a PDF, read from the raw bytes before any parser trusts it:
each section's trailer (a classic ``trailer`` dictionary or a cross-reference stream's
dictionary), followed from ``startxref`` through every ``/Prev``.

It answers three questions no parser should be asked to repair: does the chain loop, is it
absurdly long, and does any trailer say the file is encrypted. Pure functions, no Flask.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass, field
from typing import Any, BinaryIO

TAIL = 4096
MAX_SECTIONS = 1000
_DELIMITERS = b"()<>[]{}/%"
_WHITESPACE = b" \t\n\r\f\x00"
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_LINE_END = re.compile(rb"[\r\n]")


@dataclass
class Chain:
    offsets: list[int] = field(default_factory=list)
    cycle: bool = False
    too_long: bool = False
    encrypted: bool = False
    # (offset of a classic table, offset of the cross-reference stream its /XRefStm names)
    hybrids: list[tuple[int, int]] = field(default_factory=list)


def _name(raw: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def top_level_entries(data: Any, start: int) -> dict[bytes, bytes]:
    """The top-level ``/Key value`` pairs of the dictionary opening at ``data[start]`` (values
    as their first token; nested containers as b"<<", b"[", b"(")."""
    entries: dict[bytes, bytes] = {}
    depth, i, key = 0, start, None
    tokens: list[bytes] = []
    while i < len(data):
        ch = data[i : i + 1]
        if ch in b"\x00\t\n\r\f ":
            i += 1
            continue
        if data[i : i + 2] == b"<<" or ch == b"[":
            depth += 1
            if depth > 1:
                tokens.append(b"<<" if ch == b"<" else b"[")
            i += 2 if ch == b"<" else 1
        elif data[i : i + 2] == b">>" or ch == b"]":
            depth -= 1
            i += 2 if ch == b">" else 1
            if depth == 0:
                break
        elif ch == b"(":  # a literal string: balanced parentheses, backslash escapes
            nest, i = 1, i + 1
            while i < len(data) and nest:
                c = data[i : i + 1]
                i += 2 if c == b"\\" else 1
                nest += 1 if c == b"(" else -1 if c == b")" else 0
            tokens.append(b"(")
        elif ch == b"<":
            end = data.find(b">", i)
            i = len(data) if end == -1 else end + 1
            tokens.append(b"<")
        elif ch == b"%":
            end = _LINE_END.search(data, i)
            i = len(data) if end is None else end.end()
        else:
            j = i + 1
            while j < len(data) and data[j] not in _DELIMITERS + _WHITESPACE:
                j += 1
            tokens.append(data[i:j])
            i = j
        if depth == 1 and tokens:
            token = tokens[0]
            if key is None:
                key = _name(token) if token.startswith(b"/") else None
                tokens.clear()
            elif len(tokens) >= 1:
                entries[key] = token
                key = None
                tokens.clear()
        elif depth == 0:
            break
    return entries


def _section_dictionary(data: Any, offset: int) -> dict[bytes, bytes] | None:
    """The trailer dictionary of the cross-reference section at ``offset``, if one is there."""
    at = offset
    while at < len(data) and data[at] in _WHITESPACE:
        at += 1
    if data[at : at + 4] == b"xref":
        # Entries are digits, spaces, 'f' and 'n': the first 'trailer' is this section's.
        trailer = data.find(b"trailer", at)
        opening = data.find(b"<<", trailer) if trailer != -1 else -1
    else:
        header = re.compile(rb"\d+\s+\d+\s+obj\s*").match(data, at)
        opening = header.end() if header else -1
    if opening == -1 or data[opening : opening + 2] != b"<<":
        return None
    return top_level_entries(data, opening)


_ENTRY = re.compile(rb"(\d{10})[ ](\d{5})[ ]([nf])|(\d+)[ ]+(\d+)[ \t]*[\r\n]")


def table_in_use(data: Any, offset: int) -> dict[int, int]:
    """The objects a classic cross-reference table at ``offset`` lists in use, with offsets."""
    start = data.find(b"xref", offset)
    end = data.find(b"trailer", start)
    if start == -1 or end == -1:
        return {}
    in_use: dict[int, int] = {}
    number = 0
    for match in _ENTRY.finditer(data[start + 4 : end]):
        if match.group(4) is not None:  # a subsection: first object number, count
            number = int(match.group(4))
            continue
        if match.group(3) == b"n":
            in_use[number] = int(match.group(1))
        number += 1
    return in_use


def _int(value: bytes | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def read_chain(stream: BinaryIO) -> Chain:
    """Follow the chain from the last ``startxref``; a section seen twice is a cycle."""
    try:
        data: Any = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (AttributeError, OSError, ValueError):  # not a real file: read it
        stream.seek(0)
        data = stream.read()
        stream.seek(0)
    try:
        return _follow(data)
    finally:
        if isinstance(data, mmap.mmap):
            data.close()


def _follow(data: Any) -> Chain:
    chain = Chain()
    found = re.findall(rb"startxref\s+(\d+)", data[-TAIL:])
    offset = int(found[-1]) if found else None
    while offset is not None:
        if offset in chain.offsets:
            chain.cycle = True
            break
        if len(chain.offsets) >= MAX_SECTIONS:
            chain.too_long = True
            break
        chain.offsets.append(offset)
        entries = _section_dictionary(data, offset)
        if entries is None:
            break  # not where the parsers will look either: they name the damage
        chain.encrypted = chain.encrypted or b"/Encrypt" in entries
        hybrid = _int(entries.get(b"/XRefStm"))
        if hybrid is not None:
            chain.hybrids.append((offset, hybrid))
            stream_entries = _section_dictionary(data, hybrid)
            chain.encrypted |= bool(stream_entries and b"/Encrypt" in stream_entries)
        offset = _int(entries.get(b"/Prev"))
    return chain
