"""Checks of argument values: page sizes and text.

Shared by the root fields and compiled execution, so it imports nothing of Strawberry:
both refuse the same values with the same messages.
"""

from __future__ import annotations

from coopgraph.graph.errors import BadUserInput
from coopgraph.graph.ids import NUL

MAX_PAGE = 100
DEFAULT_PAGE = 50


def check_first(first: int | None, *, limit: int = MAX_PAGE) -> int:
    """Refuse a page size outside 1..limit instead of capping it silently.

    An explicit null means the default page size: the contract declares ``first`` as a
    nullable Int with a default, so null must stay a valid value.
    """
    if first is None:
        return DEFAULT_PAGE
    if not 1 <= first <= limit:
        msg = f"first must be between 1 and {limit}, got {first}"
        raise BadUserInput(msg)
    return first


#: Names run to a few dozen characters; longer text cannot match one, and SQLite
#: refuses LIKE patterns past 50,000 bytes with an error rather than no match.
MAX_TEXT_LENGTH = 200


def check_text(value: str | None, argument: str) -> str | None:
    """Refuse text no name in the data can match: too long, or with a NUL character.

    PostgreSQL text cannot hold NUL and fails the whole statement on a parameter
    with one; refusing both here makes them the client's errors they are, on every
    backend.
    """
    if value is None:
        return None
    if NUL in value:
        msg = f"{argument} contains the character U+0000 (NUL), which no name can contain"
        raise BadUserInput(msg)
    if len(value) > MAX_TEXT_LENGTH:
        msg = (
            f"{argument} is {len(value)} characters long; the most is {MAX_TEXT_LENGTH}"
            " (the longest name in the data has under 100)"
        )
        raise BadUserInput(msg)
    return value
