"""The two stores: an LRU bounded by size in memory, and Redis with a prefix and a TTL."""

from __future__ import annotations

import asyncio
import uuid

import redis

from coopgraph.graph.caching import MemoryStore, RedisStore, create_store
from coopgraph.graph.caching.store import ENTRY_OVERHEAD
from testbed.databases import REDIS_NAMESPACE, REDIS_URL
from testbed.live_server import free_port


def room(*entries: tuple[str, int]) -> int:
    """The bound that holds exactly these (key, value size) entries."""
    return sum(len(key) + size + ENTRY_OVERHEAD for key, size in entries)


async def _fill(store: MemoryStore, items: dict[str, bytes]) -> None:
    for key, value in items.items():
        await store.set(key, value)


def test_memory_store_evicts_the_least_recently_used_past_its_size() -> None:
    async def scenario() -> list[bytes | None]:
        store = MemoryStore(max_bytes=room(("a", 10), ("b", 10), ("c", 10)))
        await _fill(store, {"a": b"a" * 10, "b": b"b" * 10, "c": b"c" * 10})
        await store.get("a")  # a is now the most recently used; b the least
        await store.set("d", b"d" * 10)
        return [await store.get(key) for key in "abcd"]

    assert asyncio.run(scenario()) == [b"a" * 10, None, b"c" * 10, b"d" * 10]


def test_memory_store_evicts_as_many_as_a_large_value_needs() -> None:
    async def scenario() -> list[bytes | None]:
        store = MemoryStore(max_bytes=room(("a", 10), ("b", 10), ("c", 10)))
        await _fill(store, {"a": b"1" * 10, "b": b"2" * 10, "c": b"3" * 10})
        # Fits only once all three are gone: its value is larger than two of theirs.
        await store.set("big", b"4" * (room(("a", 10), ("b", 10), ("c", 10)) - 3 - ENTRY_OVERHEAD))
        return [await store.get(key) for key in ("a", "b", "c", "big")]

    *evicted, big = asyncio.run(scenario())
    assert evicted == [None, None, None]
    assert big is not None


def test_memory_store_keeps_no_value_larger_than_its_bound() -> None:
    async def scenario() -> tuple[bytes | None, bytes | None]:
        store = MemoryStore(max_bytes=room(("kept", 20)) + 40)
        await store.set("kept", b"k" * 20)
        await store.set("huge", b"h" * (room(("kept", 20)) + 40))
        return await store.get("huge"), await store.get("kept")

    # Storing it would evict everything and still not fit: it is not stored, and
    # nothing else is evicted for it.
    assert asyncio.run(scenario()) == (None, b"k" * 20)


def test_memory_store_counts_a_replaced_value_once() -> None:
    async def scenario() -> list[bytes | None]:
        store = MemoryStore(max_bytes=room(("same", 10), ("other", 20)))
        for _ in range(5):
            await store.set("same", b"s" * 10)
        await store.set("other", b"o" * 20)
        return [await store.get("same"), await store.get("other")]

    # Five writes of one key hold one entry, not five: both entries fit.
    assert asyncio.run(scenario()) == [b"s" * 10, b"o" * 20]


def test_memory_store_is_empty_after_close() -> None:
    async def scenario() -> bytes | None:
        store = MemoryStore(max_bytes=30)
        await store.set("a", b"1")
        await store.aclose()
        return await store.get("a")

    assert asyncio.run(scenario()) is None


def test_create_store_is_memory_without_a_url() -> None:
    memory = create_store(None, namespace=REDIS_NAMESPACE, name="response", max_bytes=10, ttl=1)
    assert isinstance(memory, MemoryStore)
    shared = create_store(
        REDIS_URL, namespace=REDIS_NAMESPACE, name="response", max_bytes=10, ttl=1
    )
    assert isinstance(shared, RedisStore)


def test_redis_store_keeps_values_under_its_prefix_with_a_ttl(redis_client: redis.Redis) -> None:
    prefix = f"{REDIS_NAMESPACE}:test-{uuid.uuid4().hex}:"

    async def scenario() -> tuple[bytes | None, bytes | None]:
        store = RedisStore(REDIS_URL, prefix=prefix, ttl=90)
        try:
            await store.set("key", b"\x00value\xff")
            return await store.get("key"), await store.get("absent")
        finally:
            await store.aclose()

    try:
        assert asyncio.run(scenario()) == (b"\x00value\xff", None)
        assert redis_client.get(f"{prefix}key") == b"\x00value\xff"
        assert 0 < redis_client.ttl(f"{prefix}key") <= 90
    finally:
        redis_client.delete(f"{prefix}key")


def test_redis_store_that_cannot_connect_reads_as_a_miss() -> None:
    async def scenario() -> bytes | None:
        store = RedisStore(f"redis://127.0.0.1:{free_port()}/0", prefix="coopgraph:x:", ttl=10)
        try:
            await store.set("key", b"value")  # logged, not raised
            return await store.get("key")
        finally:
            await store.aclose()

    assert asyncio.run(scenario()) is None
