"""GraphQL over HTTP, checked end to end through a real server and a real HTTP client."""

import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import strawberry
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graph.errors import BadUserInput, ErrorCodes, NotFound
from graph.http import GRAPHQL_RESPONSE_JSON, GraphQLHTTPView
from tests.live_server import serve

GRJ = "application/graphql-response+json; charset=utf-8"
JSON = "application/json; charset=utf-8"
PAGE = "<!doctype html><title>GraphiQL test page</title>"
SECRET = "password=hunter2"

# Everything the app records, keyed by the X-Probe header the test sends, so that a
# test reads only the events of its own requests.
events: dict[str, list[str]] = {}
mutation_calls: list[str] = []
_probes = itertools.count()


@dataclass
class RecordingContext:
    request: Request
    response: Response | None
    log: list[str] = field(default_factory=list)

    async def aclose(self) -> None:
        self.log.append("close")


async def make_context(request: Request, response: Response | None) -> RecordingContext:
    log = events.setdefault(request.headers.get("x-probe", "unprobed"), [])
    log.append("open")
    return RecordingContext(request=request, response=response, log=log)


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"Hello, {name}"

    @strawberry.field
    def page_size(self, first: int) -> int | None:
        if not 1 <= first <= 100:
            msg = "`first` must be between 1 and 100"
            raise BadUserInput(msg)
        return first

    @strawberry.field
    def institution(self, id: strawberry.ID) -> str | None:
        msg = f"No institution with ID {id}"
        raise NotFound(msg)

    @strawberry.field
    def broken(self) -> str | None:
        msg = f"connection failed: {SECRET}"
        raise RuntimeError(msg)

    @strawberry.field
    def broken_non_null(self) -> str:
        msg = f"connection failed: {SECRET}"
        raise RuntimeError(msg)

    @strawberry.field
    def forbidden(self) -> str | None:
        raise GraphQLError("Not for you", extensions={"code": "FORBIDDEN", "hint": "log in"})

    @strawberry.field
    def hinted(self) -> str | None:
        raise GraphQLError("Try again", extensions={"retryAfter": 5})

    @strawberry.field
    def probe(self, info: strawberry.Info[RecordingContext, None]) -> str:
        info.context.log.append("resolve")
        assert info.context.response is not None
        info.context.response.headers["x-resolved"] = "yes"
        return type(info.context).__name__


@strawberry.type
class Mutation:
    @strawberry.mutation
    def bump(self, label: str = "bump") -> int:
        mutation_calls.append(label)
        return len(mutation_calls)


schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=[ErrorCodes])


class ExplodingView(GraphQLHTTPView):
    """Fails after execution, where no GraphQL error handling can catch it."""

    async def process_result(self, request: Request, result: Any) -> Any:
        msg = f"serialisation failed: {SECRET}"
        raise RuntimeError(msg)


def build_app() -> Starlette:
    with_page = GraphQLHTTPView(schema, context_factory=make_context, graphiql_page=lambda: PAGE)
    without_page = GraphQLHTTPView(schema, context_factory=make_context)
    exploding = ExplodingView(schema, context_factory=make_context)
    return Starlette(
        routes=[
            Route("/graphql", with_page),
            Route("/bare", without_page),
            Route("/explodes", exploding),
        ]
    )


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(build_app()) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        yield http


def post(
    client: httpx.Client, body: dict[str, Any], accept: str | None = None, **headers: str
) -> httpx.Response:
    if accept is not None:
        headers["accept"] = accept
    return client.post("/graphql", json=body, headers=headers)


def codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]


def new_probe() -> str:
    return f"probe-{next(_probes)}"


