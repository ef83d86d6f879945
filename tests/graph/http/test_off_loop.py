"""CPU-bound stages off the event loop: a document being validated holds no other request.

Validation of a new document runs in a worker thread under the request's deadline.
The tests hold validation at a gate (a patched ``validate`` that waits for the test)
rather than time it: on the event loop, ``/healthz`` could not answer until the gate
opened, and the client's own timeout fails the test instead of a clock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import graphql as graphql_core
import pytest

from coopgraph.graph.compiled.planner import Planner
from coopgraph.graph.schema import CoopgraphSchema
from tests.graph.http.conftest import LiveApp, codes, graphql
from tests.seed.facts import COUNTRIES_BY_CONTINENT

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

#: The shape of the issue's validation bomb, well under the token limit and valid:
#: four hundred copies of one field (800 fields) take graphql-core's overlap rule
#: seconds.
BOMB = "{ " + " ".join(["continents { name }"] * 400) + " }"
#: The document's continents, in its order.
CONTINENTS = list(COUNTRIES_BY_CONTINENT)
EDITIONS = "{ editions { year } }"
#: How long the test waits for something that should happen at once.
PROMPTLY = 5.0


#: Marks the documents the gate holds.
GATED = "# held at the gate"


class ValidationGate:
    """Stands in for graphql-core's ``validate``: holds marked documents until opened.

    Says when a marked document's validation began and when it ended; an open gate
    only watches. The endpoint parses without locations, so a document does not say
    what text it came from: the gate's ``parse`` remembers the marked ones.
    """

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()
        self.finished = threading.Event()
        self.threads: list[str] = []
        self.marked: list[graphql_core.DocumentNode] = []

    def parse(self, text: str, **options: Any) -> graphql_core.DocumentNode:
        document = graphql_core.parse(text, **options)
        if GATED in text:
            self.marked.append(document)
        return document

    def validate(
        self, schema: graphql_core.GraphQLSchema, document: graphql_core.DocumentNode
    ) -> list[graphql_core.GraphQLError]:
        if not any(document is marked for marked in self.marked):
            return graphql_core.validate(schema, document)
        self.threads.append(threading.current_thread().name)
        self.entered.set()
        # Bounded, so that a server stuck on the gate cannot outlive the test.
        self.opened.wait(timeout=30)
        errors = graphql_core.validate(schema, document)
        self.finished.set()
        return errors


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[ValidationGate]:
    held = ValidationGate()
    monkeypatch.setattr("coopgraph.graph.http.documents.parse", held.parse)
    monkeypatch.setattr("coopgraph.graph.http.documents.validate", held.validate)
    try:
        yield held
    finally:
        held.opened.set()


def test_healthz_answers_while_a_document_is_validated(
    serve_settings: Callable[..., LiveApp], gate: ValidationGate
) -> None:
    served = serve_settings(cache=False)
    with ThreadPoolExecutor(1) as pool, served.client() as client, served.client() as other:
        assert graphql(other, EDITIONS).status_code == 200
        pending = pool.submit(graphql, client, "{ continents { name } }" + GATED)
        assert gate.entered.wait(PROMPTLY)
        # On the event loop, this waited for the gate and timed out.
        health = other.get("/healthz", timeout=PROMPTLY)
        assert health.status_code == 200
        assert health.json() == {"status": "ok"}
        # So is a query whose document was validated before.
        again = other.post("/graphql", json={"query": EDITIONS}, timeout=PROMPTLY)
        assert again.json()["data"] == {"editions": [{"year": 2020}]}
        assert not pending.done()
        gate.opened.set()
        answer = pending.result(timeout=PROMPTLY)
    assert answer.status_code == 200
    assert [c["name"] for c in answer.json()["data"]["continents"]] == CONTINENTS
    assert all(not name.startswith("uvicorn-") for name in gate.threads)


def test_the_request_timeout_covers_validation(
    serve_settings: Callable[..., LiveApp], gate: ValidationGate
) -> None:
    served = serve_settings(request_timeout=0.5)
    with served.client() as client:
        # Validation outlives the timeout: the request is answered without it.
        response = client.post(
            "/graphql", json={"query": "{ fields { name } }" + GATED}, timeout=PROMPTLY
        )
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert codes(response) == ["REQUEST_TIMEOUT"]
        assert response.json()["errors"][0]["message"] == (
            "The request ran longer than 0.5 s and was cancelled; ask for less, or page through it."
        )
        gate.opened.set()
        # The abandoned validation finishes and gives its thread back.
        again = graphql(client, "{ fields { name } }" + GATED)
        assert again.status_code == 200
        fields = again.json()["data"]["fields"]
        assert len(fields) == 9
        assert fields[0] == {"name": "基础前沿交叉领域"}
        assert served.checked_out() == 0


def test_introspection_runs_in_a_worker_thread(
    serve_settings: Callable[..., LiveApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    execute_sync = CoopgraphSchema.execute_sync

    def recorded(self: CoopgraphSchema, *args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return execute_sync(self, *args, **kwargs)

    monkeypatch.setattr(CoopgraphSchema, "execute_sync", recorded)
    served = serve_settings()
    query = "query Q { __schema { queryType { name } } ...T } fragment T on Query { __typename }"
    with served.client() as client:
        answer = graphql(client, query).json()
        mixed = graphql(client, "{ __typename editions { year } }").json()
    assert answer["data"] == {"__schema": {"queryType": {"name": "Query"}}, "__typename": "Query"}
    assert answer["extensions"]["execution"] == "standard"
    assert len(threads) == 1
    assert not threads[0].startswith("uvicorn-")
    # An operation that also reads data runs on the loop, with its database session.
    assert mixed["data"] == {"__typename": "Query", "editions": [{"year": 2020}]}
    assert len(threads) == 1


def test_healthz_answers_while_the_bomb_is_validated(
    serve_settings: Callable[..., LiveApp], gate: ValidationGate
) -> None:
    """The issue's bomb through real uvicorn, validated for real (the gate only watches).

    ``/healthz`` is asked once the bomb's validation has begun; on the event loop its
    answer could only come after that validation had ended. The field budget refuses
    800 fields before validation by default; raised, it lets the bomb through to show
    what remains of validation's cost does not hold the loop whatever the budget.
    """
    gate.opened.set()
    served = serve_settings(cache=False, max_fields=1_000, max_expanded_fields=1_000)
    with ThreadPoolExecutor(1) as pool, served.client() as client, served.client() as other:
        pending = pool.submit(graphql, client, BOMB + GATED)
        assert gate.entered.wait(PROMPTLY)
        health = other.get("/healthz", timeout=PROMPTLY)
        validating = not gate.finished.is_set()
        answer = pending.result(timeout=30)
    assert health.status_code == 200
    assert validating
    assert answer.status_code == 200
    data = answer.json()["data"]["continents"]
    assert [c["name"] for c in data] == CONTINENTS
    assert all(not name.startswith("uvicorn-") for name in gate.threads)


def test_a_new_document_is_planned_in_a_worker_thread(
    serve_settings: Callable[..., LiveApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planning walks every selection and builds statements: 219 ms for 20 documents of
    14 aliases each on the loop, measured before it moved. A kept plan is not planned again.
    """
    threads: list[str] = []
    plan = Planner.plan

    def recorded(self: Planner, *args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return plan(self, *args, **kwargs)

    monkeypatch.setattr(Planner, "plan", recorded)
    served = serve_settings(cache=False)
    query = "{ a: continents { name } b: fields { name } }"
    with served.client() as client:
        first = graphql(client, query).json()
        again = graphql(client, query).json()
    assert first == again
    assert first["extensions"]["execution"] == "compiled"
    assert [c["name"] for c in first["data"]["a"]] == CONTINENTS
    assert len(first["data"]["b"]) == 9
    assert len(threads) == 1
    assert not threads[0].startswith("uvicorn-")
    assert threads[0] != "MainThread"
