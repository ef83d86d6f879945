"""The issue's GraphQL attacks (bench/attacks.py), against one fresh server.

Each is refused before it executes, with the answer pinned here, while ``/healthz``
keeps answering (95 % of the probes under 100 ms) and the server's memory grows by under 50 MB.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from bench.attacks import ATTACKS, GRAPHQL_ROW_SECONDS, as_row
from testbed.transport import Address, run_row
from tests.attacks.conftest import StartServer
from tests.attacks.test_transport import (
    MAX_HEALTH_MS,
    MAX_HEALTH_WORST_MS,
    MAX_RSS_GROWTH_MB,
)

ANSWERS = {
    "6-million-object nesting": "200 COST_LIMIT_EXCEEDED",
    "32 levels deep": "200 DEPTH_LIMIT_EXCEEDED",
    "2,000 aliases of continents { name }": "200 TOKEN_LIMIT_EXCEEDED",
    "200 aliases of the full tree": "200 TOKEN_LIMIT_EXCEEDED",
    "cursor with a Unicode digit (²)": "200 BAD_USER_INPUT",
    "cursor with 30 digits": "200 BAD_USER_INPUT",
    "cursor with 5,000 digits": "200 BAD_USER_INPUT",
    "first: 1000000000": "200 BAD_USER_INPUT",
    "100,000-character search": "413 PAYLOAD_TOO_LARGE",
    "commonFields of 5,000 IDs": "200 LIST_LIMIT_EXCEEDED",
    "malformed JSON": "400 BAD_REQUEST",
    "invalid UTF-8": "400 BAD_REQUEST",
    "PUT /graphql": "405 METHOD_NOT_ALLOWED",
    "batched array of 2 operations": "400 BAD_REQUEST",
    "2 MB body": "413 PAYLOAD_TOO_LARGE",
}


def test_every_graphql_row_is_pinned() -> None:
    assert set(ANSWERS) == set(ATTACKS)


@pytest.mark.parametrize("name", list(ANSWERS))
def test_graphql_row(name: str, start_server: StartServer) -> None:
    server = start_server({})
    parts = urlsplit(server.url)
    assert parts.hostname is not None
    assert parts.port is not None
    outcome = run_row(
        as_row(ATTACKS[name]),
        Address(parts.hostname, parts.port),
        server.pid,
        seconds=GRAPHQL_ROW_SECONDS,
    )
    assert dict(outcome.answers) == {ANSWERS[name]: 1}
    assert dict(outcome.health_statuses) == {200: len(outcome.health_ms)}
    assert outcome.health_p95_ms < MAX_HEALTH_MS, outcome.health_ms
    assert outcome.health_worst_ms < MAX_HEALTH_WORST_MS, outcome.health_ms
    assert outcome.rss_growth_mb < MAX_RSS_GROWTH_MB
