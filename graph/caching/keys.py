"""Keys of cached answers: the request as sent, and the data it was answered from."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import orjson


def response_key(
    query: str,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    data_version: str,
) -> str:
    """A digest of everything an answer depends on.

    The query text is hashed as sent, so a cache hit needs no parsing; variables are
    serialised with sorted keys, so ``{"a":1,"b":2}`` and ``{"b":2,"a":1}`` share an
    answer. The data version makes answers of earlier data unreachable.
    """
    digest = hashlib.sha256()
    for part in (
        data_version.encode(),
        hashlib.sha256(query.encode()).digest(),
        (operation_name or "").encode(),
        orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS),
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


__all__ = ["response_key"]
