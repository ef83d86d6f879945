"""Automatic Persisted Queries, as Apollo's clients speak them.

A client first sends only ``extensions.persistedQuery.sha256Hash``; an unknown hash is
answered ``PERSISTED_QUERY_NOT_FOUND``, and the client retries with the query and the
hash, which registers it. Later requests, GETs included, then carry 64 hex digits
instead of the whole document, which keeps GET URLs short enough for CDNs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from graph.caching.store import Store

_HEX = frozenset("0123456789abcdef")


class PersistedQueryNotFound(Exception):  # noqa: N818 - Apollo's name for the answer
    """The hash names no query this server knows; the client should send the text."""


class PersistedQueryError(ValueError):
    """The ``persistedQuery`` extension is not what the protocol says; the message says why."""


class PersistedQueries:
    """Resolve and register persisted queries in a store.

    Args:
        store: Where registered queries live (shared in Redis with several workers).
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    async def resolve(self, query: str | None, extensions: Mapping[str, Any] | None) -> str | None:
        """The query text for a request.

        Returns the request's own query when it carries no ``persistedQuery``, or when
        it carries the query with its hash: that registers it, but only once the
        endpoint has checked the query (``register``), so nobody can fill the store
        with text that would never run.

        Raises:
            PersistedQueryNotFound: Only a hash was sent, and it is unknown.
            PersistedQueryError: A malformed extension, or a hash that does not
                match the query sent.
        """
        if extensions is None or "persistedQuery" not in extensions:
            return query
        # Present but null is malformed too: ignoring it would answer a request whose
        # client believes it speaks the protocol, and hide the client's bug.
        sha256 = _checked_hash(extensions["persistedQuery"])
        if query is None:
            stored = await self._store.get(sha256)
            if stored is None:
                raise PersistedQueryNotFound(sha256)
            return stored.decode("utf-8")
        if hashlib.sha256(query.encode("utf-8")).hexdigest() != sha256:
            msg = "The persistedQuery.sha256Hash is not the SHA-256 of the query sent."
            raise PersistedQueryError(msg)
        return query

    async def register(self, query: str, extensions: Mapping[str, Any] | None) -> None:
        """Keep a checked query under its hash, when the request asked to persist it."""
        if extensions is None or "persistedQuery" not in extensions:
            return
        sha256 = _checked_hash(extensions["persistedQuery"])
        if await self._store.get(sha256) is None:
            await self._store.set(sha256, query.encode("utf-8"))


def _checked_hash(persisted: object) -> str:
    if not isinstance(persisted, Mapping):
        msg = "extensions.persistedQuery must be an object."
        raise PersistedQueryError(msg)
    if persisted.get("version") != 1:
        msg = "Only version 1 of persisted queries is supported."
        raise PersistedQueryError(msg)
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or len(sha256) != 64 or not set(sha256) <= _HEX:
        msg = "extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits."
        raise PersistedQueryError(msg)
    return sha256


__all__ = ["PersistedQueries", "PersistedQueryError", "PersistedQueryNotFound"]
