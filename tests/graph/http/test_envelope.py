"""Every error the server writes, from any route or layer, is the JSON envelope; HEAD is GET.

The README promises ``{"errors": [{"message", "extensions": {"code"}}]}`` for every
error; Starlette's own 404 and 405 (an unknown path, a method a route does not take,
a static file that is not there) used to be plain text.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from tests.graph.http.conftest import GRAPHQL_RESPONSE_JSON, GRJ, JSON, codes

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

EDITIONS = "{ editions { year } }"


def envelope(response: httpx.Response) -> dict[str, object]:
    """The one error of an enveloped answer, checked for the envelope's shape."""
    body = response.json()
    assert set(body) == {"errors"}
    (error,) = body["errors"]
    assert set(error) == {"message", "extensions"}
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    return error  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", ["/nope", "/graphql/extra", "/static/no-such-file.js"])
def test_unknown_paths_are_enveloped_404s(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == JSON
    assert response.headers["x-content-type-options"] == "nosniff"
    error = envelope(response)
    assert codes(response) == ["NOT_FOUND"]
    assert error["message"] == f"Nothing is served at {path}; the GraphQL API is at /graphql."


def test_a_long_path_is_not_quoted_back_whole(client: httpx.Client) -> None:
    path = "/" + "x" * 5000
    response = client.get(path)
    assert response.status_code == 404
    message = envelope(response)["message"]
    assert message == f"Nothing is served at /{'x' * 79}…; the GraphQL API is at /graphql."


def test_a_404_speaks_the_negotiated_media_type(client: httpx.Client) -> None:
    response = client.get("/nope", headers={"accept": GRAPHQL_RESPONSE_JSON})
    assert response.status_code == 404
    assert response.headers["content-type"] == GRJ
    assert codes(response) == ["NOT_FOUND"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/healthz", {"GET", "HEAD"}),
        ("DELETE", "/metrics", {"GET", "HEAD"}),
        ("POST", "/static/explorer.js", {"GET", "HEAD"}),
    ],
)
def test_methods_a_route_does_not_take_are_enveloped_405s(
    client: httpx.Client, method: str, path: str, allow: set[str]
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["content-type"] == JSON
    assert {m.strip() for m in response.headers["allow"].split(",")} == allow
    error = envelope(response)
    assert codes(response) == ["METHOD_NOT_ALLOWED"]
    assert error["message"] == f"{path} is served over {response.headers['allow']}, not {method}."


def test_head_answers_as_get_without_a_body(client: httpx.Client) -> None:
    url = f"/graphql?query={quote(EDITIONS)}"
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert get.json()["data"] == {"editions": [{"year": 2020}]}
    for header in ("content-type", "content-length", "etag", "cache-control", "vary"):
        assert head.headers[header] == get.headers[header]
    revalidated = client.head(url, headers={"if-none-match": get.headers["etag"]})
    assert revalidated.status_code == 304


def test_head_refuses_what_get_refuses(client: httpx.Client) -> None:
    validation = client.head("/graphql", params={"query": "{ nope }"}, headers={"accept": GRJ})
    assert validation.status_code == 400
    assert validation.content == b""
    mutation = client.head("/graphql", params={"query": "mutation { x }"})
    assert mutation.status_code == 405
    assert mutation.headers["allow"] == "POST"


def test_head_of_the_page_is_the_page_without_its_body(client: httpx.Client) -> None:
    response = client.head("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert int(response.headers["content-length"]) > 0
    assert response.content == b""


@pytest.mark.parametrize(
    "request_args",
    [
        pytest.param(("POST", {"json": {"query": EDITIONS}}), id="post"),
        pytest.param(("POST", {"json": {"query": "{ nope }"}}), id="validation-error"),
        pytest.param(("PUT", {}), id="method"),
    ],
)
def test_every_graphql_answer_varies_on_accept(
    client: httpx.Client, request_args: tuple[str, dict[str, object]]
) -> None:
    method, extra = request_args
    response = client.request(method, "/graphql", **extra)  # type: ignore[arg-type]
    assert response.headers["vary"] == "Accept"


def test_a_fault_outside_the_endpoint_is_the_masked_500(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> bytes:
        msg = "the registry is broken: password=hunter2"
        raise RuntimeError(msg)

    monkeypatch.setattr("coopgraph.graph.http.metrics.generate_latest", broken)
    response = client.get("/metrics")
    assert response.status_code == 500
    assert response.headers["content-type"] == JSON
    error = envelope(response)
    assert codes(response) == ["INTERNAL_SERVER_ERROR"]
    assert error["message"] == "Internal server error"
    assert "hunter2" not in response.text
