"""What a parsed document costs in memory, estimated from its text, and caches bounded by it.

Caches of parsed documents and of what is built from them (plans) were bounded by a
count of entries, but an entry's size follows its text: a 5.6 KB document parsed with
locations kept about 240 KB (graphql-core links every token of the text from the
nodes' locations), so 512 entries could hold over 100 MB. These caches are bounded
by estimated bytes instead. The estimate is the text's length times the most memory
per character measured with ``tracemalloc`` over the densest shapes the limits let
through (docs/decisions.md), for a plan also its object plans and fields times their
measured weights, so a hostile shape cannot weigh more than its estimate; ordinary documents
weigh less, and the cache then simply keeps fewer than it could.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Generic, NamedTuple, TypeVar

from cachetools import LRUCache

#: Bytes per character of a document parsed with ``no_location=True``; the densest
#: shape measured (a list of small input objects) took 69.
DOCUMENT_BYTES_PER_CHAR = 80
#: The same parsed with locations, which keep the whole token list: 253 measured.
LOCATED_DOCUMENT_BYTES_PER_CHAR = 280
#: One compiled plan per character of the document it plans: 93 measured.
PLAN_BYTES_PER_CHAR = 128
#: One compiled plan per object plan in it, and per field planned into one: fitted with
#: ``tracemalloc`` over trees of fragments selecting only ``id`` (about 2,300 bytes an
#: object plan with two fields), every scalar (about 4,100 with six), and aliased
#: ``nodes`` lookups (about 1,050 with one); each of these weighs 0.6 to 0.9 times its
#: estimate. Object plans alone were no bound: the tree of every scalar, within the
#: limits, held 1.5 times what 2,560 bytes an object plan said.
PLAN_BYTES_PER_OBJECT_PLAN = 1_280
PLAN_BYTES_PER_FIELD = 768
#: An entry's own cost whatever its text: the key, the LRU's links, small objects.
ENTRY_BYTES = 512

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def document_bytes(text: str, *, located: bool = False) -> int:
    """The estimated memory of ``text`` parsed, with its locations or without."""
    per_char = LOCATED_DOCUMENT_BYTES_PER_CHAR if located else DOCUMENT_BYTES_PER_CHAR
    return ENTRY_BYTES + per_char * len(text)


def plan_bytes(text: str, object_plans: int = 0, fields: int = 0) -> int:
    """The estimated memory of one compiled plan of ``text`` with these plans and fields.

    The text bounds a plan of a document without fragments; spread into each other,
    fragments make more object plans and fields than characters can account for (a
    2.7 KB tree took 989 KiB, 377 bytes a character), which the counts cover.
    """
    return ENTRY_BYTES + max(
        PLAN_BYTES_PER_CHAR * len(text),
        PLAN_BYTES_PER_OBJECT_PLAN * object_plans + PLAN_BYTES_PER_FIELD * fields,
    )


class _Weighed(NamedTuple, Generic[V]):
    cost: int
    value: V


def _cost_of(entry: _Weighed[Any]) -> int:
    return entry.cost


class ByteBoundedCache(Generic[K, V]):
    """An LRU whose entries weigh what the caller estimates; evicts past ``max_bytes``.

    Not thread-safe: callers that share one across threads hold a lock around it.
    """

    def __init__(self, max_bytes: int) -> None:
        self._entries: LRUCache[K, _Weighed[V]] = LRUCache(maxsize=max_bytes, getsizeof=_cost_of)

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        return None if entry is None else entry.value

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def put(self, key: K, value: V, cost: int) -> None:
        """Keep ``value``; one that weighs more than the whole bound is not kept."""
        # Storing it would evict everything and still not fit.
        if cost <= self._entries.maxsize:
            self._entries[key] = _Weighed(cost, value)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def current_bytes(self) -> int:
        return int(self._entries.currsize)


__all__ = [
    "DOCUMENT_BYTES_PER_CHAR",
    "ENTRY_BYTES",
    "LOCATED_DOCUMENT_BYTES_PER_CHAR",
    "PLAN_BYTES_PER_CHAR",
    "PLAN_BYTES_PER_FIELD",
    "PLAN_BYTES_PER_OBJECT_PLAN",
    "ByteBoundedCache",
    "document_bytes",
    "plan_bytes",
]
