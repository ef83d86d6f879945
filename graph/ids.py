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

from graph.errors import BadUserInput


def _encode(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _decode(value: str, what: str) -> str:
    try:
        padded = value + "=" * (-len(value) % 4)
        return base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=False).decode(
            "utf-8"
        )
    except (binascii.Error, UnicodeError, ValueError):
        msg = f"{value!r} is not a valid {what}"
        raise BadUserInput(msg) from None


def to_global_id(type_name: str, key: str | int) -> str:
    return _encode(f"{type_name}:{key}")


def from_global_id(value: str) -> tuple[str, str]:
    """Split a global ID into its type name and natural key."""
    type_name, separator, key = _decode(value, "ID").partition(":")
    if not separator or not type_name or not key:
        msg = f"{value!r} is not a valid ID: IDs come from the API's id fields"
        raise BadUserInput(msg)
    return type_name, key


def expect_global_id(value: str, type_name: str, argument: str) -> str:
    """The natural key of an ID that must be of ``type_name``, for filter arguments."""
    found, key = from_global_id(value)
    if found != type_name:
        msg = f"{argument} expects a {type_name} ID, but {value!r} is a {found} ID"
        raise BadUserInput(msg)
    return key


def to_cursor(type_name: str, position: int) -> str:
    return _encode(f"{type_name}@{position}")


def from_cursor(value: str, type_name: str) -> int:
    """The position a cursor of this connection points at."""
    found, separator, position = _decode(value, "cursor").partition("@")
    if not separator or found != type_name or not position.isdigit():
        msg = f"{value!r} is not a cursor of this connection ({type_name})"
        raise BadUserInput(msg)
    return int(position)
