"""Issue 19's rows whose pieces are wired into the endpoint's stages, end to end.

Each test drives the shipped app; they were strict xfails until the wiring landed
(docs/decisions.md, "Hostile clients, second round").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.graph.caching.conftest import unique_query
from tests.graph.http.conftest import LiveApp, graphql

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def test_deeply_nested_variables_are_a_400(client: httpx.Client) -> None:
    # Today: 500 INTERNAL_SERVER_ERROR, orjson's recursion limit in the cache key.
    response = graphql(client, "{ editions { year } }", nested(255))
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "JSON_DEPTH_LIMIT_EXCEEDED"


def test_the_field_budget_follows_its_setting(serve_settings: Callable[..., LiveApp]) -> None:
    with serve_settings(max_fields=10).client() as client:
        response = graphql(client, "{" + " __typename" * 11 + " }")
    (error,) = response.json()["errors"]
    assert (error["extensions"]["code"], error["extensions"]["limit"]) == (
        "FIELD_LIMIT_EXCEEDED",
        10,
    )


def test_a_client_registers_only_its_share(serve_settings: Callable[..., LiveApp]) -> None:
    with serve_settings(max_persisted_per_client=1).client() as client:
        kept = []
        for _ in range(2):
            query, _alias = unique_query()
            sha = hashlib.sha256(query.encode()).hexdigest()
            extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha}}
            client.post("/graphql", json={"query": query, "extensions": extensions})
            by_hash = client.post("/graphql", json={"extensions": extensions}).json()
            kept.append("data" in by_hash)
    assert kept == [True, False]
