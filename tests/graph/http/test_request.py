"""Bad input, as an attacker would send it, on both backends: never a 500.

Every request here is pinned to the answer it gets: a 4xx naming the problem, a
GraphQL error with a code, or null where the API documents null. Strings that reach
SQL (search text, filters, IDs, cursors) are sent to SQLite and PostgreSQL alike,
which differ in what they accept (PostgreSQL refuses NUL characters in text and
integers past 32 bits in INTEGER comparisons).
"""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.graph.http.conftest import CLIENT_TIMEOUT, LiveApp, codes, graphql
from tests.seed.facts import ENTITY_COUNTS

SQL_INJECTION = "'; DROP TABLE countries; --"
MAX_BODY_BYTES = 65_536


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
SEARCH = "query($text: String!) { search(text: $text) { matched } }"
COUNTRIES_NAMED = "query($n: String) { countries(filter: {nameContains: $n}) { totalCount } }"
INSTITUTIONS_NAMED = "query($n: String) { institutions(filter: {nameContains: $n}) { totalCount } }"
COUNTRY_BY_NAME = "query($n: String) { country(name: $n) { id } }"
COUNTRY_BY_ISO = "query($n: String) { country(isoCode: $n) { id } }"
PRIORITIES_AFTER = "query($c: String) { priorities(after: $c) { totalCount } }"
COUNTRIES_AFTER = "query($c: String) { countries(after: $c) { totalCount } }"
PRIORITIES_OF = "query($c: ID) { priorities(filter: {country: $c}) { totalCount } }"


@dataclass(frozen=True)
class Attack:
    """One request and the answer it must get.

    ``code`` None means answered without errors; ``data`` is checked when given.
    """

    status: int
    code: str | None
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "POST"
    params: dict[str, str] | None = None
    data: Any = "(not checked)"

    def send(self, client: httpx.Client) -> httpx.Response:
        if self.method == "GET":
            return client.get("/graphql", params=self.params, headers=self.headers)
        if self.content is not None:
            headers = {"content-type": "application/json", **self.headers}
            return client.post("/graphql", content=self.content, headers=headers)
        return client.post("/graphql", json=self.json, headers=self.headers)


def query(text: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"query": text}
    if variables is not None:
        body["variables"] = variables
    return {"json": body, **kwargs}


