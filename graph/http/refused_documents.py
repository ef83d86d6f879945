"""Documents refused once are refused again without being read again.

The document cache keeps only documents that passed, so that failures cannot crowd
it out; but then a refused document costs its full price on every resend, and the
expensive refusals (a validation bomb, a syntax error at the end of 60 KB) are the
ones an attacker resends. This remembers the refusal itself, under the SHA-256 of
the text (32 bytes a key, whatever the document's size), in a bounded LRU of its
own, so that refusals cannot crowd out the documents that passed either.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from cachetools import LRUCache
from graphql import GraphQLError

from coopgraph.graph.limits.refusal import LimitExceeded

T = TypeVar("T")

#: What a refusal raises: a limit, or graphql-core's syntax error.
RAISED: tuple[type[Exception], ...] = (LimitExceeded, GraphQLError)


class RefusedDocuments(Generic[T]):
    """Run a document's checks once; remember what refused it.

    Args:
        refused: Whether a result the checks returned is a refusal too (a parsed
            document with validation errors); those are remembered and returned.
        size: How many refusals to remember; the least recently seen go first.
    """

    def __init__(self, *, refused: Callable[[T], bool], size: int = 1024) -> None:
        self._refused = refused
        self._entries: LRUCache[bytes, T | Exception] = LRUCache(maxsize=size)
        # The checks may run in worker threads; the LRU's moves must not interleave.
        self._lock = threading.Lock()

    def check(self, text: str, checks: Callable[[str], T]) -> T:
        """``checks(text)``, or the refusal remembered from the last time.

        Raises:
            LimitExceeded: A limit refused the text, now or before.
            GraphQLError: The text did not parse, now or before.
        """
        key, remembered = self._recall(text)
        if remembered is not None:
            return remembered
        try:
            result = checks(text)
        except RAISED as refusal:
            self._remember(key, refusal)
            raise
        return self._outcome(key, result)

    async def check_async(self, text: str, checks: Callable[[str], Awaitable[T]]) -> T:
        """``await checks(text)``, or the remembered refusal, looked up before awaiting.

        For checks that run in a worker thread: a resent refusal is answered on the
        event loop from memory, without waiting for a thread.

        Raises:
            LimitExceeded: A limit refused the text, now or before.
            GraphQLError: The text did not parse, now or before.
        """
        key, remembered = self._recall(text)
        if remembered is not None:
            return remembered
        try:
            result = await checks(text)
        except RAISED as refusal:
            self._remember(key, refusal)
            raise
        return self._outcome(key, result)

    def __len__(self) -> int:
        return len(self._entries)

    def _recall(self, text: str) -> tuple[bytes, T | None]:
        """The text's key and its remembered result; a remembered exception is raised."""
        key = hashlib.sha256(text.encode("utf-8")).digest()
        with self._lock:
            entry = self._entries.get(key)
        if isinstance(entry, Exception):
            # A fresh traceback each time: raising one object again would append
            # every request's frames to it.
            raise entry.with_traceback(None)
        return key, entry

    def _outcome(self, key: bytes, result: T) -> T:
        if self._refused(result):
            self._remember(key, result)
        return result

    def _remember(self, key: bytes, entry: T | Exception) -> None:
        with self._lock:
            self._entries[key] = entry


__all__ = ["RAISED", "RefusedDocuments"]
