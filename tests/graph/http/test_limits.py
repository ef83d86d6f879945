"""The limits, over HTTP: each refusal's code, measured value and limit, before execution.

Refusals are request errors: 400 under application/graphql-response+json, 200 under
application/json, no ``data``; body size, rate and time keep their own statuses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event

from tests.graph.http.conftest import GRAPHQL_RESPONSE_JSON, GRJ, LiveApp, graphql

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

CONTRACT = resources.files("coopgraph.graph").joinpath("contract", "queries")
FULL_TREE = CONTRACT.joinpath("full_tree.graphql").read_text("utf-8")
SIX_MILLION = (
    "{ continents { countries { fields { countries { fields { countries { fields"
    " { countries { name } } } } } } } } }"
)


def nested(depth: int) -> str:
    """``continents { countries { continent { … { name }`` with ``depth`` fields on its path."""
    objects = ["continents"] + [
        "countries" if i % 2 == 0 else "continent" for i in range(depth - 2)
    ]
    return "{ " + " { ".join(objects) + " { name" + " }" * len(objects) + " }"


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: continents {{ name }}" for i in range(count)) + " }"


def global_ids(count: int) -> list[str]:
    import base64  # noqa: PLC0415

    return [base64.b64encode(f"Country:C{i}".encode()).decode() for i in range(count)]


def refusal(response: httpx.Response) -> dict[str, Any]:
    """The one error of a refused request, checked for the shape every refusal has."""
    body = response.json()
    assert "data" not in body
    (error,) = body["errors"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    extensions: dict[str, Any] = error["extensions"]
    return {"message": error["message"], **extensions}


def test_full_tree_passes_with_its_estimate(api: LiveApp, client: httpx.Client) -> None:
    response = graphql(client, FULL_TREE)
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    assert len(body["data"]["continents"]) == 7
    # 7 continents, 44 countries, 115 priorities with their 115 fields, 55 directions
    # and 200 institution links: the document's own counts.
    assert body["extensions"]["cost"] == {"estimated": 536, "limit": 200_000}
    assert api.checked_out() == 0


@pytest.mark.parametrize(("accept", "status"), [(GRAPHQL_RESPONSE_JSON, 400), (None, 200)])
def test_six_million_objects_are_refused_before_execution(
    client: httpx.Client, accept: str | None, status: int
) -> None:
    response = graphql(client, SIX_MILLION, accept=accept)
    assert response.status_code == status
    error = refusal(response)
    assert error["code"] == "COST_LIMIT_EXCEEDED"
    assert error["measured"] == 113_929_685
    assert error["limit"] == 200_000
    assert error["message"] == (
        "The query could return 113,929,685 objects; this server allows 200,000. Ask for"
        " fewer levels, or page with smaller `first` values."
    )


def test_depth_32_is_refused(client: httpx.Client) -> None:
    response = graphql(client, nested(32), accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert response.headers["content-type"] == GRJ
    error = refusal(response)
    assert (error["code"], error["measured"], error["limit"]) == ("DEPTH_LIMIT_EXCEEDED", 32, 12)
    assert error["message"] == "The query nests fields 32 deep; this server allows 12."


def test_depth_at_the_limit_passes(client: httpx.Client) -> None:
    # Twelve fields on the path, through single objects so that the cost stays small.
    path = ["priorities(first: 1)", "edges", "node", "field"] + ["directions", "field"] * 3
    query = "{ " + " { ".join(path) + " { directions { name" + " }" * (len(path) + 1) + " }"
    response = graphql(client, query)
    assert response.status_code == 200
    assert "errors" not in response.json()
    assert refusal(graphql(client, query.replace("{ name", "{ field { name }")))["measured"] == 13


def test_two_thousand_aliases_are_refused_by_their_tokens_first(client: httpx.Client) -> None:
    # 2,000 aliases of `continents { name }` are 12,000 tokens: counted before parsing.
    response = graphql(client, aliases(2000), accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    error = refusal(response)
    assert (error["code"], error["measured"], error["limit"]) == (
        "TOKEN_LIMIT_EXCEEDED",
        5001,
        5000,
    )


def test_two_thousand_aliases_are_refused_with_tokens_allowed(
    serve_settings: Callable[..., LiveApp],
) -> None:
    served = serve_settings(max_tokens=100_000)
    with served.client() as client:
        response = graphql(client, aliases(2000), accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    error = refusal(response)
    assert (error["code"], error["measured"], error["limit"]) == (
        "ALIAS_LIMIT_EXCEEDED",
        2000,
        30,
    )


def test_aliases_past_the_limit_are_refused(client: httpx.Client) -> None:
    assert graphql(client, aliases(30)).status_code == 200
    error = refusal(graphql(client, aliases(31)))
    assert (error["code"], error["measured"], error["limit"]) == ("ALIAS_LIMIT_EXCEEDED", 31, 30)


def test_aliases_are_counted_through_fragments(client: httpx.Client) -> None:
    query = "{ " + " ".join(f"f{i}: edition(year: 2020) {{ ...E }}" for i in range(5)) + " }"
    query += " fragment E on Edition { " + " ".join(f"y{i}: year" for i in range(6)) + " }"
    error = refusal(graphql(client, query))
    # 5 aliased fields, each with the fragment's 6 aliases.
    assert (error["code"], error["measured"], error["limit"]) == ("ALIAS_LIMIT_EXCEEDED", 35, 30)


def test_tokens_past_the_limit_are_refused(client: httpx.Client) -> None:
    query = "{ editions { " + "year " * 5000 + "} }"
    error = refusal(graphql(client, query))
    assert (error["code"], error["measured"], error["limit"]) == (
        "TOKEN_LIMIT_EXCEEDED",
        5001,
        5000,
    )
    assert error["message"] == (
        "The query has more than 5000 tokens, the most this server accepts; split it into"
        " smaller queries."
    )


NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
COMMON = "query($ids: [ID!]!) { commonFields(countries: $ids) { name } }"


def literal(ids: list[str]) -> str:
    return "[" + ", ".join(f'"{value}"' for value in ids) + "]"


@pytest.mark.parametrize(
    ("query", "variables", "where"),
    [
        pytest.param(
            "{ nodes(ids: " + literal(global_ids(101)) + ") { id } }",
            None,
            "nodes(ids:)",
            id="nodes-literal",
        ),
        pytest.param(NODES, {"ids": global_ids(101)}, "variables.ids", id="nodes-variable"),
        pytest.param(
            "{ commonFields(countries: " + literal(global_ids(101)) + ") { name } }",
            None,
            "commonFields(countries:)",
            id="common-fields-literal",
        ),
        pytest.param(
            COMMON, {"ids": global_ids(101)}, "variables.ids", id="common-fields-variable"
        ),
    ],
)
def test_list_arguments_past_100_items_are_refused(
    client: httpx.Client, query: str, variables: dict[str, Any] | None, where: str
) -> None:
    response = graphql(client, query, variables, accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    error = refusal(response)
    assert (error["code"], error["measured"], error["limit"]) == ("LIST_LIMIT_EXCEEDED", 101, 100)
    assert error["message"] == f"The list at {where} has 101 items; this server allows 100."


def test_list_argument_of_100_items_passes(client: httpx.Client) -> None:
    response = graphql(client, NODES, {"ids": global_ids(100)})
    assert response.status_code == 200
    assert response.json()["data"] == {"nodes": [None] * 100}


# --- Dry run: the estimate, and nothing executed -----------------------------------------


class Statements:
    """The SQL statements sent by any engine while installed."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        with self._lock:
            self.sent.append(statement)

    def querying_data(self) -> list[str]:
        # The cost model's statistics may be re-read (every few seconds); they are
        # not the query's data.
        return [s for s in self.sent if "relation_statistics" not in s]


@pytest.fixture
def statements() -> Iterator[Statements]:
    recorder = Statements()
    event.listen(Engine, "before_cursor_execute", recorder)
    yield recorder
    event.remove(Engine, "before_cursor_execute", recorder)


@pytest.mark.parametrize(
    ("headers", "extensions"),
    [
        pytest.param({"x-coopgraph-dry-run": "1"}, None, id="header"),
        pytest.param({}, {"dryRun": True}, id="extensions"),
    ],
)
def test_dry_run_reports_the_estimate_without_executing(
    api: LiveApp,
    client: httpx.Client,
    statements: Statements,
    headers: dict[str, str],
    extensions: dict[str, Any] | None,
) -> None:
    assert api.built.compiled is not None
    compiled = api.built.compiled.source

    body: dict[str, Any] = {"query": FULL_TREE}
    if extensions is not None:
        body["extensions"] = extensions
    before = compiled.statements
    response = client.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200
    assert response.json() == {
        "extensions": {"cost": {"estimated": 536, "limit": 200_000}, "dryRun": True}
    }
    assert statements.querying_data() == []
    assert compiled.statements == before
    # The same request without the dry run does execute (on the compiled path, whose
    # statements its own counter sees), unless an earlier test left it cached.
    response = graphql(client, FULL_TREE)
    assert response.status_code == 200
    if response.headers.get("x-coopgraph-cache") != "hit":
        assert len(statements.querying_data()) + compiled.statements - before == 6
    assert api.checked_out() == 0


def test_dry_run_of_a_refused_query_is_the_refusal(client: httpx.Client) -> None:
    response = client.post(
        "/graphql", json={"query": SIX_MILLION}, headers={"x-coopgraph-dry-run": "1"}
    )
    assert refusal(response)["code"] == "COST_LIMIT_EXCEEDED"


# --- Variables are read with their defaults ----------------------------------------------


def test_a_default_list_is_held_to_the_list_limit(client: httpx.Client) -> None:
    ids = ", ".join('"Q29udGluZW50OmFzaWE="' for _ in range(101))
    query = f"query($ids: [ID!]! = [{ids}]) {{ nodes(ids: $ids) {{ id }} }}"
    (error,) = graphql(client, query).json()["errors"]
    assert error["extensions"]["code"] == "LIST_LIMIT_EXCEEDED"
    assert (error["extensions"]["measured"], error["extensions"]["limit"]) == (101, 100)


def test_a_default_list_counts_in_the_cost(client: httpx.Client) -> None:
    ids = ", ".join('"Q29udGluZW50OmFzaWE="' for _ in range(50))
    query = (
        f"query($ids: [ID!]! = [{ids}]) {{ nodes(ids: $ids) {{ id"
        " ... on Continent { countries { name } } } }"
    )
    body = graphql(client, query).json()
    # 50 nodes (the same one, so no bound by links), each a continent of at most 17
    # countries (亚洲 lists 6, 欧洲 17).
    assert body["extensions"]["cost"]["estimated"] == 50 + 50 * 17


def test_variables_that_do_not_coerce_are_a_request_error(client: httpx.Client) -> None:
    response = graphql(
        client,
        "query($first: Int!) { countries(first: $first) { totalCount } }",
        {"first": "many"},
        accept=GRAPHQL_RESPONSE_JSON,
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "$first" in error["message"]


# --- The standard executor's budget --------------------------------------------------------


def test_queries_the_compiled_path_cannot_run_have_their_own_budget(
    serve_settings: Callable[..., LiveApp],
) -> None:
    served = serve_settings(max_standard_cost=30)
    with served.client() as client:
        # search runs on Strawberry's executor: 10 hits, their results and the results'
        # countries are 10 + 10 + 10 = 30 objects; one level more is refused.
        search = '{ search(text: "大学", first: 10) { result { ... on Institution { country { name } } } } }'
        assert "errors" not in graphql(client, search).json()
        deeper = (
            '{ search(text: "大学", first: 10) { result { ... on Institution'
            " { country { continent { name } } } } } }"
        )
        (error,) = graphql(client, deeper).json()["errors"]
        assert error["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
        assert (error["extensions"]["measured"], error["extensions"]["limit"]) == (40, 30)
        assert "compiled path does not plan" in error["message"]
        # The full tree (536) compiles, so the general budget applies to it.
        full = graphql(client, FULL_TREE).json()
        assert full["extensions"]["execution"] == "compiled"


def test_introspection_costs_what_the_schema_holds(client: httpx.Client) -> None:
    from graphql import get_introspection_query  # noqa: PLC0415 - only this test needs it

    body = graphql(client, get_introspection_query(descriptions=True)).json()
    assert "errors" not in body
    # Bounded by the schema's own counts (types, fields, arguments), well under the
    # standard executor's budget, so GraphiQL always loads its docs.
    assert 500 < body["extensions"]["cost"]["estimated"] < 5_000
