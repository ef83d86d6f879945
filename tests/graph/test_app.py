"""The app as it ships: health, readiness, the GraphQL-over-HTTP rules, CORS, sessions.

Reached in process (``tests.in_process``): these are about what the app answers, not
how a server carries it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import httpx
import pytest

from coopgraph.graph.app import build_app, create_app
from coopgraph.settings import Settings
from tests.graph.http.conftest import connections_checked_out
from tests.in_process import in_process

GRAPHQL_RESPONSE = "application/graphql-response+json"


def test_healthz_and_readyz_answer_200(http_client: httpx.Client) -> None:
    assert http_client.get("/healthz").status_code == 200
    ready = http_client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


def test_readyz_answers_503_when_the_database_does_not() -> None:
    # Nothing listens on port 9 of loopback: the database cannot answer.
    settings = Settings(
        database_url="postgresql://postgres@127.0.0.1:9/none", readiness_timeout=1.0
    )
    with in_process(create_app(settings)) as running, running.client(timeout=30) as client:
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_get_runs_a_query(http_client: httpx.Client) -> None:
    response = http_client.get(
        "/graphql", params={"query": '{ country(isoCode: "JP") { name nameEn } }'}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"country": {"name": "日本", "nameEn": "Japan"}}
    assert body["extensions"] == {
        "cost": {"estimated": 1, "limit": 200_000},
        "execution": "compiled",
    }


def test_answers_in_utf8_without_escapes(http_client: httpx.Client) -> None:
    response = http_client.post("/graphql", json={"query": '{ country(isoCode: "JP") { name } }'})
    assert response.headers["content-type"].startswith("application/json")
    assert "日本".encode() in response.content


def test_graphql_response_media_type_gives_400_for_validation_errors(
    http_client: httpx.Client,
) -> None:
    response = http_client.post(
        "/graphql",
        json={"query": "{ continents { noSuchField } }"},
        headers={"Accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_field_errors_keep_200_with_data(http_client: httpx.Client) -> None:
    response = http_client.post(
        "/graphql",
        json={"query": "{ countries(first: 500) { totalCount } }"},
        headers={"Accept": GRAPHQL_RESPONSE},
    )
    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "between 1 and 100" in body["errors"][0]["message"]


def test_unsupported_content_type_is_refused(http_client: httpx.Client) -> None:
    response = http_client.post(
        "/graphql", content="{ continents { name } }", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.fixture
def cors_client(seeded_url: str) -> Iterator[httpx.Client]:
    settings = Settings(database_url=seeded_url, cors_origins=("https://maps.example",))
    with in_process(create_app(settings)) as running, running.client(timeout=30) as client:
        yield client


def test_cors_allows_only_configured_origins(
    cors_client: httpx.Client, http_client: httpx.Client
) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    allowed = cors_client.options(
        "/graphql", headers={"Origin": "https://maps.example", **preflight}
    )
    assert allowed.headers.get("access-control-allow-origin") == "https://maps.example"
    other = cors_client.options("/graphql", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers
    default = http_client.post(
        "/graphql",
        json={"query": "{ editions { year } }"},
        headers={"Origin": "https://maps.example"},
    )
    assert "access-control-allow-origin" not in default.headers


def test_sessions_are_returned_after_success_and_failure(seeded_url: str) -> None:
    built = build_app(Settings(database_url=seeded_url))
    queries = [
        "{ continents { name countries { name } } }",
        "{ countries(first: 0) { totalCount } }",
        '{ node(id: "not base64!") { id } }',
        # One malformed ID among valid ones: no load of the others may outlive the request.
        '{ nodes(ids: ["Q291bnRyeTpKUA==", "Q291bnRyeTpVUw==", "not base64!"]) { id } }',
        '{ a: country(isoCode: "JP") { priorities { id } } b: countries(first: 500) { totalCount } }',
    ]
    with in_process(built.app) as running, running.client(timeout=30) as client:
        for query in queries:
            assert client.post("/graphql", json={"query": query}).status_code == 200
        gc.collect()
        checked_out = connections_checked_out(built.engine)
    assert checked_out == 0