ATTACKS = {
    # HTTP and JSON
    "malformed-json": Attack(400, "BAD_REQUEST", content=b'{"query": "{ editions { year } "'),
    "json-infinity": Attack(
        400, "BAD_REQUEST", content=b'{"query": "{ editions { year } }", "variables": {"a": 1e999}}'
    ),
    "deeply-nested-json": Attack(
        400,
        "BAD_REQUEST",
        content=b'{"query": "{ editions { year } }", "variables": {"a": '
        + b"[" * 5000
        + b"]" * 5000
        + b"}}",
    ),
    "lone-surrogate": Attack(
        400,
        "BAD_REQUEST",
        content=b'{"query": "{ editions { year } }", "variables": {"a": "\\ud800"}}',
    ),
    "text-plain": Attack(
        415, "UNSUPPORTED_MEDIA_TYPE", content=b"{}", headers={"content-type": "text/plain"}
    ),
    "form": Attack(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        content=b"query=%7B%7D",
        headers={"content-type": "application/x-www-form-urlencoded"},
    ),
    "invalid-utf8": Attack(
        400, "BAD_REQUEST", content=b'{"query": "{ editions { year \xc3\x28 } }"}'
    ),
    "batched-array": Attack(400, "BAD_REQUEST", json=[{"query": "{ editions { year } }"}] * 3),
    "query-object": Attack(400, "BAD_REQUEST", json={"query": {"editions": "year"}}),
    "query-null": Attack(400, "BAD_REQUEST", json={"query": None}),
    "variables-list": Attack(400, "BAD_REQUEST", **query("{ editions { year } }", [1])),  # type: ignore[arg-type]
    "variables-number": Attack(
        400, "BAD_REQUEST", json={"query": "{ editions { year } }", "variables": 3}
    ),
    "operation-name-list": Attack(
        400, "BAD_REQUEST", json={"query": "{ editions { year } }", "operationName": ["A"]}
    ),
    "extensions-list": Attack(
        400, "BAD_REQUEST", json={"query": "{ editions { year } }", "extensions": [1]}
    ),
    # NUL characters
    "nul-in-query": Attack(200, "GRAPHQL_PARSE_FAILED", **query("{ editions { year } }\u0000")),
    "nul-escaped-in-literal": Attack(
        200, "BAD_USER_INPUT", **query('{ search(text: "a\\u0000b") { matched } }')
    ),
    "nul-in-search": Attack(200, "BAD_USER_INPUT", **query(SEARCH, {"text": "能\u0000源"})),
    "nul-in-country-filter": Attack(
        200, "BAD_USER_INPUT", **query(COUNTRIES_NAMED, {"n": "\u0000"})
    ),
    "nul-in-institution-filter": Attack(
        200, "BAD_USER_INPUT", **query(INSTITUTIONS_NAMED, {"n": "a\u0000"})
    ),
    "nul-in-country-name": Attack(200, "BAD_USER_INPUT", **query(COUNTRY_BY_NAME, {"n": "\u0000"})),
    "nul-in-iso-code": Attack(200, "BAD_USER_INPUT", **query(COUNTRY_BY_ISO, {"n": "J\u0000"})),
    "nul-in-id": Attack(200, "BAD_USER_INPUT", **query(NODE, {"id": b64("Country:\u0000")})),
    "nul-in-filter-id": Attack(
        200, "BAD_USER_INPUT", **query(PRIORITIES_OF, {"c": b64("Country:JP\u0000")})
    ),
    "nul-in-cursor": Attack(
        200, "BAD_USER_INPUT", **query(PRIORITIES_AFTER, {"c": b64("Priority@1\u0000")})
    ),
    # Long strings
    "search-100000": Attack(413, "PAYLOAD_TOO_LARGE", **query(SEARCH, {"text": "能" * 100_000})),
    "search-60000": Attack(200, "BAD_USER_INPUT", **query(SEARCH, {"text": "a" * 60_000})),
    "search-201": Attack(200, "BAD_USER_INPUT", **query(SEARCH, {"text": "a" * 201})),
    "filter-60000": Attack(200, "BAD_USER_INPUT", **query(COUNTRIES_NAMED, {"n": "a" * 60_000})),
    "filter-201": Attack(200, "BAD_USER_INPUT", **query(INSTITUTIONS_NAMED, {"n": "a" * 201})),
    "country-name-60000": Attack(
        200, "BAD_USER_INPUT", data={"country": None}, **query(COUNTRY_BY_NAME, {"n": "a" * 60_000})
    ),
    # SQL-looking strings are text like any other
    "sql-in-name-filter": Attack(
        200,
        None,
        data={"countries": {"totalCount": 0}},
        **query(COUNTRIES_NAMED, {"n": SQL_INJECTION}),
    ),
    "sql-in-search": Attack(
        200, None, data={"search": []}, **query(SEARCH, {"text": SQL_INJECTION})
    ),
    "sql-like-wildcards": Attack(
        200, None, data={"countries": {"totalCount": 0}}, **query(COUNTRIES_NAMED, {"n": "%_%"})
    ),
    "sql-in-literal": Attack(
        200,
        None,
        data={"country": None},
        **query('{ country(name: "\' OR 1=1; DROP TABLE countries; --") { id } }'),
    ),
    # Numbers
    "first-1000000000": Attack(
        200, "BAD_USER_INPUT", **query("{ priorities(first: 1000000000) { totalCount } }")
    ),
    "first-negative": Attack(
        200, "BAD_USER_INPUT", **query("{ countries(first: -1) { totalCount } }")
    ),
    "first-past-int32": Attack(
        200, "GRAPHQL_VALIDATION_FAILED", **query("{ countries(first: 4294967296) { totalCount } }")
    ),
    "first-variable-past-int32": Attack(
        200,
        "BAD_USER_INPUT",
        **query("query($f: Int) { countries(first: $f) { totalCount } }", {"f": 10**30}),
    ),
    "year-int32-max": Attack(
        200, None, data={"edition": None}, **query("{ edition(year: 2147483647) { year } }")
    ),
    # IDs
    "id-superscript-digit": Attack(
        200, "BAD_USER_INPUT", data={"node": None}, **query(NODE, {"id": b64("Country@²")})
    ),
    "id-edition-superscript": Attack(
        200, None, data={"node": None}, **query(NODE, {"id": b64("Edition:²")})
    ),
    "id-edition-30-digits": Attack(
        200, None, data={"node": None}, **query(NODE, {"id": b64("Edition:" + "9" * 30)})
    ),
    "id-edition-past-int32": Attack(
        200, None, data={"node": None}, **query(NODE, {"id": b64("Edition:2147483648")})
    ),
    "id-priority-at-30-digits": Attack(
        200,
        "BAD_USER_INPUT",
        data={"node": None},
        **query(NODE, {"id": b64("Priority@" + "9" * 30)}),
    ),
    "id-priority-30-digits": Attack(
        200, None, data={"node": None}, **query(NODE, {"id": b64("Priority:" + "9" * 30)})
    ),
    "id-priority-5000-digits": Attack(
        200, None, data={"node": None}, **query(NODE, {"id": b64("Priority:" + "9" * 5000)})
    ),
    "id-not-base64": Attack(
        200, "BAD_USER_INPUT", data={"node": None}, **query(NODE, {"id": "!!not base64**"})
    ),
    "id-not-utf8": Attack(
        200, "BAD_USER_INPUT", data={"node": None}, **query(NODE, {"id": "_w=="})
    ),
    "id-60000-chars": Attack(
        200, "BAD_USER_INPUT", data={"node": None}, **query(NODE, {"id": "A" * 60_000})
    ),
    "id-100kb": Attack(413, "PAYLOAD_TOO_LARGE", **query(NODE, {"id": "A" * 100_000})),
    "id-unknown-type": Attack(
        200, None, data={"node": None}, **query(NODE, {"id": b64("Secret:1")})
    ),
    "ids-mixed": Attack(
        200,
        "BAD_USER_INPUT",
        data=None,  # nodes is a non-null list
        **query(NODES, {"ids": [b64("Country:JP"), b64("Country@²")]}),
    ),
    "filter-id-of-another-type": Attack(
        200, "BAD_USER_INPUT", **query(PRIORITIES_OF, {"c": b64("Field:energy")})
    ),
    "filter-id-superscript": Attack(
        200, "NOT_FOUND", **query(PRIORITIES_OF, {"c": b64("Country:²")})
    ),
    "common-fields-5000-digits": Attack(
        200,
        "NOT_FOUND",
        **query(
            "query($c: [ID!]!) { commonFields(countries: $c) { name } }",
            {"c": [b64("Country:JP"), b64("Country:" + "9" * 5000)]},
        ),
    ),
    # Cursors
    "cursor-superscript": Attack(
        200, "BAD_USER_INPUT", **query(PRIORITIES_AFTER, {"c": b64("Priority@²")})
    ),
    "cursor-arabic-digits": Attack(
        200, "BAD_USER_INPUT", **query(PRIORITIES_AFTER, {"c": b64("Priority@٣")})
    ),
    "cursor-30-digits": Attack(
        200, "BAD_USER_INPUT", **query(PRIORITIES_AFTER, {"c": b64("Priority@" + "9" * 30)})
    ),
    "cursor-5000-digits": Attack(
        200, "BAD_USER_INPUT", **query(PRIORITIES_AFTER, {"c": b64("Priority@" + "9" * 5000)})
    ),
    "cursor-18-digits": Attack(
        200, "BAD_USER_INPUT", **query(PRIORITIES_AFTER, {"c": b64("Priority@" + "9" * 18)})
    ),
    "cursor-past-int32": Attack(
        200, "BAD_USER_INPUT", **query(COUNTRIES_AFTER, {"c": b64("Country@2147483648")})
    ),
    "cursor-int32-max": Attack(
        200,
        None,
        data={"countries": {"totalCount": 44}},
        **query(COUNTRIES_AFTER, {"c": b64("Country@2147483647")}),
    ),
    "cursor-negative": Attack(
        200, "BAD_USER_INPUT", **query(COUNTRIES_AFTER, {"c": b64("Country@-1")})
    ),
    "cursor-of-another-connection": Attack(
        200, "BAD_USER_INPUT", **query(COUNTRIES_AFTER, {"c": b64("Priority@1")})
    ),
    "cursor-not-base64": Attack(200, "BAD_USER_INPUT", **query(COUNTRIES_AFTER, {"c": "%%%"})),
    # GET
    "get-nul-variable": Attack(
        200,
        "BAD_USER_INPUT",
        method="GET",
        params={"query": SEARCH, "variables": '{"text": "\\u0000"}'},
    ),
    "get-variables-not-json": Attack(
        400, "BAD_REQUEST", method="GET", params={"query": SEARCH, "variables": "{"}
    ),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_no_client_input_yields_a_500(api: LiveApp, client: httpx.Client, name: str) -> None:
    attack = ATTACKS[name]
    response = attack.send(client)
    assert response.status_code < 500, response.text[:500]
    body = response.json()
    assert all("code" in error.get("extensions", {}) for error in body.get("errors", ()))
    assert response.status_code == attack.status, response.text[:500]
    if attack.code is None:
        assert "errors" not in body, body
    else:
        assert codes(response) == [attack.code], body
    if attack.data != "(not checked)":
        assert body["data"] == attack.data
    assert api.checked_out() == 0


def test_sql_looking_input_changes_nothing(client: httpx.Client) -> None:
    counts = "{ countries { totalCount } institutions { totalCount } priorities { totalCount } }"
    before = graphql(client, counts).json()["data"]
    assert before == {
        "countries": {"totalCount": ENTITY_COUNTS["countries"]},
        "institutions": {"totalCount": ENTITY_COUNTS["institutions"]},
        "priorities": {"totalCount": ENTITY_COUNTS["priorities"]},
    }
    for name in ("sql-in-name-filter", "sql-in-search", "sql-in-literal"):
        assert ATTACKS[name].send(client).status_code == 200
    assert graphql(client, INSTITUTIONS_NAMED, {"n": SQL_INJECTION}).json()["data"] == {
        "institutions": {"totalCount": 0}
    }
    assert graphql(client, counts).json()["data"] == before


def test_messages_say_what_was_wrong(client: httpx.Client) -> None:
    search = graphql(client, SEARCH, {"text": "a" * 60_000})
    assert search.json()["errors"][0]["message"] == (
        "search text is 60000 characters long; the most is 200"
        " (the longest name in the data has under 100)"
    )
    nul = graphql(client, COUNTRIES_NAMED, {"n": "\u0000"})
    assert nul.json()["errors"][0]["message"] == (
        "filter.nameContains contains the character U+0000 (NUL), which no name can contain"
    )
    first = graphql(client, "{ priorities(first: 1000000000) { totalCount } }")
    assert first.json()["errors"][0]["message"] == "first must be between 1 and 100, got 1000000000"
    cursor = b64("Priority@" + "9" * 5000)
    after = graphql(client, PRIORITIES_AFTER, {"c": cursor})
    message = after.json()["errors"][0]["message"]
    assert message == f"{cursor[:57]!r}... is not a cursor of this connection (Priority)".replace(
        "'...", "...'"
    )
    assert len(message) < 200  # the client's 6,700 characters are not echoed back


# --- Body size: 413 before the whole body is read --------------------------------------


def test_body_over_the_limit_is_413(api: LiveApp, client: httpx.Client) -> None:
    body = b'{"query": "{ editions { year } }", "pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert error["extensions"]["limit"] == MAX_BODY_BYTES
    assert error["message"] == (
        "The request body is larger than 65536 bytes, the most this server reads."
    )
    assert api.checked_out() == 0


def test_chunked_body_over_the_limit_is_413(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ editions { year } }", "pad": "'
        for _ in range(20):
            yield b"x" * 8192
        yield b'"}'

    response = client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 413
    assert codes(response) == ["PAYLOAD_TOO_LARGE"]


def test_body_at_the_limit_is_read(client: httpx.Client) -> None:
    head = b'{"query": "{ editions { year } }", "pad": "'
    body = head + b"x" * (MAX_BODY_BYTES - len(head) - 2) + b'"}'
    assert len(body) == MAX_BODY_BYTES
    response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["data"] == {"editions": [{"year": 2020}]}


def raw_exchange(url: str, request: bytes) -> bytes:
    """Send raw bytes and read the answer's head, without ever finishing the body."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=CLIENT_TIMEOUT) as sock:
        sock.sendall(request)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        return received


def test_declared_length_over_the_limit_is_refused_before_reading(api: LiveApp) -> None:
    # 10 MB are announced and none sent: the answer can only come before the body.
    head = raw_exchange(
        api.url,
        b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        b"Content-Length: 10000000\r\n\r\n",
    )
    assert head.startswith(b"HTTP/1.1 413 ")


def test_chunked_body_is_refused_once_it_passes_the_limit(api: LiveApp) -> None:
    # A chunk past the limit and no final chunk: the server must answer without the end.
    chunk = b"x" * (MAX_BODY_BYTES + 1)
    head = raw_exchange(
        api.url,
        b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n",
    )
    assert head.startswith(b"HTTP/1.1 413 ")
