"""Automatic Persisted Queries, as Apollo's clients speak them.

A client first sends only ``extensions.persistedQuery.sha256Hash``; an unknown hash is
answered ``PERSISTED_QUERY_NOT_FOUND``, and the client retries with the query and the
hash, which registers it. Later requests, GETs included, then carry 64 hex digits
instead of the whole document, which keeps GET URLs short enough for CDNs.

Registration is open to anyone, so it is bounded: 60 KB documents registered with
their right hashes, kept 30 days with no cap, grew Redis by 20 MB in 24 s until it was
full. A query longer than a URL would hold is answered but not kept, and each client
address and all clients together may register only so many per time-to-live, which
bounds what the store holds to twice the total cap (this window's and the last's).
Counts live in the same store under ``quota:`` keys, read and written with ``get``
and ``set`` alone; racing registrations can overshoot a cap by the requests in
flight, which a bound on memory tolerates.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from coopgraph.graph.caching.store import Store
from coopgraph.settings import Limits

log = logging.getLogger(__name__)
_DEFAULTS = Limits()
_HEX = frozenset("0123456789abcdef")


class PersistedQueryNotFound(Exception):  # noqa: N818 - Apollo's name for the answer
    """The hash names no query this server knows; the client should send the text."""


class PersistedQueryError(ValueError):
    """The ``persistedQuery`` extension is not what the protocol says; the message says why."""


class PersistedQueries:
    """Resolve and register persisted queries in a store.

    Args:
        store: Where registered queries live (shared in Redis with several workers);
            its time-to-live should be ``window``.
        max_bytes: The longest query kept, in UTF-8 bytes.
        per_client: Registrations one client may make per window.
        total: Registrations all clients may make per window.
        window: Seconds the counts run over: the store's time-to-live.
        clock: Seconds since the epoch; tests move it.
    """

    def __init__(
        self,
        store: Store,
        *,
        max_bytes: int = _DEFAULTS.max_persisted_bytes,
        per_client: int = _DEFAULTS.max_persisted_per_client,
        total: int = _DEFAULTS.max_persisted_total,
        window: int = _DEFAULTS.persisted_ttl,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._max_bytes = max_bytes
        self._per_client = per_client
        self._total = total
        self._window = window
        self._clock = clock

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

    async def register(
        self, query: str, extensions: Mapping[str, Any] | None, client: str | None = None
    ) -> bool:
        """Keep a checked query under its hash, when the request asked to persist it.

        A query over the size cap, or past a cap on registrations, is not kept: the
        request is answered all the same, and the client, finding the hash unknown
        next time, sends the text again, as the protocol provides.

        Args:
            query: The query text, checked by the endpoint.
            extensions: The request's extensions.
            client: Whose registration it is (an IP address); None is counted in
                the total only.

        Returns:
            Whether the query is now kept (True too when it already was).
        """
        if extensions is None or "persistedQuery" not in extensions:
            return False
        sha256 = _checked_hash(extensions["persistedQuery"])
        text = query.encode("utf-8")
        if len(text) > self._max_bytes:
            log.debug("persisted query of %d bytes not kept (cap %d)", len(text), self._max_bytes)
            return False
        if await self._store.get(sha256) is not None:
            return True
        window = int(self._clock() // self._window)
        counters = [(f"quota:{window}:total", self._total)]
        if client is not None:
            counters.append((f"quota:{window}:client:{client}", self._per_client))
        counts = [await self._count(key) for key, _cap in counters]
        if any(count >= cap for count, (_key, cap) in zip(counts, counters, strict=True)):
            log.info("persisted query not kept: registration cap reached this window")
            return False
        for count, (key, _cap) in zip(counts, counters, strict=True):
            await self._store.set(key, str(count + 1).encode("ascii"))
        await self._store.set(sha256, text)
        return True

    async def _count(self, key: str) -> int:
        stored = await self._store.get(key)
        return int(stored) if stored is not None and stored.isdigit() else 0


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
