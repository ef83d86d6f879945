"""When the rate limit's Redis fails, requests are counted in the process, not let through.

Issue 19 filled Redis with persisted queries; its writes then failed, and the limiter
let a fresh address send 40 of 40 requests through 30/minute. A Redis nobody listens
on fails the same way, every time, without filling anyone's Redis.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from testbed.live_server import free_port
from tests.graph.http.conftest import LiveApp, codes, graphql
from tests.graph.http.test_rate_limit import assert_rate_limited

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

EDITIONS = "{ editions { year } }"


def test_a_failing_redis_counts_in_process(
    serve_settings: Callable[..., LiveApp], caplog: pytest.LogCaptureFixture
) -> None:
    nobody = f"redis://127.0.0.1:{free_port()}/0"
    served = serve_settings(rate_limit="3/minute", redis_url=nobody)
    with (
        caplog.at_level(logging.WARNING, logger="coopgraph.graph.http.rate_limit"),
        served.client() as client,
    ):
        for _ in range(3):
            assert graphql(client, EDITIONS).status_code == 200
        assert_rate_limited(graphql(client, EDITIONS), window=60)
        assert codes(graphql(client, EDITIONS)) == ["RATE_LIMITED"]
        assert client.get("/healthz").status_code == 200
    # Five requests through the outage, one line about it.
    assert caplog.text.count("rate limit storage failed, counting in this process") == 1
