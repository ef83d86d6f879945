"""What every response carries: a request ID, and the security headers."""

from __future__ import annotations

import httpx
import pytest

from coopgraph.graph.http.security import CONTENT_SECURITY_POLICY
from tests.graph.http.conftest import graphql

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"


def test_every_response_gets_a_fresh_request_id(client: httpx.Client) -> None:
    responses = [
        graphql(client, "{ editions { year } }"),
        graphql(client, "{ nope }"),
        client.put("/graphql"),
        client.get("/healthz"),
        client.get("/graphql", headers={"accept": BROWSER}),
    ]
    ids = [response.headers["x-request-id"] for response in responses]
    assert len(set(ids)) == len(ids)
    assert all(len(value) == 32 and value.isalnum() for value in ids)


@pytest.mark.parametrize(
    "offered", ["0f8b8a2e-6c1d-4a77-9f3e-1c2d3e4f5a6b", "trace:abc.DEF_123-x", "a" * 128]
)
def test_a_safe_client_request_id_is_echoed(client: httpx.Client, offered: str) -> None:
    response = client.post(
        "/graphql", json={"query": "{ nope }"}, headers={"x-request-id": offered}
    )
    assert response.headers["x-request-id"] == offered


@pytest.mark.parametrize(
    "offered",
    [
        "has spaces in it",
        "a" * 500,
        "short",
        "tab\there-and-more",
        "quote\"and'more",
        "<script>alert(1)</script>",
        "ünïcödé-request-id",
    ],
)
def test_an_unsafe_client_request_id_is_replaced(client: httpx.Client, offered: str) -> None:
    response = client.post(
        "/graphql",
        json={"query": "{ nope }"},
        headers={b"x-request-id": offered.encode("utf-8")},
    )
    replaced = response.headers["x-request-id"]
    assert replaced not in (offered, offered.encode("utf-8").decode("latin-1"))
    assert len(replaced) == 32
    assert replaced.isalnum()


def test_graphiql_page_has_a_content_security_policy(client: httpx.Client) -> None:
    response = client.get("/graphql", headers={"accept": BROWSER})
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/graphql", {"query": "{ editions { year } }"}, 200),
        ("POST", "/graphql", {"query": "{ nope }"}, 200),
        ("DELETE", "/graphql", None, 405),
        ("GET", "/healthz", None, 200),
        ("GET", "/metrics", None, 200),
        ("GET", "/no-such-page", None, 404),
    ],
)
def test_nosniff_on_every_response_and_no_page_policy_on_json(
    client: httpx.Client, method: str, path: str, body: object, status: int
) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "content-security-policy" not in response.headers
