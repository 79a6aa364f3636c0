"""URL converters for every route of the app: a path segment the database cannot hold matches
no route (404), rather than reaching the database and failing there (500)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

# The largest id a row can have: every id column is an ``integer``, 32 bits on PostgreSQL,
# which refuses a larger parameter for it (as psycopg refuses one past 64 bits). Raise this if
# an id column ever becomes a ``bigint``.
ID_MAX = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` within what an id column holds; a larger number names no row."""

    def to_python(self, value: str) -> Any:
        number = super().to_python(value)
        if not -ID_MAX - 1 <= number <= ID_MAX:
            raise ValidationError()
        return number


class PrintableConverter(UnicodeConverter):
    """The default converter, without control characters: PostgreSQL refuses a NUL in a text
    parameter, and no identifier, code or token of the app holds one."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]", 1)


def init_app(app: Flask) -> None:
    """Use the converters for every rule; call before any rule is added."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.url_map.converters["default"] = PrintableConverter
    app.url_map.converters["string"] = PrintableConverter
