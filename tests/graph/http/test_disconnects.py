"""A client that goes away mid-body is counted and logged at DEBUG, never as a fault."""

from __future__ import annotations

import logging
import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest

from tests.graph.http.conftest import LiveApp
from tests.graph.http.test_endpoint import server_records
from tests.graph.http.test_metrics import Samples, delta, scrape

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

REQUESTS = "coopgraph_graphql_requests_total"
#: Half a request: the body is promised 1,000 bytes and sends 20, then the socket closes.
PARTIAL_POST = (
    b"POST /graphql HTTP/1.1\r\n"
    b"Host: localhost\r\n"
    b"Content-Type: application/json\r\n"
    b"Content-Length: 1000\r\n"
    b"\r\n"
    b'{"query": "{ editions'
)


def leave_mid_body(url: str) -> None:
    address = urlsplit(url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as connection:
        connection.sendall(PARTIAL_POST)


def scrape_until(client: httpx.Client, before: Samples, disconnects: int) -> Samples:
    """The metrics once the server has counted ``disconnects`` (it does so on its own time)."""
    for _ in range(200):
        after = scrape(client)
        if delta(before, after, REQUESTS, outcome="client_disconnected") >= disconnects:
            return after
        time.sleep(0.025)
    return scrape(client)


def test_a_client_leaving_mid_body_is_counted_not_logged_as_an_error(
    api: LiveApp, client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    before = scrape(client)
    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            leave_mid_body(api.url)
        after = scrape_until(client, before, 3)
    assert delta(before, after, REQUESTS, outcome="client_disconnected") == 3
    assert delta(before, after, REQUESTS, outcome="internal_error") == 0
    records = server_records(caplog)
    assert [r.getMessage() for r in records if r.levelno >= logging.WARNING] == []
    assert not any("Traceback" in r.getMessage() for r in records)
    went_away = [r for r in records if "went away" in r.getMessage()]
    assert len(went_away) == 3
    assert all(r.levelno == logging.DEBUG for r in went_away)
    # The server goes on answering, with nothing held.
    assert client.post("/graphql", json={"query": "{ editions { year } }"}).status_code == 200
    assert api.checked_out() == 0
