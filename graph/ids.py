"""Global object IDs and connection cursors.

A global ID is ``base64("Type:natural key")``: the natural key (ISO code, slug, year)
makes it stable across re-seeding, and the type name lets ``node(id:)`` find the row
without a lookup table. A cursor is ``base64("Type@position")``; it is opaque to
clients, and carrying the entity type lets a cursor of another connection be refused
with a clear error instead of paging somewhere arbitrary.
"""

from __future__ import annotations

import base64
import binascii

from coopgraph.graph.errors import BadUserInput


def quote_input(value: str) -> str:
    """The value for an error message, cut short: a client may send megabytes."""
    return repr(value if len(value) <= 60 else value[:57] + "...")


NUL = "\x00"


def _encode(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _decode(value: str, what: str) -> str:
    try:
        padded = value + "=" * (-len(value) % 4)
        text = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=False).decode(
            "utf-8"
        )
    except (binascii.Error, UnicodeError, ValueError):
        text = None
    # PostgreSQL text cannot hold NUL and refuses a parameter with one; no key of
    # ours has one, so such an ID is malformed rather than a database failure.
    if text is None or NUL in text:
        msg = f"{quote_input(value)} is not a valid {what}"
        raise BadUserInput(msg)
    return text


#: Positions and years are INTEGER columns: PostgreSQL refuses a parameter past a
#: signed 32-bit integer (the bind is cast to the column's type), so a larger
#: number could only fail the statement; it is not a number of ours.
_MAX_NUMBER = 2**31 - 1
_MAX_DIGITS = len(str(_MAX_NUMBER))


def parse_number(text: str) -> int | None:
    """A non-negative integer written in ASCII digits, or None.

    ``str.isdigit`` also accepts superscripts and other scripts' digits, which
    ``int`` then refuses or reads as another number; IDs and cursors are ours and
    only ever carry ASCII digits.
    """
    if not text or len(text) > _MAX_DIGITS or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= _MAX_NUMBER else None


def to_global_id(type_name: str, key: str | int) -> str:
    return _encode(f"{type_name}:{key}")


def from_global_id(value: str) -> tuple[str, str]:
    """Split a global ID into its type name and natural key."""
    type_name, separator, key = _decode(value, "ID").partition(":")
    if not separator or not type_name or not key:
        msg = f"{quote_input(value)} is not a valid ID: IDs come from the API's id fields"
        raise BadUserInput(msg)
    return type_name, key


def expect_global_id(value: str, type_name: str, argument: str) -> str:
    """The natural key of an ID that must be of ``type_name``, for filter arguments."""
    found, key = from_global_id(value)
    if found != type_name:
        msg = f"{argument} expects a {type_name} ID, but {quote_input(value)} is a {found} ID"
        raise BadUserInput(msg)
    return key


def to_cursor(type_name: str, position: int) -> str:
    return _encode(f"{type_name}@{position}")


def from_cursor(value: str, type_name: str) -> int:
    """The position a cursor of this connection points at."""
    found, separator, position = _decode(value, "cursor").partition("@")
    number = parse_number(position)
    if not separator or found != type_name or number is None:
        msg = f"{quote_input(value)} is not a cursor of this connection ({type_name})"
        raise BadUserInput(msg)
    return number
