"""Automatic Persisted Queries by hand: the protocol's answers, edge cases included.

The happy path is also driven by Apollo Client itself in ``test_apollo.py``; here each
request is written out so that the refusals can be pinned to their status and message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest

from coopgraph.settings import Settings
from tests.graph.caching.conftest import unique_query
from tests.graph.http.conftest import GRAPHQL_RESPONSE_JSON, LiveApp, run_in_process


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def persisted(hash_: object, version: object = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": hash_}}


@pytest.fixture(scope="module")
def served(seeded_url: str) -> Iterator[LiveApp]:
    with run_in_process(Settings(database_url=seeded_url)) as app:
        yield app


@pytest.fixture
def client(served: LiveApp) -> Iterator[httpx.Client]:
    with served.client() as http:
        yield http


def test_unknown_hash_is_not_found_then_registered(client: httpx.Client) -> None:
    query, alias = unique_query()
    extensions = persisted(sha256(query))
    unknown = client.post("/graphql", json={"extensions": extensions})
    registered = client.post("/graphql", json={"query": query, "extensions": extensions})
    by_hash = client.post("/graphql", json={"extensions": extensions})
    by_get = client.get("/graphql", params={"extensions": orjson.dumps(extensions).decode()})

    assert unknown.status_code == 200
    assert unknown.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    expected = {alias: [{"year": 2020, "priorityCount": 115}]}
    assert registered.json()["data"] == expected
    assert by_hash.json()["data"] == expected
    assert by_get.status_code == 200
    assert by_get.json()["data"] == expected
    assert by_get.headers["etag"]


def test_hash_only_and_full_text_share_one_cached_answer(client: httpx.Client) -> None:
    query, _alias = unique_query()
    extensions = persisted(sha256(query))
    full = client.post("/graphql", json={"query": query, "extensions": extensions})
    hashed = client.post("/graphql", json={"extensions": extensions})
    plain = client.post("/graphql", json={"query": query})

    assert hashed.headers["x-coopgraph-cache"] == "hit"
    assert plain.headers["x-coopgraph-cache"] == "hit"
    assert hashed.content == full.content == plain.content


def test_a_query_answered_from_the_cache_is_registered_all_the_same(
    client: httpx.Client,
) -> None:
    # A popular query is in the response cache before any client persists it; Apollo's
    # retry (query and hash) then hits the cache, and must still register the hash.
    query, alias = unique_query()
    extensions = persisted(sha256(query))
    client.post("/graphql", json={"query": query})
    retried = client.post("/graphql", json={"query": query, "extensions": extensions})
    by_hash = client.post("/graphql", json={"extensions": extensions})

    assert retried.headers["x-coopgraph-cache"] == "hit"
    assert by_hash.json()["data"] == {alias: [{"year": 2020, "priorityCount": 115}]}


def test_not_found_under_the_graphql_response_media_type(client: httpx.Client) -> None:
    query, _alias = unique_query()
    unknown = client.post(
        "/graphql",
        json={"extensions": persisted(sha256(query))},
        headers={"accept": GRAPHQL_RESPONSE_JSON},
    )
    # Nothing executed: a request error, 400 under the newer media type.
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


REFUSALS = [
    pytest.param(
        persisted("0" * 63),
        "extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits.",
        id="short-hash",
    ),
    pytest.param(
        persisted("A" * 64),
        "extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits.",
        id="uppercase-hash",
    ),
    pytest.param(
        persisted(7),
        "extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits.",
        id="hash-number",
    ),
    pytest.param(
        {"persistedQuery": "abc"},
        "extensions.persistedQuery must be an object.",
        id="not-an-object",
    ),
    pytest.param(
        {"persistedQuery": None},
        "extensions.persistedQuery must be an object.",
        id="null",
    ),
    pytest.param(
        persisted("0" * 64, version=2),
        "Only version 1 of persisted queries is supported.",
        id="version-2",
    ),
    pytest.param(
        {"persistedQuery": {"sha256Hash": "0" * 64}},
        "Only version 1 of persisted queries is supported.",
        id="no-version",
    ),
]


@pytest.mark.parametrize(("extensions", "message"), REFUSALS)
@pytest.mark.parametrize("with_query", [True, False], ids=["with-query", "hash-only"])
def test_malformed_or_mismatched_persisted_query_is_400(
    client: httpx.Client, extensions: Any, message: str, with_query: bool
) -> None:
    query, _alias = unique_query()
    body: dict[str, Any] = {"extensions": extensions}
    if with_query:
        body["query"] = query
    response = client.post("/graphql", json=body)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["message"] == message
    assert error["extensions"]["code"] == "BAD_REQUEST"


def test_hash_of_another_query_is_400_and_registers_nothing(client: httpx.Client) -> None:
    query, _alias = unique_query()
    other, _ = unique_query()
    # The hash of ``other`` sent with ``query``: refused, and ``other``'s hash is not
    # now bound to ``query``'s text.
    refused = client.post("/graphql", json={"query": query, "extensions": persisted(sha256(other))})
    after = client.post("/graphql", json={"extensions": persisted(sha256(other))})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == (
        "The persistedQuery.sha256Hash is not the SHA-256 of the query sent."
    )
    assert after.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_malformed_extension_over_get_is_400(client: httpx.Client) -> None:
    response = client.get(
        "/graphql",
        params={"extensions": orjson.dumps({"persistedQuery": {"version": 3}}).decode()},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "Only version 1 of persisted queries is supported."
    )


def test_persisted_queries_survive_a_redis_that_is_down(seeded_url: str) -> None:
    from testbed.live_server import free_port  # noqa: PLC0415

    settings = Settings(database_url=seeded_url, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    query, alias = unique_query()
    extensions = persisted(sha256(query))
    with run_in_process(settings) as app, app.client() as http:
        unknown = http.post("/graphql", json={"extensions": extensions})
        full = http.post("/graphql", json={"query": query, "extensions": extensions})

    # Nothing can be registered, so the client keeps sending the text, and is answered.
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert full.json()["data"] == {alias: [{"year": 2020, "priorityCount": 115}]}


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("{ nope }", id="invalid"),
        pytest.param(
            "{ continents { countries { fields { countries { fields { countries"
            " { fields { countries { name } } } } } } } } }",
            id="over-the-cost-limit",
        ),
        pytest.param("{ continents { name ", id="unparsable"),
    ],
)
def test_only_a_query_that_passed_its_checks_is_registered(
    client: httpx.Client, query: str
) -> None:
    extensions = persisted(sha256(query))
    refused = client.post("/graphql", json={"query": query, "extensions": extensions})
    assert "errors" in refused.json()
    later = client.post("/graphql", json={"extensions": extensions})
    assert later.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
