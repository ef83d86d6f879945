"""The hand-written endpoint must answer exactly what the server answers, byte for byte.

The server adds ``extensions`` (the query's estimated cost) after ``data``; the baseline
has no GraphQL and no cost to report, so the bytes compared are those of ``data``: the
server's body must be ``{"data":`` + the baseline's data + either ``}`` or
``,"extensions":…``. Any other difference, even one of key order or number format, is
a failure, and it stops the benchmark: a ratio to a baseline that answers something
else means nothing.
"""

from __future__ import annotations

from typing import Any

import orjson

_DATA = b'{"data":'


class BaselineMismatchError(AssertionError):
    """The hand-written endpoint's answer differs from the server's."""


def refusal(server_body: bytes) -> str | None:
    """Why the server answered with errors instead of data (the cost limit at x1000), or None."""
    answer: dict[str, Any] = orjson.loads(server_body)
    errors = answer.get("errors")
    if not errors:
        return None
    first = errors[0]
    code = (first.get("extensions") or {}).get("code", "error")
    return f"{code}: {first.get('message', '')}"


def check_same_data(query: str, server_body: bytes, baseline_body: bytes) -> None:
    """Raise unless the two bodies carry the same ``data`` bytes."""
    if not (baseline_body.startswith(_DATA) and baseline_body.endswith(b"}")):
        msg = f'{query}: the hand-written answer is not {{"data": ...}}: {baseline_body[:80]!r}'
        raise BaselineMismatchError(msg)
    expected = baseline_body[:-1]
    rest = server_body[len(expected) :]
    if server_body.startswith(expected) and (rest == b"}" or rest.startswith(b',"extensions":')):
        return
    at = next(
        (i for i, (a, b) in enumerate(zip(server_body, expected, strict=False)) if a != b),
        min(len(server_body), len(expected)),
    )
    msg = (
        f"{query}: the hand-written answer differs from the server's at byte {at}:\n"
        f"  server:       {server_body[max(0, at - 80) : at + 80].decode(errors='replace')}\n"
        f"  hand-written: {expected[max(0, at - 80) : at + 80].decode(errors='replace')}"
    )
    raise BaselineMismatchError(msg)
