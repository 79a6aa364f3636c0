"""How many bytes a PDF stream expands to through its general-purpose filters, measured as the
bytes stream out and never holding a decoded stream whole.

The decompression-bomb limit is about the general-purpose filters (Flate, LZW, RunLength,
ASCII85, ASCIIHex): a few kilobytes of them can unpack to gigabytes. Image codecs (JBIG2, CCITT
fax, JPEG, JPEG 2000) are left encoded: decoding pixels says nothing about safety, and their
output is bounded by the image's declared size. Pure functions, no Flask.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Callable, Iterable, Iterator

CHUNK = 1024 * 1024

# Filters whose output we measure, by their full and abbreviated (inline image) names.
GENERAL = {
    "/FlateDecode": "flate",
    "/Fl": "flate",
    "/LZWDecode": "lzw",
    "/LZW": "lzw",
    "/RunLengthDecode": "runlength",
    "/RL": "runlength",
    "/ASCII85Decode": "a85",
    "/A85": "a85",
    "/ASCIIHexDecode": "hex",
    "/AHx": "hex",
}
# The Crypt filter: with no /Encrypt (an encrypted file is refused) it can only be Identity.
PASS_THROUGH = frozenset({"/Crypt"})
# Image codecs: measuring stops here, the stream is not decoded further.
IMAGE_CODECS = frozenset(
    {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"}
)

_WHITESPACE = b" \t\n\r\f\x00"


class TooMuchData(Exception):
    """The decoded bytes went over the budget."""


class Undecodable(Exception):
    """A general-purpose filter met data it cannot decode."""


class UnreachableFilter(Exception):
    """A general-purpose filter after one no reader decodes first: data nobody can measure."""


def _flate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    try:
        for chunk in chunks:
            data = chunk
            while data:
                # max_length bounds what one call may produce, so a bomb streams out in slices.
                out = inflater.decompress(data, CHUNK)
                if out:
                    yield out
                data = inflater.unconsumed_tail
            if inflater.eof:
                return
        while tail := inflater.flush(CHUNK):
            yield tail
            if len(tail) < CHUNK:
                return
    except zlib.error as exc:
        raise Undecodable(f"Flate data is damaged ({exc})") from None


def _hex(chunks: Iterable[bytes]) -> Iterator[bytes]:
    pending = b""
    for chunk in chunks:
        text = chunk.translate(None, _WHITESPACE)
        end = text.find(b">")
        if end != -1:
            text = text[:end]
        text = pending + text
        if end != -1 and len(text) % 2:
            text += b"0"  # an odd last digit is followed by an implicit 0
        usable = len(text) - len(text) % 2
        pending = text[usable:]
        try:
            yield bytes.fromhex(text[:usable].decode("ascii"))
        except (ValueError, UnicodeDecodeError):
            raise Undecodable("ASCIIHex data holds characters that are not hex digits") from None
        if end != -1:
            return


def _a85(chunks: Iterable[bytes]) -> Iterator[bytes]:
    pending = b""
    for chunk in chunks:
        text = chunk.translate(None, _WHITESPACE)
        end = text.find(b"~")
        if end != -1:
            text = text[:end]
        text = pending + text
        # 'z' stands for four zero bytes and never sits inside a group of five.
        parts = text.split(b"z")
        out = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            usable = len(part) if (not last or end != -1) else len(part) - len(part) % 5
            try:
                out.append(base64.a85decode(part[:usable]))
            except ValueError:
                raise Undecodable("ASCII85 data is damaged") from None
            if not last:
                out.append(b"\0\0\0\0")
            else:
                pending = part[usable:]
        yield b"".join(out)
        if end != -1:
            return


def _runlength(chunks: Iterable[bytes]) -> Iterator[bytes]:
    pending = b""
    for chunk in chunks:
        data = pending + chunk
        out = bytearray()
        i = 0
        while i < len(data):
            length = data[i]
            if length == 128:  # end of data
                yield bytes(out)
                return
            if length < 128:
                if i + 1 + length + 1 > len(data):
                    break
                out += data[i + 1 : i + 2 + length]
                i += 2 + length
            else:
                if i + 1 >= len(data):
                    break
                out += data[i + 1 : i + 2] * (257 - length)
                i += 2
            if len(out) >= CHUNK:
                yield bytes(out)
                out.clear()
        pending = data[i:]
        yield bytes(out)


def _lzw(chunks: Iterable[bytes], early_change: int = 1) -> Iterator[bytes]:
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width, bits, nbits = 9, 0, 0
    previous: bytes | None = None
    out = bytearray()
    for chunk in chunks:
        for byte in chunk:
            bits = (bits << 8) | byte
            nbits += 8
            while nbits >= width:
                nbits -= width
                code = (bits >> nbits) & ((1 << width) - 1)
                bits &= (1 << nbits) - 1
                if code == 256:  # clear table
                    del table[258:]
                    width, previous = 9, None
                    continue
                if code == 257:  # end of data
                    yield bytes(out)
                    return
                if code < len(table):
                    entry = table[code]
                elif code == len(table) and previous is not None:
                    entry = previous + previous[:1]
                else:
                    raise Undecodable("LZW data is damaged")
                out += entry
                if previous is not None and len(table) < 4096:
                    table.append(previous + entry[:1])
                previous = entry
                if len(table) + early_change >= (1 << width) and width < 12:
                    width += 1
            if len(out) >= CHUNK:
                yield bytes(out)
                out.clear()
    yield bytes(out)


DECODERS: dict[str, Callable[[Iterable[bytes]], Iterator[bytes]]] = {
    "flate": _flate,
    "lzw": _lzw,
    "runlength": _runlength,
    "a85": _a85,
    "hex": _hex,
}


def _pieces(raw: bytes) -> Iterator[bytes]:
    view = memoryview(raw)
    for start in range(0, len(raw), CHUNK):
        yield bytes(view[start : start + CHUNK])


class _Counter:
    """Bytes out of every stage of a filter chain, against one budget: a stage whose output the
    next one shrinks (megabytes of whitespace into ASCIIHex) is held by a reader all the same."""

    def __init__(self, budget: int) -> None:
        self.budget, self.total = budget, 0

    def count(self, stage: Iterable[bytes]) -> Iterator[bytes]:
        for piece in stage:
            self.total += len(piece)
            if self.total > self.budget:
                raise TooMuchData
            yield piece


def measure(
    raw: bytes,
    filters: list[str],
    budget: int,
    sink: Callable[[bytes], None] | None = None,
) -> int:
    """Decode ``raw`` through its general-purpose filters, counting the bytes that come out of
    every stage; stop at the first image codec. Raises TooMuchData past ``budget``, Undecodable
    on damaged data, UnreachableFilter for a general-purpose filter after an image codec or an
    unknown filter. ``sink`` sees each fully decoded piece (to look for text)."""
    counter = _Counter(budget)
    stream: Iterable[bytes] = _pieces(raw)
    stopped_at = None
    for name in filters:
        if name in PASS_THROUGH:
            continue
        kind = GENERAL.get(name)
        if stopped_at is not None:
            if kind is not None:
                raise UnreachableFilter(
                    f"a stream's {name[1:]} filter comes after {stopped_at[1:]}"
                )
            continue
        if kind is None:
            stopped_at = name  # an image codec (or a filter no reader knows): stop here
            continue
        stream = counter.count(DECODERS[kind](stream))
    for piece in stream:
        if sink is not None and stopped_at is None:
            sink(piece)
    return counter.total


# A text-showing operator (Tj, TJ, ' or ") after an operand: enough to say a page has text.
TEXT_OPERATOR = re.compile(rb"(?:\)|\]|>)\s*(?:Tj|TJ|'|\")")


def may_show_text(data: bytes) -> bool:
    """A cheap test before the regular expression (a bomb's megabytes of zeros have none)."""
    return b"Tj" in data or b"TJ" in data or b"'" in data or b'"' in data
