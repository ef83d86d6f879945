"""Rate limiting per client address: off by default, 429 with Retry-After when on.

The Redis test counts under a rate written with a random number of minutes: the
``limits`` key holds the rate, and the middleware has no key prefix setting, so
this keeps the count apart from other runs and other servers on the same Redis.
Its keys are deleted afterwards.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import httpx
import pytest
import redis

from testbed.databases import REDIS_NAMESPACE, REDIS_URL
from tests.graph.http.conftest import GRAPHQL_RESPONSE_JSON, LiveApp, codes, graphql

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

EDITIONS = "{ editions { year } }"


def test_off_by_default(client: httpx.Client) -> None:
    statuses = {graphql(client, EDITIONS).status_code for _ in range(30)}
    assert statuses == {200}


def assert_rate_limited(response: httpx.Response, *, window: int) -> None:
    """A 429 whose Retry-After lies within the rate's window (seconds)."""
    assert response.status_code == 429
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= window
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] == retry_after
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert "Try again in" in error["message"]


def test_fourth_request_in_a_minute_is_429(serve_settings: Callable[..., LiveApp]) -> None:
    served = serve_settings(rate_limit="3/minute")
    with served.client() as client:
        for _ in range(3):
            assert graphql(client, EDITIONS).status_code == 200
        refused = graphql(client, EDITIONS, accept=GRAPHQL_RESPONSE_JSON)
        assert_rate_limited(refused, window=60)
        assert refused.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
        assert refused.headers["x-content-type-options"] == "nosniff"
        # Health, readiness and metrics are never limited.
        for path in ("/healthz", "/readyz", "/metrics"):
            assert {client.get(path).status_code for _ in range(5)} == {200}
        assert codes(graphql(client, EDITIONS)) == ["RATE_LIMITED"]


@pytest.fixture
def redis_minutes(redis_client: redis.Redis) -> Iterator[int]:
    """A rate of 3 requests whose Redis keys no other run shares; deleted afterwards.

    With the counts go the answers the servers kept in the same Redis.
    """
    client = redis_client
    minutes = random.randint(1_000, 1_000_000)  # noqa: S311 - a key, not a secret
    yield minutes
    for pattern in (f"LIMITER/coopgraph/*/3/{minutes}/minute*", "response:*"):
        for key in client.scan_iter(f"{REDIS_NAMESPACE}:{pattern}"):
            client.delete(key)
    client.close()


def test_two_servers_share_one_count_through_redis(
    serve_settings: Callable[..., LiveApp], redis_minutes: int
) -> None:
    rate = f"3 per {redis_minutes} minutes"
    first = serve_settings(rate_limit=rate, redis_url=REDIS_URL)
    second = serve_settings(rate_limit=rate, redis_url=REDIS_URL)
    with first.client() as one, second.client() as two:
        assert graphql(one, EDITIONS).status_code == 200
        assert graphql(two, EDITIONS).status_code == 200
        assert graphql(one, EDITIONS).status_code == 200
        # The fourth request overall, to the server that has seen only one.
        assert_rate_limited(graphql(two, EDITIONS), window=redis_minutes * 60)
        assert_rate_limited(graphql(one, EDITIONS), window=redis_minutes * 60)
        assert two.get("/healthz").status_code == 200
