"""Documents refused once are refused again without being read again.

The document cache keeps only documents that passed, so that failures cannot crowd
it out; but then a refused document costs its full price on every resend, and the
expensive refusals (a validation bomb, a syntax error at the end of 60 KB) are the
ones an attacker resends. This remembers the refusal itself, under the SHA-256 of
the text (32 bytes a key, whatever the document's size), in an LRU of its own, so
that refusals cannot crowd out the documents that passed either. The LRU is bounded by
what its entries weigh (the caller says how: a parsed document weighs its estimated
memory, a limit's refusal a few hundred bytes), so distinct large refusals cannot fill
memory 1,024 at a time.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Generic, NamedTuple, TypeVar

from cachetools import LRUCache
from graphql import GraphQLError

from coopgraph.graph.limits.refusal import LimitExceeded

T = TypeVar("T")

#: What a refusal raises: a limit, or graphql-core's syntax error.
RAISED: tuple[type[Exception], ...] = (LimitExceeded, GraphQLError)


def _one(_text: str, _entry: object) -> int:
    return 1


class RefusedDocuments(Generic[T]):
    """Run a document's checks once; remember what refused it.

    Args:
        refused: Whether a result the checks returned is a refusal too (a parsed
            document with validation errors); those are remembered and returned.
        size: How much to remember, in ``weigh``'s unit; the least recently seen go
            first.
        weigh: What remembering a refusal of a text costs; by default one, so
            ``size`` counts refusals.
    """

    def __init__(
        self,
        *,
        refused: Callable[[T], bool],
        size: int = 1024,
        weigh: Callable[[str, T | Exception], int] = _one,
    ) -> None:
        self._refused = refused
        self._weigh = weigh
        self._entries: LRUCache[bytes, _Remembered[T]] = LRUCache(
            maxsize=size, getsizeof=_weight_of
        )
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
            self._remember(key, text, refusal)
            raise
        return self._outcome(key, text, result)

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
            self._remember(key, text, refusal)
            raise
        return self._outcome(key, text, result)

    def __len__(self) -> int:
        return len(self._entries)

    def _recall(self, text: str) -> tuple[bytes, T | None]:
        """The text's key and its remembered result; a remembered exception is raised."""
        key = hashlib.sha256(text.encode("utf-8")).digest()
        with self._lock:
            remembered = self._entries.get(key)
        entry = None if remembered is None else remembered.entry
        if isinstance(entry, Exception):
            # A fresh traceback each time: raising one object again would append
            # every request's frames to it.
            raise entry.with_traceback(None)
        return key, entry

    def _outcome(self, key: bytes, text: str, result: T) -> T:
        if self._refused(result):
            self._remember(key, text, result)
        return result

    def _remember(self, key: bytes, text: str, entry: T | Exception) -> None:
        if isinstance(entry, Exception):
            # The frames it was raised through hold the parser and its tokens.
            entry.with_traceback(None)
        remembered = _Remembered(self._weigh(text, entry), entry)
        # One over the whole bound would evict everything and still not fit.
        if remembered.weight <= self._entries.maxsize:
            with self._lock:
                self._entries[key] = remembered


class _Remembered(NamedTuple, Generic[T]):
    weight: int
    entry: T | Exception


def _weight_of(remembered: _Remembered[Any]) -> int:
    return remembered.weight


__all__ = ["RAISED", "RefusedDocuments"]
