"""What makes a PDF object active content, judged by the object itself: an action by its
``/S``, an annotation by its ``/Subtype``, a stream by its own dictionary, a key by the
dictionary that holds it. A name out of its place means nothing: ``/Screen`` as a blend mode
(``/BM /Screen``) is not a screen annotation.

Every rule reads only the dictionary in hand, so the verdict does not depend on the path by
which a walk reached it. Pure functions, no Flask and no parser: values come in as plain
Python (names as ``"/Name"`` strings, strings as bytes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote

# Action types (/S), what each means for the attorney, and the keys of which it needs one to do
# anything: a structure element whose style happens to be called "Sound" (/S /Sound, no /Sound
# key) is no action, while an action cannot work without its key.
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "/JavaScript": ("javascript", ("/JS",)),
    "/Launch": ("launch_action", ("/F", "/Win", "/Mac", "/Unix")),
    "/GoToR": ("launch_action", ("/F",)),  # go to another file
    "/GoToE": ("launch_action", ("/D", "/F", "/T")),  # go to an embedded or remote file
    "/SubmitForm": ("form_action", ("/F",)),
    "/ImportData": ("form_action", ("/F",)),
    "/Rendition": ("rich_media", ("/R", "/AN", "/JS")),
    "/Movie": ("rich_media", ("/Annotation", "/T")),
    "/Sound": ("rich_media", ("/Sound",)),
    "/RichMediaExecute": ("rich_media", ("/TA", "/TI", "/CMD")),
    "/GoTo3DView": ("three_d", ("/TA", "/V")),
}
# Annotation subtypes.
ANNOTATIONS: dict[str, str] = {
    "/FileAttachment": "embedded_file",
    "/Sound": "rich_media",
    "/Movie": "rich_media",
    "/Screen": "rich_media",
    "/RichMedia": "rich_media",
    "/3D": "three_d",
}
# Object types.
TYPES: dict[str, str] = {
    "/EmbeddedFile": "embedded_file",
    "/3D": "three_d",
    "/Sound": "rich_media",
}
# Keys that mean active content in whatever dictionary holds them.
KEYS: dict[str, str] = {
    "/JS": "javascript",  # the script of a JavaScript or rendition action
    "/JavaScript": "javascript",  # document-level scripts in the names dictionary
    "/OnInstantiate": "javascript",  # the script of a 3D stream
    "/EmbeddedFiles": "embedded_file",  # attachments in the names dictionary
    "/EF": "embedded_file",  # a file specification with the file inside
    "/RichMediaContent": "rich_media",
    "/3DD": "three_d",
}
# A stream whose data lives in another file: /F (and its filters) on the stream dictionary.
EXTERNAL_STREAM_KEYS = ("/F", "/FFilter", "/FDecodeParms")

# Web pages and e-mail; ftp too, which decades of documentation link to and which only
# fetches a file the way a web link does; tel (letterheads) and doi (citations), which open
# nothing on a computer but a dialler or a resolver.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel", "doi"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# What a mailto link may ask of a mail program; some honour "attach=" with a local file.
MAILTO_FIELDS = frozenset({"to", "cc", "bcc", "subject", "body", "in-reply-to"})
# What a text_of callback answers for a value that is there but is no string (a stream).
NOT_TEXT = "\x00"
_EDGES = "".join(chr(c) for c in range(33))
_INSIDE = str.maketrans("", "", "\t\r\n")

Finding = tuple[str, dict[str, Any]]


def unsafe_uri(uri: str) -> bool:
    """True for a link that does more than open a web page or an e-mail: ``javascript:``,
    ``file:``, ``data:`` and every other scheme, a Windows share (``\\\\server\\share``), an
    absolute path or one that climbs out of its folder (``../``). A link without a scheme
    (``www.uscis.gov``, ``name@firm.example``, a page beside the document) is left alone."""
    # As browsers read a URL: tabs and line breaks go wherever they are, spaces and control
    # characters at either end. Any control character left (or a link that is no text) is
    # refused: no producer writes one, and readers differ on what it means.
    if uri == NOT_TEXT:
        return True
    text = uri.translate(_INSIDE).strip(_EDGES)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return True
    scheme = _SCHEME.match(text)
    if scheme:
        name = scheme.group(1).lower()
        if name == "mailto" and "?" in text:
            fields = (part.split("=", 1)[0] for part in text.split("?", 1)[1].split("&"))
            return any(unquote(field).strip().lower() not in MAILTO_FIELDS for field in fields)
        return name not in SAFE_SCHEMES
    path = text.split("?", 1)[0].split("#", 1)[0]
    return path.startswith("/") or "\\" in path or ".." in path.split("/")


def judge(
    entries: Mapping[str, Any],
    is_stream: bool,
    name_of: Callable[[Any], str | None],
    text_of: Callable[[Any], str | None],
) -> list[Finding]:
    """The findings of one dictionary. ``entries`` maps names (as strings) to values;
    ``name_of`` and ``text_of`` turn a value into a name or a text, else None (they resolve
    references: a name kept in an object of its own counts as much as one written in place)."""
    found: list[Finding] = []
    action = name_of(entries.get("/S"))
    if action is not None:
        code, needs = ACTIONS.get(action, ("", ()))
        if code and any(key in entries for key in needs):
            found.append((code, {}))
        elif action == "/URI":
            uri = text_of(entries.get("/URI"))
            if uri is not None and unsafe_uri(uri):
                found.append(("unsafe_link", {"link": _shown(uri)}))
        elif action in {"/GoTo", "/Thread"} and "/F" in entries:
            found.append(("launch_action", {}))  # a destination or article in another file
    # The catalog's /URI dictionary: a /Base that relative links are resolved against.
    base = text_of(entries.get("/Base"))
    if base is not None and base.strip() and unsafe_uri(base):
        found.append(("unsafe_link", {"link": _shown(base)}))
    subtype = name_of(entries.get("/Subtype"))
    if subtype in ANNOTATIONS:
        found.append((ANNOTATIONS[subtype], {}))
    kind = name_of(entries.get("/Type"))
    if kind in TYPES:
        found.append((TYPES[kind], {}))
    found += [(code, {}) for key, code in KEYS.items() if key in entries]
    if is_stream and any(key in entries for key in EXTERNAL_STREAM_KEYS):
        found.append(("external_stream", {}))
    return found


def _shown(uri: str) -> str:
    """The start of a link, printable, for the attorney to find it."""
    if uri == NOT_TEXT:
        return "a link address that is not text"
    text = "".join(ch for ch in uri if ch.isprintable()).strip()
    return text[:60] + ("…" if len(text) > 60 else "")
