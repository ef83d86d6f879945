"""Negotiation answers the same for headers of any length, memoized or not."""

from __future__ import annotations

from coopgraph.graph.http.media import (
    GRAPHQL_RESPONSE_JSON,
    JSON,
    accepts_html,
    negotiate_response_type,
)


def test_a_long_accept_header_is_negotiated_like_a_short_one() -> None:
    # Over the memo's key length: parsed afresh each time, with the same answer.
    padding = ", ".join(f"application/x-{n}" for n in range(400))
    long_header = f"{padding}, {GRAPHQL_RESPONSE_JSON}, {JSON};q=0.5"
    assert len(long_header) > 4096
    for _ in range(2):
        assert negotiate_response_type(long_header) == GRAPHQL_RESPONSE_JSON
        assert negotiate_response_type(f"{GRAPHQL_RESPONSE_JSON}, {JSON};q=0.5") == (
            GRAPHQL_RESPONSE_JSON
        )
    assert negotiate_response_type(f"{padding}, {JSON}") == JSON
    assert negotiate_response_type(padding) is None
    assert accepts_html(f"{padding}, text/html") is True
    assert accepts_html(f"{padding}, */*") is False
