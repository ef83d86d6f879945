"""Who a request counts as: an IP literal a trusted proxy vouched for, never free text.

The live tests drive the shipped app under uvicorn as testbed.live_server runs it, which
trusts 127.0.0.1's ``X-Forwarded-For`` as ``coopgraph serve`` does by default: the
test client is such a trusted peer, as issue 19's attacker was.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import pytest
from starlette.types import Receive, Scope, Send

from coopgraph.graph.http.identity import (
    UNIDENTIFIED,
    client_identity,
    forwarded_client,
    ip_literal,
    trusted_networks,
)
from coopgraph.graph.http.middleware import ForwardedClientMiddleware
from tests.graph.http.conftest import LiveApp

PROXIES = trusted_networks("127.0.0.1, 10.0.0.0/8")
EDITIONS = "{ editions { year } }"


def forwarded(peer: str | None, *values: str, max_bytes: int = 512) -> str:
    return forwarded_client(peer, values, trusted=PROXIES, max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:db8:0:0::1", "2001:db8::1"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("garbage-17", None),
        ("fe80::1%eth0", None),
        ("[2001:db8::1]", None),
        ("203.0.113.7:8080", None),
        ("", None),
    ],
)
def test_only_ip_literals_are_addresses(text: str, expected: str | None) -> None:
    address = ip_literal(text)
    assert (None if address is None else str(address)) == expected


def test_a_client_host_that_is_no_address_is_unidentified() -> None:
    assert client_identity("garbage-17") == UNIDENTIFIED
    assert client_identity("x" * 8000) == UNIDENTIFIED
    assert client_identity(None) == UNIDENTIFIED
    assert client_identity("0:0::1") == "::1"


def test_the_rightmost_untrusted_hop_is_the_client() -> None:
    # The client wrote the first two hops; the proxies appended the rest.
    assert forwarded("10.0.0.2", "1.1.1.1, 198.51.100.4", "203.0.113.7, 10.0.0.9") == "203.0.113.7"


def test_a_hop_that_is_no_address_leaves_the_peer() -> None:
    assert forwarded("127.0.0.1", "garbage-17") == "127.0.0.1"
    assert forwarded("127.0.0.1", "203.0.113.7, garbage") == "127.0.0.1"


def test_an_untrusted_peer_is_its_own_client() -> None:
    assert forwarded("198.51.100.4", "203.0.113.7") == "198.51.100.4"


def test_only_proxies_leftmost_hop_is_where_the_request_entered() -> None:
    assert forwarded("127.0.0.1", "10.0.0.3, 10.0.0.2") == "10.0.0.3"


def test_a_header_past_its_length_is_not_read() -> None:
    header = ", ".join(["203.0.113.7"] * 60)
    assert len(header) > 512
    assert forwarded("127.0.0.1", header) == "127.0.0.1"
    assert forwarded("127.0.0.1", header, max_bytes=len(header)) == "203.0.113.7"


def test_trusted_proxies_must_be_addresses_or_networks() -> None:
    assert trusted_networks(["::1", "192.168.0.0/16"]) == (
        ipaddress.ip_network("::1"),
        ipaddress.ip_network("192.168.0.0/16"),
    )
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 network"):
        trusted_networks("*")


async def _client_seen(headers: list[tuple[bytes, bytes]], peer: tuple[str, int]) -> Any:
    seen: dict[str, Any] = {}

    async def app(scope: Scope, _receive: Receive, _send: Send) -> None:
        seen["client"] = scope["client"]

    middleware = ForwardedClientMiddleware(app, trusted=PROXIES, max_bytes=512)
    scope = {"type": "http", "client": peer, "headers": headers}

    async def receive() -> Any:  # pragma: no cover - the app reads no body
        return {}

    async def send(_message: Any) -> None:  # pragma: no cover - the app sends nothing
        return None

    await middleware(scope, receive, send)
    return seen["client"]


async def test_the_middleware_sets_the_forwarded_client() -> None:
    vouched = [(b"x-forwarded-for", b"203.0.113.7")]
    assert await _client_seen(vouched, ("127.0.0.1", 5000)) == ("203.0.113.7", 0)
    garbage = [(b"x-forwarded-for", b"garbage-17")]
    assert await _client_seen(garbage, ("127.0.0.1", 5000)) == ("127.0.0.1", 5000)
    assert await _client_seen(vouched, ("198.51.100.4", 5000)) == ("198.51.100.4", 5000)


LIVE = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)


@LIVE
def test_invented_forwarded_names_share_one_budget(
    serve_settings: Callable[..., LiveApp],
) -> None:
    served = serve_settings(rate_limit="3/minute")
    with served.client() as client:
        statuses = [
            client.post(
                "/graphql",
                json={"query": EDITIONS},
                headers={"x-forwarded-for": f"garbage-{n}"},
            ).status_code
            for n in range(5)
        ]
        # A real address is a budget of its own.
        real = client.post(
            "/graphql", json={"query": EDITIONS}, headers={"x-forwarded-for": "203.0.113.7"}
        )
    assert statuses == [200, 200, 200, 429, 429]
    assert real.status_code == 200


@LIVE
def test_the_refusal_does_not_echo_the_address(serve_settings: Callable[..., LiveApp]) -> None:
    served = serve_settings(rate_limit="1/minute")
    marker = "203.0.113.99"
    with served.client() as client:
        headers = {"x-forwarded-for": marker}
        assert client.post("/graphql", json={"query": EDITIONS}, headers=headers).status_code == 200
        refused = client.post("/graphql", json={"query": EDITIONS}, headers=headers)
    assert refused.status_code == 429
    assert marker not in refused.text
    (error,) = refused.json()["errors"]
    assert error["message"].startswith("Too many requests from this address:")


@LIVE
def test_without_trusted_proxies_the_header_names_nobody(
    serve_settings: Callable[..., LiveApp],
) -> None:
    # Loopback (the test's own peer) is trusted by default, so two forwarded addresses
    # are two clients; with no proxy trusted they are the one peer and share its budget.
    def two_forwarded(**proxies: Any) -> tuple[int, int]:
        served = serve_settings(rate_limit="1/minute", **proxies)
        with served.client() as client:
            first, second = (
                client.post(
                    "/graphql", json={"query": EDITIONS}, headers={"x-forwarded-for": address}
                ).status_code
                for address in ("203.0.113.1", "203.0.113.2")
            )
            return first, second

    assert two_forwarded() == (200, 200)
    assert two_forwarded(forwarded_allow_ips=()) == (200, 429)
