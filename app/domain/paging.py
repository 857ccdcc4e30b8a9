"""Cursors of the lists: the id the next page starts below, written as the service gave it out."""

from __future__ import annotations

import re

from app.domain.errors import Unprocessable

CURSOR_PATTERN = "^[0-9]{1,18}$"
_CURSOR = re.compile(CURSOR_PATTERN)


def encode_cursor(row_id: int) -> str:
    return str(row_id)


def decode_cursor(cursor: str | None) -> int | None:
    """The id a page starts below; a cursor the service never gave out is a 422 naming the fix."""
    if cursor is None:
        return None
    if not _CURSOR.match(cursor):
        raise Unprocessable(
            "cursor is not one this service gave out; pass next_cursor from the previous page unchanged",
            errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "cursor"}],
        )
    return int(cursor)
