"""Issue 19's second-round GraphQL attacks, as rows ``testbed.transport.run_row`` runs.

Each row sends a bounded number of requests (a few thousand at most) and counts what
they were answered, ``"<status> <codes>"`` (``answer_of``), in the row's outcome;
``bench.attacks`` prints them and ``tests/attacks/test_second_round.py`` asserts them.
A row also records what must never happen (a client's header echoed back) as an
answer of its own, so that the test's comparison of answers catches it.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from graphql import get_introspection_query

from testbed.transport import Address, Attack, Outcome

CLIENT_TIMEOUT = 30.0

#: Row 1: 995 copies of one field, 20 KB, under every limit but the field budget.
VALIDATION_BOMB = "{" + " continents { name }" * 995 + " }"
#: Row 11: a thousand ``__typename``, which graphql-core's validation aborts on.
TYPENAMES = "{" + " __typename" * 1000 + " }"
#: Row 8: seventeen aliases of the whole schema.
SCHEMAS = "{ " + " ".join(f"s{i}: __schema {{ types {{ name }} }}" for i in range(17)) + " }"
#: What GraphiQL asks when it opens.
GRAPHIQL = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
)
#: Row 6: a POST promised 1,000 bytes of body that sends 20 and closes.
PARTIAL_POST = (
    b"POST /graphql HTTP/1.1\r\nHost: attack\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1000\r\n\r\n"
    b'{"query": "{ editions'
)
DISCONNECTING_CLIENTS = 200
#: Row 7: registrations, each a 60 KB document (a short query and a long comment).
PERSISTED_REGISTRATIONS = 20
#: Row 9: requests, each with its own 8 KB of `X-Forwarded-For`, under ``RATE_LIMIT``.
FORWARDED_REQUESTS = 60
RATE_LIMIT = "30/minute"
#: Row 10: distinct valid documents of about 5.4 KB, sent by this many clients at once.
# Before the byte bound, 300 grew the server by about 65 MB (2,000: +432.7 MB).
DISTINCT_DOCUMENTS = 300
DOCUMENT_CLIENTS = 4
_DIRECTIVES = "@include(if: true) @skip(if: false)"


def answer_of(response: httpx.Response) -> str:
    """The status and the GraphQL error codes of an answer: ``"400 DEPTH_LIMIT_EXCEEDED"``."""
    try:
        body = response.json()
        errors = (body.get("errors") if isinstance(body, dict) else None) or []
    except ValueError:
        errors = []
    codes = sorted({str((e.get("extensions") or {}).get("code", "?")) for e in errors})
    return f"{response.status_code} {', '.join(codes) or '(data)'}"


def _client(address: Address) -> httpx.Client:
    return httpx.Client(base_url=address.url, timeout=CLIENT_TIMEOUT)


def _at_once(count: int, workers: int, send: Callable[[int], str], outcome: Outcome) -> None:
    """``send(0)`` … ``send(count - 1)`` from ``workers`` threads; their answers counted."""
    lock = threading.Lock()

    def one(number: int) -> None:
        try:
            answer = send(number)
        except httpx.TimeoutException:
            answer = "no answer (timeout)"
        with lock:
            outcome.answers[answer] += 1

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(count)))


def validation_bomb(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """The bomb sent by four clients at once, then all four again (the resend)."""
    with _client(address) as client:
        for _ in range(2):
            _at_once(
                4,
                4,
                lambda _n: answer_of(client.post("/graphql", json={"query": VALIDATION_BOMB})),
                outcome,
            )


def deep_variables(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """Variables of objects nested 254 deep: orjson's own bound, past which it refuses."""
    value: Any = 1
    for _ in range(254):
        value = {"a": value}
    with _client(address) as client:
        response = client.post(
            "/graphql", json={"query": "query($a: X) { x }", "variables": {"v": value}}
        )
        outcome.answers[answer_of(response)] += 1


