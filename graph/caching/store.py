"""Byte stores for cached answers and persisted queries: memory or Redis.

Values are bytes under string keys, with a size bound in memory and a time-to-live in
Redis. Neither store needs invalidation: keys of answers carry the data version, so an
answer of older data is never looked up again and simply ages out.
"""

from __future__ import annotations

import logging
from typing import NamedTuple, Protocol

import redis.asyncio as redis
from cachetools import LRUCache

log = logging.getLogger(__name__)


class Store(Protocol):
    """Get and set bytes by key; failures of a remote store read as a miss."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes) -> None: ...

    async def aclose(self) -> None: ...


#: What an entry costs beyond its key and value: the dict slot, the two objects'
#: headers and the LRU's links, measured at about 300 bytes on CPython 3.11.
ENTRY_OVERHEAD = 320


class _Entry(NamedTuple):
    """A value with what it costs, key included: the LRU weighs values only."""

    cost: int
    value: bytes


def _cost_of(entry: _Entry) -> int:
    return entry.cost


class MemoryStore:
    """An LRU bounded by the memory its entries take, keys and overhead included.

    Counting values alone let a stream of small answers under distinct keys use
    several times the bound.

    Args:
        max_bytes: Entries are evicted, least recently used first, past this total.
    """

    def __init__(self, max_bytes: int) -> None:
        self._items: LRUCache[str, _Entry] = LRUCache(maxsize=max_bytes, getsizeof=_cost_of)

    async def get(self, key: str) -> bytes | None:
        entry = self._items.get(key)
        return None if entry is None else entry.value

    async def set(self, key: str, value: bytes) -> None:
        entry = _Entry(len(key) + len(value) + ENTRY_OVERHEAD, value)
        # A value over the whole bound is not kept, and evicts nothing: storing it
        # would empty the store and still not fit.
        if entry.cost <= self._items.maxsize:
            self._items[key] = entry

    async def aclose(self) -> None:
        self._items.clear()


class RedisStore:
    """Values in Redis under a prefix, each with a time-to-live.

    A Redis that does not answer is a cache miss, logged, not a failed request: the
    cache makes answers faster, never makes them possible.

    Args:
        url: ``redis://host:port/db``.
        prefix: Namespaces the keys (``coopgraph:response:``).
        ttl: Seconds a value is kept.
    """

    def __init__(self, url: str, *, prefix: str, ttl: int) -> None:
        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._prefix = prefix
        self._ttl = ttl

    async def get(self, key: str) -> bytes | None:
        try:
            value = await self._client.get(self._prefix + key)
        except redis.RedisError as error:
            log.warning("cache read failed, answering without the cache: %s", error)
            return None
        return value if isinstance(value, bytes) else None

    async def set(self, key: str, value: bytes) -> None:
        try:
            await self._client.set(self._prefix + key, value, ex=self._ttl)
        except redis.RedisError as error:
            log.warning("cache write failed: %s", error)

    async def aclose(self) -> None:
        await self._client.aclose()


def create_store(
    redis_url: str | None, *, namespace: str, name: str, max_bytes: int, ttl: int
) -> Store:
    """A Redis store when a URL is configured, a memory store otherwise.

    Redis keys are ``namespace:name:key``, ``namespace`` being ``COOPGRAPH_REDIS_NAMESPACE``.
    """
    if redis_url is None:
        return MemoryStore(max_bytes)
    return RedisStore(redis_url, prefix=f"{namespace}:{name}:", ttl=ttl)


__all__ = ["ENTRY_OVERHEAD", "MemoryStore", "RedisStore", "Store", "create_store"]
