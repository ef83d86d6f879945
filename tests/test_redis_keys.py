"""The tests' own Redis: a database of their own, one namespace per process, left empty."""

from __future__ import annotations

import uuid

import redis

from testbed.databases import REDIS_NAMESPACE, REDIS_URL, remove_redis_keys


def test_the_tests_redis_is_not_the_default_database() -> None:
    # Database 0 is where an application (coopgraph included) keeps its keys by default.
    assert redis.ConnectionPool.from_url(REDIS_URL).connection_kwargs.get("db", 0) != 0


def test_leftover_keys_are_found_and_removed_within_their_namespace_only(
    redis_client: redis.Redis,
) -> None:
    namespace = f"{REDIS_NAMESPACE}-check-{uuid.uuid4().hex[:8]}"
    neighbour = f"{namespace}x:kept"
    try:
        redis_client.set(f"{namespace}:response:a", b"1", ex=60)
        redis_client.set(f"{namespace}:LIMITER/coopgraph/b", b"2", ex=60)
        # Another run's namespace that merely starts the same way is not touched.
        redis_client.set(neighbour, b"3", ex=60)
        assert remove_redis_keys(namespace) == [
            f"{namespace}:LIMITER/coopgraph/b".encode(),
            f"{namespace}:response:a".encode(),
        ]
        assert list(redis_client.scan_iter(f"{namespace}:*")) == []
        assert redis_client.get(neighbour) == b"3"
        assert remove_redis_keys(namespace) == []
    finally:
        redis_client.delete(neighbour)