def leaving_mid_body(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """Two hundred clients that send half a body and close; each counts as "left"."""
    for _ in range(DISCONNECTING_CLIENTS):
        with socket.create_connection((address.host, address.port), timeout=5) as sock:
            sock.sendall(PARTIAL_POST)
        outcome.answers["left"] += 1


def large_persisted_queries(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """60 KB documents registered with their right hashes, then asked for by hash alone.

    The registration is answered; the document is over the size kept, so the lookup
    by hash is "not found".
    """
    with _client(address) as client:
        for number in range(PERSISTED_REGISTRATIONS):
            query = "{ __typename } #" + f"{number:04d}" * 15_000
            digest = hashlib.sha256(query.encode()).hexdigest()
            persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
            registered = client.post("/graphql", json={"query": query, "extensions": persisted})
            outcome.answers[f"registered: {answer_of(registered)}"] += 1
            looked_up = client.post("/graphql", json={"extensions": persisted})
            outcome.answers[f"by hash: {answer_of(looked_up)}"] += 1


def introspection(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """Seventeen aliased ``__schema`` in one document, then GraphiQL's own query."""
    with _client(address) as client:
        for query in (SCHEMAS, GRAPHIQL):
            outcome.answers[answer_of(client.post("/graphql", json={"query": query}))] += 1


def forwarded_garbage(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """Requests from the trusted loopback proxy, each naming 8 KB of garbage as its client.

    Each value is distinct, so if values were identities none would be limited; an
    answer that repeats the value is counted as "echoed".
    """
    with _client(address) as client:
        for number in range(FORWARDED_REQUESTS):
            garbage = f"not-an-address-{number:04d}-" + "g" * 8_170
            response = client.post(
                "/graphql",
                json={"query": "{ __typename }"},
                headers={"X-Forwarded-For": garbage},
            )
            echoed = garbage[:40] in response.text or any(
                garbage[:40] in value for value in response.headers.values()
            )
            outcome.answers["echoed" if echoed else answer_of(response)] += 1


def distinct_document(number: int) -> str:
    """A valid document of about 5.4 KB, distinct per ``number``, dense in nodes."""
    fields = " ".join(
        f"c{i}: continents {{ id {_DIRECTIVES} name {_DIRECTIVES} id {_DIRECTIVES}"
        f" name {_DIRECTIVES} }}"
        for i in range(30)
    )
    return f"query Q{number} {{ {fields} }}"


def distinct_documents(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """Two thousand distinct valid documents, four clients at once."""
    with _client(address) as client:
        _at_once(
            DISTINCT_DOCUMENTS,
            DOCUMENT_CLIENTS,
            lambda n: answer_of(client.post("/graphql", json={"query": distinct_document(n)})),
            outcome,
        )


def typenames(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """A thousand ``__typename``, sent twice."""
    with _client(address) as client:
        for _ in range(2):
            outcome.answers[answer_of(client.post("/graphql", json={"query": TYPENAMES}))] += 1


#: The relations a fragment of each type spreads the next level under.
_FRAGMENT_RELATIONS = {
    "Country": ("fields", "institutions", "priorities"),
    "Field": ("countries", "institutions", "priorities", "directions"),
    "Institution": ("countries", "fields", "priorities"),
    "Priority": ("institutions", "directions"),
    "Direction": ("countries", "priorities"),
}
#: Every field of each type of the tree that the compiled path plans, relations aside.
TREE_SCALARS = {
    "Country": "id name nameEn isoCode priorityCount",
    "Field": "id name nameEn priorityCount countryCount",
    "Institution": "id name nameEn acronym kind aliases priorityCount fieldCount",
    "Priority": "id sourceLine sourceText directionsText",
    "Direction": "id name nameEn priorityCount",
}
_TARGETS = {
    "fields": "Field",
    "institutions": "Institution",
    "priorities": "Priority",
    "countries": "Country",
    "directions": "Direction",
}


def fragment_tree(
    depth: int,
    tag: str = "F",
    *,
    selected: Mapping[str, str] | None = None,
    relations: Mapping[str, tuple[str, ...]] | None = None,
) -> str:
    """A tree of fragments ``depth`` levels deep, under ``nodes(ids: [])``.

    Each fragment spreads the next level under every relation of its type. Its cost
    estimate is zero (no node) and it is small to write (2.9 KB at depth 5), but it
    expands exponentially (886 fields at depth 5), which the planner walked: 0.6 s at
    depth 5, 4.3 s at 7.

    ``selected`` gives a type's fields other than its relations (``id`` otherwise, or
    ``TREE_SCALARS`` for plans that hold many); ``relations``, which relations a type
    spreads the next level under (a subset keeps a denser tree within the limits).
    """
    chosen = _FRAGMENT_RELATIONS if relations is None else relations
    fragments = []
    for level in range(depth, 0, -1):
        for type_name, spread_under in chosen.items():
            body = "id" if selected is None else selected[type_name]
            if level > 1:
                body += "".join(
                    f" {r} {{ ...{tag}{level - 1}{_TARGETS[r]} }}" for r in spread_under
                )
            fragments.append(f"fragment {tag}{level}{type_name} on {type_name} {{ {body} }}")
    spreads = " ".join(f"...{tag}{depth}{type_name}" for type_name in chosen)
    return f"query {tag} {{ nodes(ids: []) {{ {spreads} }} }} " + " ".join(fragments)


#: Distinct fragment trees the planning row sends, four clients at once.
FRAGMENT_TREES = 24


def fragment_trees(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """Distinct fragment trees of depth 6 (2,438 fields expanded), four clients at once."""
    with _client(address) as client:
        _at_once(
            FRAGMENT_TREES,
            DOCUMENT_CLIENTS,
            lambda n: answer_of(
                client.post("/graphql", json={"query": fragment_tree(6, tag=f"T{n}x")})
            ),
            outcome,
        )


#: The rows, under the issue's numbers.
ROWS: dict[str, Attack] = {
    "1: validation bomb, 4 at once and resent": validation_bomb,
    "5: variables nested 254 deep": deep_variables,
    "6: 200 clients leaving mid-body": leaving_mid_body,
    "7: 60 KB persisted-query registrations": large_persisted_queries,
    "8: 17 aliased __schema, then GraphiQL's query": introspection,
    "9: 8 KB X-Forwarded-For garbage under a rate limit": forwarded_garbage,
    "10: 300 distinct 5.4 KB documents": distinct_documents,
    "11: { __typename x1000 }": typenames,
    "12: 24 fragment trees costed at nothing": fragment_trees,
}

#: The settings a row runs under. Row 10 measures the caches of parsed documents: its
#: 2,000 answers (about 13 KB each) would otherwise fill the answer cache, which has its
#: own byte bound (``COOPGRAPH_RESPONSE_CACHE_BYTES``, 64 MiB), and measured +44.6 MB.
SETTINGS: dict[str, dict[str, str]] = {
    "9: 8 KB X-Forwarded-For garbage under a rate limit": {"COOPGRAPH_RATE_LIMIT": RATE_LIMIT},
    "10: 300 distinct 5.4 KB documents": {"COOPGRAPH_RESPONSE_CACHE": "off"},
}

__all__ = [
    "ROWS",
    "SETTINGS",
    "TREE_SCALARS",
    "answer_of",
    "distinct_document",
    "fragment_tree",
]
