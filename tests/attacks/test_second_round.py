"""Issue 19's second-round GraphQL rows (``testbed.graphql_attacks``), on servers started for them.

Rows with the same settings share a server started for this module (see ``start_server``).

Every row asserts what its requests were answered, that ``/healthz`` kept answering
meanwhile (95 % of the probes under 100 ms, asked every 50 ms), that the server's resident memory
grew by less than 50 MB, and that the server logged no ERROR line and no traceback.
Row 10 is the document caches' byte bound: 2,000 distinct 5.4 KB documents took
about 640 KB each parsed with locations, 512 of them kept (some 330 MB) before.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
import pytest

from testbed import graphql_attacks
from testbed.graphql_attacks import (
    DISCONNECTING_CLIENTS,
    DISTINCT_DOCUMENTS,
    FORWARDED_REQUESTS,
    PERSISTED_REGISTRATIONS,
)
from testbed.transport import Address, run_row
from tests.attacks.conftest import StartServer, log_since, log_size
from tests.attacks.test_transport import (
    MAX_HEALTH_MS,
    MAX_HEALTH_WORST_MS,
    MAX_RSS_GROWTH_MB,
)

#: What each row's requests get, by answer.
ANSWERS: dict[str, dict[str, int]] = {
    "1: validation bomb, 4 at once and resent": {"200 FIELD_LIMIT_EXCEEDED": 8},
    "5: variables nested 254 deep": {"400 JSON_DEPTH_LIMIT_EXCEEDED": 1},
    "6: 200 clients leaving mid-body": {"left": DISCONNECTING_CLIENTS},
    "7: 60 KB persisted-query registrations": {
        "registered: 200 (data)": PERSISTED_REGISTRATIONS,
        "by hash: 200 PERSISTED_QUERY_NOT_FOUND": PERSISTED_REGISTRATIONS,
    },
    "8: 17 aliased __schema, then GraphiQL's query": {
        "200 INTROSPECTION_LIMIT_EXCEEDED": 1,
        "200 (data)": 1,
    },
    # 30 a minute: the garbage is no identity, so every request is the proxy's.
    "9: 8 KB X-Forwarded-For garbage under a rate limit": {
        "200 (data)": 30,
        "429 RATE_LIMITED": FORWARDED_REQUESTS - 30,
    },
    "10: 300 distinct 5.4 KB documents": {"200 (data)": DISTINCT_DOCUMENTS},
    "11: { __typename x1000 }": {"200 FIELD_LIMIT_EXCEEDED": 2},
    "12: 24 fragment trees costed at nothing": {
        "200 FIELD_LIMIT_EXCEEDED": graphql_attacks.FRAGMENT_TREES
    },
}
#: Row 10 sends its 2,000 documents in about 50 s on a quiet two-core machine.
JOIN_SECONDS = {"10: 300 distinct 5.4 KB documents": 90.0}
DISCONNECTED = re.compile(
    r'^coopgraph_graphql_requests_total\{outcome="client_disconnected"\} (\S+)$', re.MULTILINE
)


def test_every_row_is_pinned() -> None:
    assert set(ANSWERS) == set(graphql_attacks.ROWS)


def _address(url: str) -> Address:
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return Address(parts.hostname, parts.port)


def _disconnects(url: str, expected: float = 0.0) -> float:
    """The server's count of clients that left mid-request, once it reaches ``expected``."""
    for _ in range(200):
        found = DISCONNECTED.search(httpx.get(f"{url}/metrics").text)
        if (float(found.group(1)) if found else 0.0) >= expected:
            break
    return float(found.group(1)) if found else 0.0


@pytest.mark.parametrize("name", list(ANSWERS))
def test_second_round_row(name: str, start_server: StartServer) -> None:
    server = start_server(graphql_attacks.SETTINGS.get(name, {}))
    mark = log_size(server.log_path)
    disconnected = _disconnects(server.url)
    outcome = run_row(
        graphql_attacks.ROWS[name],
        _address(server.url),
        server.pid,
        seconds=1.0,
        join_seconds=JOIN_SECONDS.get(name, 30.0),
    )
    assert dict(outcome.answers) == ANSWERS[name]
    assert dict(outcome.health_statuses) == {200: len(outcome.health_ms)}
    assert outcome.health_p95_ms < MAX_HEALTH_MS, outcome.health_ms
    assert outcome.health_worst_ms < MAX_HEALTH_WORST_MS, outcome.health_ms
    assert outcome.rss_growth_mb < MAX_RSS_GROWTH_MB
    if name.startswith("6:"):
        assert _disconnects(server.url, disconnected + DISCONNECTING_CLIENTS) == (
            disconnected + DISCONNECTING_CLIENTS
        )
    log = log_since(server.log_path, mark)
    assert not re.search(r"^ERROR", log, re.MULTILINE), log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    # Row 9: what a client named itself is neither echoed nor logged.
    assert "not-an-address-" not in log
    print(
        f"{name}: /healthz median {outcome.health_median_ms:.1f} ms,"
        f" 95 % {outcome.health_p95_ms:.1f} ms,"
        f" worst {outcome.health_worst_ms:.1f} ms, RSS {outcome.rss_growth_mb:+.1f} MB"
    )
