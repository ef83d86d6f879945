"""Documents refused once are refused again without being read again.

The document cache keeps only documents that passed, so that failures cannot crowd
it out; but then a refused document costs its full price on every resend, and the
expensive refusals (a validation bomb, a syntax error at the end of 60 KB) are the
ones an attacker resends. This remembers the refusal itself, under the SHA-256 of
the text (32 bytes a key, whatever the document's size), in an LRU of its own, so
that refusals cannot crowd out the documents that passed either. The LRU is bounded by
what its entries weigh (the caller says how much a compacted refusal holds; a limit's
refusal or a syntax error weighs its message), not by their number.

What is remembered is only what the answer needs: a limit's code and figures, an
error's message, locations and extensions. An exception, or a validation error, holds
the parsed document (through its nodes, its source, or the frames of its traceback):
a few hundred KB each, and a thousand of them made full garbage collections stall
the server for seconds. A refusal is rebuilt, as a new exception, on every recall.

The checks remember their refusal where they run, in the worker thread: a request
that gives up at its deadline leaves the analysis running, and its refusal is then
still remembered, so resending the document costs nothing.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from cachetools import LRUCache
from graphql import GraphQLError, GraphQLSyntaxError, SourceLocation

from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.limits.footprint import ENTRY_BYTES
from coopgraph.graph.limits.refusal import LimitExceeded

T = TypeVar("T")

#: What a refusal raises: a limit, or graphql-core's syntax error.
RAISED: tuple[type[Exception], ...] = (LimitExceeded, GraphQLError)


def detached(error: GraphQLError) -> GraphQLError:
    """``error`` as its answer shows it, holding nothing of the document it was found in."""
    copy = GraphQLError(error.message, extensions=error.extensions)
    copy.locations = error.locations
    return copy


class _RememberedSyntaxError(GraphQLSyntaxError):
    """A syntax error rebuilt from its message and location, without the source text.

    A ``GraphQLSyntaxError``, so callers handle it as they handle a fresh one.
    """

    def __init__(self, message: str, locations: list[SourceLocation] | None) -> None:
        # Skips GraphQLSyntaxError's constructor, which needs the whole source to
        # compute the location that is already known.
        GraphQLError.__init__(self, message)
        self.locations = locations


@dataclass(frozen=True, slots=True)
class _Refusal:
    """What a refused document's answer needs, and how to raise it again."""

    kind: type[Exception]
    message: str
    code: ErrorCode | None = None
    measured: int = 0
    limit: int = 0
    locations: list[SourceLocation] | None = None

    @classmethod
    def of(cls, error: Exception) -> _Refusal:
        if isinstance(error, LimitExceeded):
            return cls(LimitExceeded, error.message, error.code, error.measured, error.limit)
        assert isinstance(error, GraphQLError)  # noqa: S101 - RAISED holds the two
        return cls(type(error), error.message, locations=error.locations)

    @property
    def weight(self) -> int:
        return ENTRY_BYTES + 2 * len(self.message)

    def exception(self) -> Exception:
        if self.kind is LimitExceeded:
            assert self.code is not None  # noqa: S101 - set for every limit
            return LimitExceeded(self.code, self.message, measured=self.measured, limit=self.limit)
        if issubclass(self.kind, GraphQLSyntaxError):
            return _RememberedSyntaxError(self.message, self.locations)
        error = GraphQLError(self.message)
        error.locations = self.locations
        return error


class RefusedDocuments(Generic[T]):
    """Run a document's checks once; remember what refused it.

    Args:
        refused: Whether a result the checks returned is a refusal too (a parsed
            document with validation errors); those are remembered and returned.
        compact: What of such a result to keep: it must hold nothing of the document
            but what the answer needs (see ``detached``).
        size: How many bytes of refusals to remember; the least recently seen go first.
        weigh: The bytes a compacted result holds.
    """

    def __init__(
        self,
        *,
        refused: Callable[[T], bool],
        compact: Callable[[T], T] = lambda result: result,
        size: int = 1024 * ENTRY_BYTES,
        weigh: Callable[[T], int] = lambda _result: ENTRY_BYTES,
    ) -> None:
        self._refused = refused
        self._compact = compact
        self._weigh = weigh
        self._entries: LRUCache[bytes, _Weighed[T]] = LRUCache(maxsize=size, getsizeof=_weight_of)
        # The checks run in worker threads; the LRU's moves must not interleave.
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
            self._remember(key, _Refusal.of(refusal))
            raise
        if self._refused(result):
            result = self._compact(result)
            self._remember(key, result)
        return result

    async def check_async(
        self,
        text: str,
        checks: Callable[[str], T],
        run: Callable[[Callable[[], T]], Awaitable[T]],
    ) -> T:
        """``check`` run by ``run`` (a worker thread), unless the refusal is remembered.

        A remembered refusal is answered on the event loop, without waiting for a
        thread; otherwise the thread both checks and remembers.

        Raises:
            LimitExceeded: A limit refused the text, now or before.
            GraphQLError: The text did not parse, now or before.
        """
        _key, remembered = self._recall(text)
        if remembered is not None:
            return remembered
        return await run(lambda: self.check(text, checks))

    def __len__(self) -> int:
        return len(self._entries)

    def _recall(self, text: str) -> tuple[bytes, T | None]:
        """The text's key and its remembered result; a remembered refusal is raised."""
        key = hashlib.sha256(text.encode("utf-8")).digest()
        with self._lock:
            weighed = self._entries.get(key)
        entry = None if weighed is None else weighed.entry
        if isinstance(entry, _Refusal):
            # A new exception each time: raising one object again would append every
            # request's frames to it, and requests at once would share it.
            raise entry.exception()
        return key, entry

    def _remember(self, key: bytes, entry: T | _Refusal) -> None:
        weight = entry.weight if isinstance(entry, _Refusal) else self._weigh(entry)
        # One over the whole bound would evict everything and still not fit.
        if weight <= self._entries.maxsize:
            with self._lock:
                self._entries[key] = _Weighed(weight, entry)


class _Weighed(NamedTuple, Generic[T]):
    weight: int
    entry: T | _Refusal


def _weight_of(weighed: _Weighed[Any]) -> int:
    return weighed.weight


__all__ = ["RAISED", "RefusedDocuments", "detached"]
