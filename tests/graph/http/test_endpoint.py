"""GraphQL over HTTP through the shipped app: media types, methods, errors, sessions.

Protocol rules do not depend on the database, so this module runs on SQLite only;
the modules about input that reaches SQL run on both backends.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import httpx
import pytest

from tests.graph.http.conftest import (
    GRAPHQL_RESPONSE_JSON,
    GRJ,
    JSON,
    LiveApp,
    codes,
    graphql,
)

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

EDITIONS = "{ editions { year } }"
EDITIONS_DATA = {"editions": [{"year": 2020}]}
SECRET = "password=hunter2"


def global_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def messages(response: httpx.Response) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]


# --- Content negotiation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, JSON),
        ("application/json", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (GRAPHQL_RESPONSE_JSON, GRJ),
        ("application/graphql-response+json; charset=utf-8", GRJ),
        ("application/json, application/graphql-response+json", GRJ),
        ("application/graphql-response+json, application/json;q=0.9", GRJ),
        ("application/graphql-response+json;q=0.5, application/json", JSON),
        ("application/graphql-response+json, */*;q=0.1", GRJ),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
        ("application/json;q=0, */*", GRJ),
    ],
)
def test_response_media_type_follows_accept(
    client: httpx.Client, accept: str | None, content_type: str
) -> None:
    response = graphql(client, EDITIONS, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.json()["data"] == EDITIONS_DATA


@pytest.mark.parametrize(
    "accept",
    [
        "text/plain",
        "text/html",
        "application/xml, text/*",
        "application/graphql-response+json;q=0, application/json;q=0",
        "application/json; charset=latin1",
    ],
)
def test_unacceptable_accept_is_406(api: LiveApp, client: httpx.Client, accept: str) -> None:
    response = graphql(client, EDITIONS, accept=accept)
    assert response.status_code == 406
    assert response.headers["content-type"] == JSON
    assert codes(response) == ["NOT_ACCEPTABLE"]
    assert api.checked_out() == 0


# --- POST bodies ------------------------------------------------------------------------


def test_post_json_with_charset_parameter(client: httpx.Client) -> None:
    response = client.post(
        "/graphql",
        content=json.dumps({"query": EDITIONS}).encode(),
        headers={"content-type": "application/json; charset=UTF-8"},
    )
    assert response.status_code == 200
    assert response.json()["data"] == EDITIONS_DATA


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/graphql",
        "application/json; charset=utf-16",
        None,
    ],
)
@pytest.mark.parametrize(("accept", "error_type"), [(None, JSON), (GRAPHQL_RESPONSE_JSON, GRJ)])
def test_unsupported_content_type_is_415(
    api: LiveApp,
    client: httpx.Client,
    content_type: str | None,
    accept: str | None,
    error_type: str,
) -> None:
    headers = {}
    if content_type is not None:
        headers["content-type"] = content_type
    if accept is not None:
        headers["accept"] = accept
    body = json.dumps({"query": EDITIONS}).encode()
    response = client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == error_type
    assert codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]
    assert "application/json" in messages(response)[0]
    assert api.checked_out() == 0


MALFORMED_BODIES = [
    pytest.param(b'{"query": ', "The request body is not valid JSON: ", id="truncated"),
    pytest.param(b"NONSENSE", "The request body is not valid JSON: ", id="not-json"),
    pytest.param(b"\xff\xfe{}", "The request body is not valid UTF-8.", id="utf-16-bom"),
    pytest.param(
        b'{"query": "{ editions { year } }\xff"}',
        "The request body is not valid UTF-8.",
        id="invalid-utf8",
    ),
    pytest.param(
        b'[{"query": "{ editions { year } }"}]',
        "Batched requests are not offered: send one JSON object per request.",
        id="batch",
    ),
    pytest.param(b'"{ editions }"', "The request body must be a JSON object.", id="string"),
    pytest.param(b"{}", "The request has no GraphQL query.", id="empty-object"),
    pytest.param(b'{"qeury": "{ editions }"}', "The request has no GraphQL query.", id="typo"),
    pytest.param(
        b'{"extensions": {"persistedQuery": {"version": 1}}}',
        "extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits.",
        id="persisted",
    ),
    pytest.param(b'{"query": 7}', "The query must be a string.", id="query-number"),
    pytest.param(b'{"query": ["{ editions }"]}', "The query must be a string.", id="query-list"),
    pytest.param(
        b'{"query": "{ editions }", "variables": [7]}',
        "The variables must be a JSON object.",
        id="variables-list",
    ),
    pytest.param(
        b'{"query": "{ editions }", "variables": "{}"}',
        "The variables must be a JSON object.",
        id="variables-string",
    ),
    pytest.param(
        b'{"query": "{ editions }", "operationName": 1}',
        "The operationName must be a string.",
        id="operation-name-number",
    ),
    pytest.param(
        b'{"query": "{ editions }", "extensions": "x"}',
        "The extensions must be a JSON object.",
        id="extensions-string",
    ),
]


@pytest.mark.parametrize(("body", "message"), MALFORMED_BODIES)
@pytest.mark.parametrize(("accept", "error_type"), [(None, JSON), (GRAPHQL_RESPONSE_JSON, GRJ)])
def test_malformed_request_is_400_under_both_media_types(
    api: LiveApp,
    client: httpx.Client,
    body: bytes,
    message: str,
    accept: str | None,
    error_type: str,
) -> None:
    headers = {"content-type": "application/json"}
    if accept is not None:
        headers["accept"] = accept
    response = client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == error_type
    (error,) = response.json()["errors"]
    assert error["message"].startswith(message)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert api.checked_out() == 0


# --- GraphQL request errors: the status depends on the media type -----------------------

REQUEST_ERRORS = [
    pytest.param({"query": "{ editions { year }"}, "GRAPHQL_PARSE_FAILED", id="parse"),
    pytest.param({"query": ""}, "GRAPHQL_PARSE_FAILED", id="empty-query"),
    pytest.param({"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED", id="validation"),
    pytest.param(
        {"query": "{ edition { year } }"}, "GRAPHQL_VALIDATION_FAILED", id="missing-argument"
    ),
    pytest.param(
        {"query": "query A { editions { year } } query B { fields { name } }"},
        "BAD_REQUEST",
        id="operation-not-chosen",
    ),
    pytest.param(
        {"query": "query A { editions { year } }", "operationName": "C"},
        "BAD_REQUEST",
        id="unknown-operation",
    ),
    pytest.param(
        {"query": "query($y: Int!) { edition(year: $y) { year } }", "variables": {"y": "ten"}},
        "BAD_USER_INPUT",
        id="variable-type",
    ),
    pytest.param(
        {"query": "query($y: Int!) { edition(year: $y) { year } }"},
        "BAD_USER_INPUT",
        id="variable-missing",
    ),
    pytest.param({"query": "mutation { bump }"}, "GRAPHQL_VALIDATION_FAILED", id="mutation"),
    pytest.param(
        {"query": "subscription { editions { year } }"},
        "GRAPHQL_VALIDATION_FAILED",
        id="subscription",
    ),
]


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
def test_request_error_is_400_under_graphql_response_json(
    api: LiveApp, client: httpx.Client, body: dict[str, Any], code: str
) -> None:
    response = graphql(client, accept=GRAPHQL_RESPONSE_JSON, **body)
    assert response.status_code == 400
    assert response.headers["content-type"] == GRJ
    assert "data" not in response.json()
    assert codes(response) == [code]
    assert api.checked_out() == 0


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
def test_request_error_is_200_under_json(
    client: httpx.Client, body: dict[str, Any], code: str
) -> None:
    response = graphql(client, accept="application/json", **body)
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    assert "data" not in response.json()
    assert codes(response) == [code]


def test_unknown_operation_names_the_ones_there_are(client: httpx.Client) -> None:
    response = graphql(
        client, "query A { editions { year } } query B { fields { name } }", operationName="C"
    )
    assert messages(response) == ["The document has no operation named 'C' (it has: A, B)."]


def test_parse_error_keeps_its_location(client: httpx.Client) -> None:
    response = graphql(client, "{ editions { year }", accept=GRAPHQL_RESPONSE_JSON)
    (error,) = response.json()["errors"]
    assert error["message"] == "Syntax Error: Expected Name, found <EOF>."
    assert error["locations"] == [{"line": 1, "column": 20}]
    assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}


def test_validation_error_names_the_field_and_where(client: httpx.Client) -> None:
    response = graphql(client, "{\n  continents { noSuchField } }")
    (error,) = response.json()["errors"]
    assert error["message"] == "Cannot query field 'noSuchField' on type 'Continent'."
    assert error["locations"] == [{"line": 2, "column": 16}]


# --- Field errors from the real resolvers: executed, so 200 under both media types ------


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, "application/json"])
def test_bad_user_input_from_a_resolver_is_a_field_error(client: httpx.Client, accept: str) -> None:
    response = graphql(client, "{ editions { year } country { name } }", accept=accept)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {**EDITIONS_DATA, "country": None}
    assert body["errors"] == [
        {
            "message": "country needs isoCode or name",
            "locations": [{"line": 1, "column": 21}],
            "path": ["country"],
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, "application/json"])
def test_first_out_of_range_nulls_the_non_null_connection(
    api: LiveApp, client: httpx.Client, accept: str
) -> None:
    response = graphql(client, "{ priorities(first: 0) { totalCount } }", accept=accept)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["message"] == "first must be between 1 and 100, got 0"
    assert body["errors"][0]["path"] == ["priorities"]
    assert codes(response) == ["BAD_USER_INPUT"]
    assert api.checked_out() == 0


def test_unknown_key_in_a_filter_is_not_found(client: httpx.Client) -> None:
    unknown = global_id("Country:ZZ")
    query = "query($c: ID) { priorities(filter: {country: $c}) { totalCount } }"
    response = graphql(client, query, {"c": unknown})
    assert response.status_code == 200
    assert codes(response) == ["NOT_FOUND"]
    assert messages(response) == [f"filter.country: no Country has the ID '{unknown}'"]


def test_node_of_an_unknown_key_is_null_without_an_error(client: httpx.Client) -> None:
    response = graphql(
        client, "query($i: ID!) { node(id: $i) { id } }", {"i": global_id("Country:ZZ")}
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"node": None}
    assert "errors" not in response.json()


def test_success_reports_the_cost_estimate(client: httpx.Client) -> None:
    response = graphql(client, "{ continents { name countries { name } } }")
    assert response.status_code == 200
    # 7 continents and their 44 countries, as the document lists them.
    extensions = response.json()["extensions"]
    assert extensions["cost"] == {"estimated": 51, "limit": 200_000}
    assert extensions["execution"] == "compiled"


# --- GET --------------------------------------------------------------------------------


def test_get_query_with_variables_and_operation_name(client: httpx.Client) -> None:
    response = client.get(
        "/graphql",
        params={
            "query": "query A { editions { year } }"
            " query B($iso: String) { country(isoCode: $iso) { name } }",
            "operationName": "B",
            "variables": '{"iso": "JP"}',
        },
        headers={"accept": GRAPHQL_RESPONSE_JSON},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == GRJ
    assert response.json()["data"] == {"country": {"name": "日本"}}


def test_get_empty_operation_name_means_none(client: httpx.Client) -> None:
    response = client.get("/graphql", params={"query": EDITIONS, "operationName": ""})
    assert response.status_code == 200
    assert response.json()["data"] == EDITIONS_DATA


@pytest.mark.parametrize(
    "params",
    [
        {"query": "mutation { bump }"},
        {"query": "mutation M { bump }"},
        {"query": "query Q { editions { year } } mutation M { bump }", "operationName": "M"},
    ],
)
@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE_JSON])
def test_get_mutation_is_405_before_validation(
    api: LiveApp, client: httpx.Client, params: dict[str, str], accept: str | None
) -> None:
    # The schema has no Mutation type: the 405 shows the method is refused before
    # validation would have said so.
    headers = {} if accept is None else {"accept": accept}
    response = client.get("/graphql", params=params, headers=headers)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert codes(response) == ["METHOD_NOT_ALLOWED"]
    assert "data" not in response.json()
    assert api.checked_out() == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"query": EDITIONS, "variables": "{nope"}, "The variables parameter is not valid JSON."),
        ({"query": EDITIONS, "variables": "[1]"}, "The variables must be a JSON object."),
        ({"query": EDITIONS, "extensions": "{"}, "The extensions parameter is not valid JSON."),
        ({}, "The request has no GraphQL query."),
    ],
)
def test_malformed_get_is_400(client: httpx.Client, params: dict[str, str], message: str) -> None:
    response = client.get("/graphql", params=params, headers={"accept": "application/json"})
    assert response.status_code == 400
    assert messages(response) == [message]
    assert codes(response) == ["BAD_REQUEST"]


def test_repeated_get_parameter_is_400(client: httpx.Client) -> None:
    response = client.get(
        "/graphql", params=[("query", EDITIONS), ("query", "{ fields { name } }")]
    )
    assert response.status_code == 400
    assert messages(response) == ["The query parameter must be given once."]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_json_405(api: LiveApp, client: httpx.Client, method: str) -> None:
    response = client.request(method, "/graphql", json={"query": EDITIONS})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"
    assert response.headers["content-type"] == JSON
    assert codes(response) == ["METHOD_NOT_ALLOWED"]
    assert api.checked_out() == 0


# --- The browser page -------------------------------------------------------------------


def test_browser_gets_the_graphiql_page(api: LiveApp, client: httpx.Client) -> None:
    response = client.get(
        "/graphql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "graphiql" in response.text.lower()
    assert api.checked_out() == 0


def test_wildcard_accept_without_query_is_not_the_page(client: httpx.Client) -> None:
    response = client.get("/graphql", headers={"accept": "*/*"})
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON
    assert codes(response) == ["BAD_REQUEST"]


def test_browser_with_a_query_gets_json(client: httpx.Client) -> None:
    response = client.get(
        "/graphql",
        params={"query": EDITIONS},
        headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    assert response.json()["data"] == EDITIONS_DATA


# --- Unexpected errors and logs ---------------------------------------------------------


def fail_editions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the resolver of ``editions`` fail as a broken driver would."""

    async def broken(*_args: object) -> object:
        msg = f"connection failed: {SECRET}"
        raise RuntimeError(msg)

    monkeypatch.setattr("coopgraph.db.queries.editions.all_editions", broken)


