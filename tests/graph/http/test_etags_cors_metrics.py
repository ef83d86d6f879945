"""One tag per representation, CORS for the headers the API reads and sends, /metrics kept in."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from coopgraph.settings import Settings
from coopgraph.settings.sections import LOOPBACK
from tests.graph.http.conftest import GRAPHQL_RESPONSE_JSON, GRJ, JSON, LiveApp, codes, live

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

URL = f"/graphql?query={quote('{ fields { name } }')}"
ORIGIN = "https://maps.example"


# --- ETags ------------------------------------------------------------------------------


def test_each_media_type_has_its_own_strong_etag(client: httpx.Client) -> None:
    as_json = client.get(URL, headers={"accept": JSON})
    as_grj = client.get(URL, headers={"accept": GRAPHQL_RESPONSE_JSON})
    assert as_json.headers["content-type"] == JSON
    assert as_grj.headers["content-type"] == GRJ
    assert as_json.content == as_grj.content
    assert as_json.headers["etag"] != as_grj.headers["etag"]
    for answer in (as_json, as_grj):
        assert answer.headers["vary"] == "Accept"
        assert not answer.headers["etag"].startswith("W/")

    # A tag of one representation does not confirm the other.
    crossed = client.get(
        URL, headers={"accept": GRAPHQL_RESPONSE_JSON, "if-none-match": as_json.headers["etag"]}
    )
    assert crossed.status_code == 200
    assert crossed.headers["content-type"] == GRJ
    assert crossed.headers["etag"] == as_grj.headers["etag"]
    assert crossed.json()["data"]["fields"][0] == {"name": "基础前沿交叉领域"}

    own = client.get(
        URL, headers={"accept": GRAPHQL_RESPONSE_JSON, "if-none-match": as_grj.headers["etag"]}
    )
    assert own.status_code == 304
    assert own.headers["etag"] == as_grj.headers["etag"]


# --- CORS -------------------------------------------------------------------------------


@pytest.fixture
def cors(seeded_url: str) -> Iterator[LiveApp]:
    with live(Settings(database_url=seeded_url, cors_origins=(ORIGIN,))) as served:
        yield served


def test_cors_allows_the_dry_run_header_and_revalidation(cors: LiveApp) -> None:
    with cors.client() as client:
        preflight = client.options(
            "/graphql",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type, x-coopgraph-dry-run, if-none-match",
            },
        )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    allowed = {
        h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")
    }
    assert {"x-coopgraph-dry-run", "if-none-match", "content-type"} <= allowed


def test_cors_exposes_the_etag_and_the_cache_header(cors: LiveApp) -> None:
    with cors.client() as client:
        client.get(URL)
        answer = client.get(URL, headers={"Origin": ORIGIN})
    assert answer.headers["access-control-allow-origin"] == ORIGIN
    assert answer.headers["x-coopgraph-cache"] == "hit"
    exposed = {
        h.strip().lower() for h in answer.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "x-coopgraph-cache", "x-request-id", "retry-after"} <= exposed


# --- /metrics ---------------------------------------------------------------------------


def test_metrics_are_served_to_loopback_by_default(client: httpx.Client) -> None:
    assert Settings().metrics_clients == LOOPBACK
    response = client.get("/metrics")
    assert response.status_code == 200
    assert "coopgraph_graphql_requests_total" in response.text


def test_metrics_are_a_404_for_clients_outside_the_allowed_networks(seeded_url: str) -> None:
    settings = Settings(
        database_url=seeded_url, metrics_clients=(ipaddress.ip_network("10.0.0.0/8"),)
    )
    with live(settings) as served, served.client() as client:
        response = client.get("/metrics")
        unknown = client.get("/no-such-path")
    assert response.status_code == 404
    assert codes(response) == ["NOT_FOUND"]
    # The same answer as a path that does not exist: nothing says it is there.
    assert (
        response.json()["errors"][0]["message"]
        == "Nothing is served at /metrics; the GraphQL API is at /graphql."
    )
    assert unknown.status_code == 404
    assert "coopgraph_" not in response.text
