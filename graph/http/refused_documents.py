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
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from graphql import GraphQLError

from graph.limits.refusal import LimitExceeded

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
        self._size = size
        self._entries: OrderedDict[bytes, T | Exception] = OrderedDict()
        # The checks may run in worker threads; the LRU's moves must not interleave.
        self._lock = threading.Lock()

    def check(self, text: str, checks: Callable[[str], T]) -> T:
        """``checks(text)``, or the refusal remembered from the last time.

        Raises:
            LimitExceeded: A limit refused the text, now or before.
            GraphQLError: The text did not parse, now or before.
        """
        key = hashlib.sha256(text.encode("utf-8")).digest()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if isinstance(entry, Exception):
            # A fresh traceback each time: raising one object again would append
            # every request's frames to it.
            raise entry.with_traceback(None)
        if entry is not None:
            return entry
        try:
            result = checks(text)
        except RAISED as refusal:
            self._remember(key, refusal.with_traceback(None))
            raise
        if self._refused(result):
            self._remember(key, result)
        return result

    def __len__(self) -> int:
        return len(self._entries)

    def _remember(self, key: bytes, entry: T | Exception) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)


__all__ = ["RAISED", "RefusedDocuments"]
