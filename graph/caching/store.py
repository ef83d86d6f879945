"""Byte stores for cached answers and persisted queries: memory or Redis.

Values are bytes under string keys, with a size bound in memory and a time-to-live in
Redis. Neither store needs invalidation: keys of answers carry the data version, so an
answer of older data is never looked up again and simply ages out.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Protocol

import redis.asyncio as redis

log = logging.getLogger(__name__)


class Store(Protocol):
    """Get and set bytes by key; failures of a remote store read as a miss."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes) -> None: ...

    async def aclose(self) -> None: ...


#: What an entry costs beyond its key and value: the dict slot, the two objects'
#: headers and the LRU's links, measured at about 300 bytes on CPython 3.11.
ENTRY_OVERHEAD = 320


class MemoryStore:
    """An LRU bounded by the memory its entries take, keys and overhead included.

    Counting values alone let a stream of small answers under distinct keys use
    several times the bound.

    Args:
        max_bytes: Entries are evicted, least recently used first, past this total.
    """

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._size = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()

    async def get(self, key: str) -> bytes | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes) -> None:
        cost = _entry_cost(key, value)
        if cost > self._max_bytes:
            return
        previous = self._items.pop(key, None)
        if previous is not None:
            self._size -= _entry_cost(key, previous)
        self._items[key] = value
        self._size += cost
        while self._size > self._max_bytes:
            evicted_key, evicted = self._items.popitem(last=False)
            self._size -= _entry_cost(evicted_key, evicted)

    async def aclose(self) -> None:
        self._items.clear()
        self._size = 0


def _entry_cost(key: str, value: bytes) -> int:
    return len(key) + len(value) + ENTRY_OVERHEAD


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


def create_store(redis_url: str | None, *, name: str, max_bytes: int, ttl: int) -> Store:
    """A Redis store when a URL is configured, a memory store otherwise."""
    if redis_url is None:
        return MemoryStore(max_bytes)
    return RedisStore(redis_url, prefix=f"coopgraph:{name}:", ttl=ttl)


__all__ = ["ENTRY_OVERHEAD", "MemoryStore", "RedisStore", "Store", "create_store"]
