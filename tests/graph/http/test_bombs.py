"""Issue 19's documents that cost the server more than they look, against the shipped app.

Each is refused by a budget read off the document before validation, under its own
code, with what was measured and what is allowed; the legitimate neighbours (GraphiQL's
introspection query) still pass.
"""

from __future__ import annotations

import httpx
import pytest

from testbed.graphql_attacks import GRAPHIQL, SCHEMAS, TYPENAMES
from tests.graph.http.conftest import GRAPHQL_RESPONSE_JSON, graphql
from tests.graph.limits.test_bombs import BOMB

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("query", "code", "measured", "limit"),
    [
        pytest.param(BOMB, "FIELD_LIMIT_EXCEEDED", 1990, 200, id="validation-bomb"),
        pytest.param(TYPENAMES, "FIELD_LIMIT_EXCEEDED", 1000, 200, id="typenames"),
        pytest.param(SCHEMAS, "INTROSPECTION_LIMIT_EXCEEDED", 17, 2, id="schemas"),
    ],
)
def test_bomb_is_refused_under_its_code(
    client: httpx.Client, query: str, code: str, measured: int, limit: int
) -> None:
    for _ in range(2):  # a resend gets the same answer
        response = graphql(client, query, accept=GRAPHQL_RESPONSE_JSON)
        assert response.status_code == 400
        body = response.json()
        assert "data" not in body
        (error,) = body["errors"]
        assert error["extensions"]["code"] == code
        assert (error["extensions"]["measured"], error["extensions"]["limit"]) == (
            measured,
            limit,
        )


def test_graphiql_introspection_is_answered(client: httpx.Client) -> None:
    response = graphql(client, GRAPHIQL)
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    names = {kind["name"] for kind in body["data"]["__schema"]["types"]}
    assert {"Country", "Continent", "Institution"} <= names


def test_two_introspection_selections_are_answered(client: httpx.Client) -> None:
    query = '{ __schema { queryType { name } } __type(name: "Country") { name } }'
    body = graphql(client, query).json()
    assert body["data"] == {
        "__schema": {"queryType": {"name": "Query"}},
        "__type": {"name": "Country"},
    }