def test_unexpected_error_is_masked_with_the_request_id_and_logged_once(
    serve_settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = serve_settings(compiled=False, cache=False)
    fail_editions(monkeypatch)
    with caplog.at_level(logging.DEBUG), api.client() as client:
        response = graphql(
            client, "{ editions { year } fields { name } }", accept=GRAPHQL_RESPONSE_JSON
        )
    assert response.status_code == 200
    body = response.json()
    request_id = response.headers["x-request-id"]
    assert body["data"] is None  # editions is non-null
    assert body["errors"] == [
        {
            "message": "Internal server error",
            "locations": [{"line": 1, "column": 3}],
            "path": ["editions"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        }
    ]
    assert SECRET not in response.text
    assert "Traceback" not in response.text
    (record,) = [r for r in server_records(caplog) if r.levelno >= logging.ERROR]
    line = json.loads(record.getMessage())
    assert line["requestId"] == request_id
    assert line["event"] == "unexpected_error"
    (logged,) = line["errors"]
    assert logged["at"] == "editions"
    assert logged["type"] == "builtins.RuntimeError"
    assert SECRET in logged["message"]
    assert "Traceback" in logged["traceback"]
    assert "\n" not in record.getMessage()  # one line, whatever the traceback holds
    assert api.checked_out() == 0


def test_client_sent_request_id_is_quoted_in_the_masked_error(
    standard_client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_editions(monkeypatch)
    response = standard_client.post(
        "/graphql", json={"query": EDITIONS}, headers={"x-request-id": "trace-0123456789abcdef"}
    )
    assert response.headers["x-request-id"] == "trace-0123456789abcdef"
    assert response.json()["errors"][0]["extensions"]["requestId"] == "trace-0123456789abcdef"


CLIENT_ERRORS = [
    pytest.param({"query": "{ priorities(first: 1000000000) { totalCount } }"}, id="bad-first"),
    pytest.param({"query": "{ continents { noSuchField } }"}, id="validation"),
    pytest.param({"query": "{ continents {"}, id="parse"),
    pytest.param({"query": '{ search(text: "a", first: 1000000000) { matched } }'}, id="cost"),
    pytest.param({"query": "{" * 40 + "}" * 40}, id="parse-deep"),
    pytest.param({"query": "query($y: Int!) { edition(year: $y) { year } }"}, id="variable"),
    pytest.param({"query": '{ node(id: "%%%") { id } }'}, id="bad-id"),
]


@pytest.mark.parametrize("body", CLIENT_ERRORS)
def test_client_errors_are_not_logged_above_info(
    client: httpx.Client, caplog: pytest.LogCaptureFixture, body: dict[str, Any]
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = client.post("/graphql", json=body)
    assert response.status_code == 200
    assert codes(response)
    assert "INTERNAL_SERVER_ERROR" not in codes(response)
    records = server_records(caplog)
    assert [r.getMessage() for r in records if r.levelno > logging.INFO] == []
    assert all(r.exc_info is None for r in records)
    assert not any("Traceback" in r.getMessage() for r in records)
    assert len(records) <= 1


def server_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records of the server's side.

    The test's own HTTP client logs at DEBUG, and so does aiosqlite for every
    statement (the cost statistics are re-read now and then): drivers' chatter is not
    what the server says about a request.
    """
    return [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore", "aiosqlite"))]


# --- Sessions go back to the pool after every kind of request ---------------------------


def test_pool_is_empty_after_an_internal_error_and_after_success(
    serve_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = serve_settings(compiled=False, cache=False)
    client = api.client()
    with monkeypatch.context() as patched:
        fail_editions(patched)
        assert codes(graphql(client, EDITIONS)) == ["INTERNAL_SERVER_ERROR"]
        assert api.checked_out() == 0
    full = graphql(client, "{ continents { countries { priorities { institutions { name } } } } }")
    assert full.status_code == 200
    assert "errors" not in full.json()
    assert api.checked_out() == 0
