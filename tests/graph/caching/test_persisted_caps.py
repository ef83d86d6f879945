"""Persisted queries are capped: in size, per client and in total per time-to-live.

Issue 19 registered 60 KB documents with their correct hashes until Redis was full.
The unit tests drive ``PersistedQueries`` over a memory store with a clock they move;
the live one sends the 60 KB registration to the shipped app.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from coopgraph.graph.caching import MemoryStore, PersistedQueries, PersistedQueryNotFound
from coopgraph.settings import Limits, Settings
from tests.graph.caching.conftest import unique_query
from tests.graph.http.conftest import live

DAY = 86_400


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def persisted(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000 * DAY + 5.0

    def __call__(self) -> float:
        return self.now


def queries(count: int) -> list[str]:
    return [f"{{ q{n}: editions {{ year }} }}" for n in range(count)]


async def known(registry: PersistedQueries, text: str) -> bool:
    try:
        await registry.resolve(None, persisted(text))
    except PersistedQueryNotFound:
        return False
    return True


def test_the_defaults_are_the_settings() -> None:
    limits = Limits()
    assert (
        limits.max_persisted_bytes,
        limits.max_persisted_per_client,
        limits.max_persisted_total,
        limits.persisted_ttl,
    ) == (8_192, 100, 1_000, DAY)


async def test_a_query_longer_than_the_cap_is_answered_not_kept() -> None:
    registry = PersistedQueries(MemoryStore(1 << 20), max_bytes=100)
    short = "{ editions { year } }"
    long = "# " + "x" * 100 + "\n" + short
    assert await registry.register(long, persisted(long), "203.0.113.7") is False
    assert await registry.register(short, persisted(short), "203.0.113.7") is True
    assert (await known(registry, long), await known(registry, short)) == (False, True)


async def test_a_client_registers_only_its_share_per_window() -> None:
    clock = Clock()
    registry = PersistedQueries(MemoryStore(1 << 20), per_client=3, total=100, clock=clock)
    first, second = queries(5), [f"# later\n{text}" for text in queries(2)]
    kept = [await registry.register(text, persisted(text), "203.0.113.7") for text in first]
    assert kept == [True, True, True, False, False]
    # Another client has its own share; the same client again in the next window.
    assert await registry.register(first[3], persisted(first[3]), "198.51.100.4") is True
    clock.now += DAY
    kept = [await registry.register(text, persisted(text), "203.0.113.7") for text in second]
    assert kept == [True, True]


async def test_all_clients_together_register_only_the_total_per_window() -> None:
    registry = PersistedQueries(MemoryStore(1 << 20), per_client=10, total=4, clock=Clock())
    kept = [
        await registry.register(text, persisted(text), f"203.0.113.{n}")
        for n, text in enumerate(queries(6))
    ]
    assert kept == [True, True, True, True, False, False]
    # Without a client the total still counts.
    extra = "{ extra: editions { year } }"
    assert await registry.register(extra, persisted(extra)) is False


async def test_a_query_already_kept_costs_no_share() -> None:
    registry = PersistedQueries(MemoryStore(1 << 20), per_client=1, total=1, clock=Clock())
    text = queries(1)[0]
    for _ in range(3):
        assert await registry.register(text, persisted(text), "203.0.113.7") is True


async def test_the_counts_keep_apart_from_the_queries() -> None:
    store = MemoryStore(1 << 20)
    registry = PersistedQueries(store, clock=Clock())
    text = queries(1)[0]
    await registry.register(text, persisted(text), "203.0.113.7")
    assert await store.get(sha256(text)) == text.encode()
    assert await store.get("quota:1000:total") == b"1"
    assert await store.get("quota:1000:client:203.0.113.7") == b"1"


@pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)
def test_a_sixty_kilobyte_query_is_answered_and_not_kept(seeded_url: str) -> None:
    query, alias = unique_query()
    # A comment is no token: 60 KB passes every document limit.
    padded = "#" + "x" * 60_000 + "\n" + query
    extensions = persisted(padded)
    with live(Settings(database_url=seeded_url)) as served, served.client() as client:
        answered = client.post("/graphql", json={"query": padded, "extensions": extensions})
        by_hash = client.post("/graphql", json={"extensions": extensions})
    assert answered.status_code == 200
    assert answered.json()["data"] == {alias: [{"year": 2020, "priorityCount": 115}]}
    assert by_hash.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