# --- Content negotiation -------------------------------------------------------------


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
    headers = {} if accept is None else {"accept": accept}
    response = client.post("/graphql", json={"query": "{ hello }"}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.json() == {"data": {"hello": "Hello, world"}}


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
def test_unacceptable_accept_is_406(client: httpx.Client, accept: str) -> None:
    probe = new_probe()
    response = post(client, {"query": "{ hello }"}, accept, **{"x-probe": probe})
    assert response.status_code == 406
    assert response.headers["content-type"] == JSON
    assert codes(response) == ["NOT_ACCEPTABLE"]
    assert probe not in events  # refused before a context was opened


# --- POST bodies -----------------------------------------------------------------------


def test_post_json_with_charset_parameter(client: httpx.Client) -> None:
    response = client.post(
        "/graphql",
        content=b'{"query": "{ hello(name: \\"Ada\\") }"}',
        headers={"content-type": "application/json; charset=UTF-8"},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, Ada"}}


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
    client: httpx.Client, content_type: str | None, accept: str | None, error_type: str
) -> None:
    headers = {"x-probe": new_probe()}
    if content_type is not None:
        headers["content-type"] = content_type
    if accept is not None:
        headers["accept"] = accept
    response = client.post("/graphql", content=b'{"query": "{ hello }"}', headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == error_type
    assert codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]
    assert "application/json" in response.json()["errors"][0]["message"]
    assert headers["x-probe"] not in events


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"query": ', "Unable to parse request body as JSON"),
        (b"NONSENSE", "Unable to parse request body as JSON"),
        (b"\xff\xfe{}", "The request body is not valid UTF-8."),
        (b'[{"query": "{ hello }"}]', "The request body must be a JSON object."),
        (b'"{ hello }"', "The request body must be a JSON object."),
        (b"{}", "The request has no GraphQL query."),
        (b'{"qeury": "{ hello }"}', "The request has no GraphQL query."),
        (b'{"query": ""}', "The request has no GraphQL query."),
        (b'{"query": 7}', "The query must be a string."),
        (b'{"query": "{ hello }", "variables": [7]}', "The variables must be a JSON object."),
        (b'{"query": "{ hello }", "operationName": 1}', "The operationName must be a string."),
        (b'{"query": "{ hello }", "extensions": "x"}', "The extensions must be a JSON object."),
    ],
)
@pytest.mark.parametrize(("accept", "error_type"), [(None, JSON), (GRAPHQL_RESPONSE_JSON, GRJ)])
def test_malformed_request_is_400_under_both_media_types(
    client: httpx.Client, body: bytes, message: str, accept: str | None, error_type: str
) -> None:
    headers = {"content-type": "application/json"}
    if accept is not None:
        headers["accept"] = accept
    response = client.post("/graphql", content=body, headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == error_type
    assert response.json() == {
        "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
    }


# --- GraphQL request errors: status depends on the media type ----------------------------


REQUEST_ERRORS = [
    pytest.param({"query": "{ hello"}, "GRAPHQL_PARSE_FAILED", id="parse"),
    pytest.param({"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED", id="validation"),
    pytest.param({"query": "{ pageSize }"}, "GRAPHQL_VALIDATION_FAILED", id="missing-argument"),
    pytest.param(
        {"query": "query A { hello } query B { hello }", "operationName": "C"},
        "BAD_REQUEST",
        id="unknown-operation",
    ),
    pytest.param(
        {"query": "query($f: Int!) { pageSize(first: $f) }", "variables": {"f": "ten"}},
        "BAD_USER_INPUT",
        id="variable-type",
    ),
    pytest.param(
        {"query": "query($f: Int!) { pageSize(first: $f) }"},
        "BAD_USER_INPUT",
        id="variable-missing",
    ),
]


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
def test_request_error_is_400_under_graphql_response_json(
    client: httpx.Client, body: dict[str, Any], code: str
) -> None:
    response = post(client, body, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert response.headers["content-type"] == GRJ
    payload = response.json()
    assert "data" not in payload
    assert codes(response) == [code]


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
def test_request_error_is_200_under_json(
    client: httpx.Client, body: dict[str, Any], code: str
) -> None:
    response = post(client, body, "application/json")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    assert "data" not in response.json()
    assert codes(response) == [code]


def test_unknown_operation_message(client: httpx.Client) -> None:
    response = post(client, {"query": "query A { hello }", "operationName": "B"})
    assert response.json()["errors"] == [
        {"message": 'Unknown operation named "B".', "extensions": {"code": "BAD_REQUEST"}}
    ]


def test_parse_error_keeps_location(client: httpx.Client) -> None:
    response = post(client, {"query": "{ hello"}, GRAPHQL_RESPONSE_JSON)
    (error,) = response.json()["errors"]
    assert error["message"] == "Syntax Error: Expected Name, found <EOF>."
    assert error["locations"] == [{"line": 1, "column": 8}]
    assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}


# --- Field errors: partial results are 200 under both media types -----------------------


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, "application/json"])
def test_bad_user_input_from_resolver_is_a_field_error(client: httpx.Client, accept: str) -> None:
    response = post(client, {"query": "{ hello pageSize(first: 500) }"}, accept)
    assert response.status_code == 200
    assert response.json() == {
        "data": {"hello": "Hello, world", "pageSize": None},
        "errors": [
            {
                "message": "`first` must be between 1 and 100",
                "locations": [{"line": 1, "column": 9}],
                "path": ["pageSize"],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
    }


def test_not_found_code(client: httpx.Client) -> None:
    response = post(client, {"query": '{ institution(id: "42") }'}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 200
    assert response.json()["data"] == {"institution": None}
    assert response.json()["errors"][0]["message"] == "No institution with ID 42"
    assert codes(response) == ["NOT_FOUND"]


def test_unexpected_error_is_masked_and_logged(
    client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="graph.errors"):
        response = post(client, {"query": "{ hello broken }"}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 200
    assert SECRET not in response.text
    assert response.json() == {
        "data": {"hello": "Hello, world", "broken": None},
        "errors": [
            {
                "message": "Internal server error",
                "locations": [{"line": 1, "column": 9}],
                "path": ["broken"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
    }
    (record,) = [r for r in caplog.records if r.name == "graph.errors"]
    assert record.getMessage() == "Unexpected error at broken"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert SECRET in str(record.exc_info[1])


def test_null_data_from_field_error_is_still_200(client: httpx.Client) -> None:
    response = post(client, {"query": "{ brokenNonNull }"}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 200
    assert response.headers["content-type"] == GRJ
    payload = response.json()
    assert payload["data"] is None
    assert [error["path"] for error in payload["errors"]] == [["brokenNonNull"]]
    assert codes(response) == ["INTERNAL_SERVER_ERROR"]


def test_existing_extensions_are_kept(client: httpx.Client) -> None:
    response = post(client, {"query": "{ forbidden hinted }"})
    errors = {error["path"][0]: error["extensions"] for error in response.json()["errors"]}
    assert errors == {
        "forbidden": {"code": "FORBIDDEN", "hint": "log in"},
        "hinted": {"retryAfter": 5, "code": "BAD_USER_INPUT"},
    }


# --- GET --------------------------------------------------------------------------------


def test_get_query_with_variables_and_operation_name(client: httpx.Client) -> None:
    response = client.get(
        "/graphql",
        params={
            "query": "query A { hello } query B($n: String!) { hello(name: $n) }",
            "operationName": "B",
            "variables": '{"n": "Grace"}',
        },
        headers={"accept": GRAPHQL_RESPONSE_JSON},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == GRJ
    assert response.json() == {"data": {"hello": "Hello, Grace"}}


def test_get_empty_operation_name_means_none(client: httpx.Client) -> None:
    response = client.get("/graphql", params={"query": "{ hello }", "operationName": ""})
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world"}}


@pytest.mark.parametrize(
    "params",
    [
        {"query": 'mutation { bump(label: "get") }'},
        {"query": 'query Q { hello } mutation M { bump(label: "get") }', "operationName": "M"},
        {"query": 'mutation M { bump(label: "get") } query Q { hello }'},
    ],
)
@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE_JSON])
def test_get_mutation_is_405(
    client: httpx.Client, params: dict[str, str], accept: str | None
) -> None:
    before = len(mutation_calls)
    headers = {} if accept is None else {"accept": accept}
    response = client.get("/graphql", params=params, headers=headers)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert codes(response) == ["METHOD_NOT_ALLOWED"]
    assert "data" not in response.json()
    assert len(mutation_calls) == before


def test_get_query_next_to_a_mutation_runs(client: httpx.Client) -> None:
    response = client.get(
        "/graphql",
        params={"query": "query Q { hello } mutation M { bump }", "operationName": "Q"},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, world"}}


def test_post_mutation_runs(client: httpx.Client) -> None:
    before = len(mutation_calls)
    response = post(client, {"query": 'mutation { bump(label: "post") }'}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 200
    assert response.json() == {"data": {"bump": before + 1}}
    assert mutation_calls[-1] == "post"


def test_subscription_over_post_is_a_request_error(client: httpx.Client) -> None:
    response = post(client, {"query": "subscription { hello }"}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Subscriptions are not offered over HTTP.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"query": "{ hello }", "variables": "{nope"},
            "The variables parameter is not valid JSON.",
        ),
        ({"query": "{ hello }", "variables": "[1]"}, "The variables must be a JSON object."),
        ({}, "The request has no GraphQL query."),
    ],
)
def test_malformed_get_is_400(client: httpx.Client, params: dict[str, str], message: str) -> None:
    response = client.get("/graphql", params=params, headers={"accept": "application/json"})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]
    }


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/graphql", json={"query": "{ hello }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert codes(response) == ["METHOD_NOT_ALLOWED"]


# --- The browser page -------------------------------------------------------------------


def test_browser_gets_the_graphiql_page(client: httpx.Client) -> None:
    probe = new_probe()
    response = client.get(
        "/graphql",
        headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8", "x-probe": probe},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == PAGE
    assert probe not in events  # an HTML page needs no database session


def test_without_a_page_the_browser_gets_404(client: httpx.Client) -> None:
    response = client.get("/bare", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"] == JSON
    assert codes(response) == ["NOT_FOUND"]


def test_wildcard_accept_without_query_is_not_the_page(client: httpx.Client) -> None:
    response = client.get("/graphql", headers={"accept": "*/*"})
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON
    assert codes(response) == ["BAD_REQUEST"]


def test_browser_with_query_gets_json(client: httpx.Client) -> None:
    response = client.get(
        "/graphql",
        params={"query": "{ hello }"},
        headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON


# --- Per-request context ----------------------------------------------------------------


def test_context_is_built_per_request_and_closed_after_success(client: httpx.Client) -> None:
    probe = new_probe()
    response = post(client, {"query": "{ probe }"}, **{"x-probe": probe})
    assert response.status_code == 200
    assert response.json() == {"data": {"probe": "RecordingContext"}}
    # Headers a resolver sets on the context's response reach the client.
    assert response.headers["x-resolved"] == "yes"
    assert events[probe] == ["open", "resolve", "close"]


def test_context_is_closed_after_a_resolver_raised(client: httpx.Client) -> None:
    probe = new_probe()
    response = post(client, {"query": "{ probe brokenNonNull }"}, **{"x-probe": probe})
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert events[probe] == ["open", "resolve", "close"]


def test_context_is_closed_when_the_request_fails_after_opening_it(client: httpx.Client) -> None:
    probe = new_probe()
    response = client.post(
        "/graphql",
        content=b'{"query": ',
        headers={"content-type": "application/json", "x-probe": probe},
    )
    assert response.status_code == 400
    assert events[probe] == ["open", "close"]


def test_context_is_closed_after_get_mutation_refusal(client: httpx.Client) -> None:
    probe = new_probe()
    response = client.get(
        "/graphql", params={"query": "mutation { bump }"}, headers={"x-probe": probe}
    )
    assert response.status_code == 405
    assert events[probe] == ["open", "close"]


def test_context_is_closed_when_the_view_raises(
    client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    probe = new_probe()
    with caplog.at_level(logging.ERROR, logger="graph.http.view"):
        response = client.post(
            "/explodes",
            json={"query": "{ probe }"},
            headers={"accept": GRAPHQL_RESPONSE_JSON, "x-probe": probe},
        )
    assert response.status_code == 500
    assert response.headers["content-type"] == GRJ
    assert response.json() == {
        "errors": [
            {"message": "Internal server error", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        ]
    }
    assert events[probe] == ["open", "resolve", "close"]
    (record,) = [r for r in caplog.records if r.name == "graph.http.view"]
    assert record.exc_info is not None
    assert SECRET in str(record.exc_info[1])
