"""Two apps over the same seeded database: one as it ships, one with compiled off.

Each query of the differential tests goes to both, in process through httpx's ASGI
transport (``tests.in_process``), and their ``data`` must serialize to the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest

from coopgraph.graph.app import build_app
from coopgraph.settings import Limits, Settings
from tests.in_process import in_process

#: Low enough that generated queries nesting every relation are refused by both
#: servers alike instead of keeping the standard path busy for seconds; the full
#: tree costs far less.
MAX_COST = 20_000


@dataclass
class Answer:
    status: int
    body: dict[str, Any]

    @property
    def execution(self) -> str | None:
        extensions = self.body.get("extensions") or {}
        value = extensions.get("execution")
        return None if value is None else str(value)


@dataclass
class ServerPair:
    compiled: httpx.Client
    standard: httpx.Client

    def post(self, query: str, variables: dict[str, Any] | None = None) -> tuple[Answer, Answer]:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        answers = []
        for client in (self.compiled, self.standard):
            response = client.post("/graphql", json=body)
            answers.append(Answer(response.status_code, response.json()))
        return answers[0], answers[1]

    def compare(self, query: str, variables: dict[str, Any] | None = None) -> Answer:
        """Ask both servers; assert the same status, data bytes and errors."""
        compiled, standard = self.post(query, variables)
        assert standard.execution in (None, "standard")
        assert compiled.status == standard.status
        assert ("data" in compiled.body) == ("data" in standard.body)
        assert orjson.dumps(compiled.body.get("data")) == orjson.dumps(standard.body.get("data"))
        assert _without_request_ids(compiled.body.get("errors")) == _without_request_ids(
            standard.body.get("errors")
        )
        return compiled


def _without_request_ids(errors: Any) -> Any:
    for error in errors or ():
        (error.get("extensions") or {}).pop("requestId", None)
    return errors


@pytest.fixture(scope="session")
def server_pair(seeded_url: str) -> Iterator[ServerPair]:
    # One budget for both: the pair compares answers, not the standard path's own budget.
    limits = Limits(max_cost=MAX_COST, max_standard_cost=MAX_COST)
    compiled_app = build_app(Settings(database_url=seeded_url, limits=limits))
    standard_app = build_app(Settings(database_url=seeded_url, limits=limits, compiled=False))
    assert compiled_app.compiled is not None
    assert standard_app.compiled is None
    with (
        in_process(compiled_app.app) as compiled_running,
        in_process(standard_app.app) as standard_running,
        compiled_running.client(timeout=60) as compiled,
        standard_running.client(timeout=60) as standard,
    ):
        yield ServerPair(compiled, standard)
