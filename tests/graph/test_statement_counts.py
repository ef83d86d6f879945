"""Statements per request depend on the query's shape, never on the number of rows.

These count the standard path's statements (compiled execution off); the compiled
path's are counted in ``tests/graph/compiled``.

The full-tree query of the contract runs against the document and against a ×10
synthetic copy (the same table as ten editions, 2020 to 2029); SQLAlchemy engine events
count the statements each request issues, and the counts must be equal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import Engine, event

from coopgraph.graph.app import BuiltApp, build_app
from coopgraph.seed.pipeline import seed_database
from coopgraph.settings import Caching, Limits, Settings
from testbed.databases import create_postgres_database, drop_postgres_database
from tests.in_process import in_process
from tests.seed.edits import yearly_copies

FULL_TREE = (
    resources.files("coopgraph.graph")
    .joinpath("contract", "queries", "full_tree.graphql")
    .read_text("utf-8")
)
COPIES = 10


class StatementCounter:
    """Counts statements sent to any engine while it is installed."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, *_args: Any) -> None:
        with self._lock:
            self.count += 1


@pytest.fixture
def statement_counter() -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(Engine, "before_cursor_execute", counter)
    yield counter
    event.remove(Engine, "before_cursor_execute", counter)


def count_priorities(tree: dict[str, Any]) -> int:
    return sum(
        len(country["priorities"])
        for continent in tree["continents"]
        for country in continent["countries"]
    )


def run_full_tree(built: BuiltApp, counter: StatementCounter) -> tuple[int, dict[str, Any]]:
    """Statements of one full-tree request, on whichever path answers it.

    The standard path's go through SQLAlchemy (the engine event counts them); the
    compiled path's through the drivers, counted by its own source.
    """
    compiled = built.compiled.source if built.compiled is not None else None

    def sent() -> int:
        return counter.count + (compiled.statements if compiled is not None else 0)

    with in_process(built.app) as running, running.client(timeout=60) as client:
        # The first connection's set-up is not the query's cost, and neither is the
        # read of the relation statistics, which each process repeats at most every
        # few seconds for the cost estimate, not per request.
        warm_up = client.post("/graphql", json={"query": "{ editions { year } }"})
        assert warm_up.status_code == 200
        before = sent()
        response = client.post("/graphql", json={"query": FULL_TREE})
        after = sent()
    body = response.json()
    assert response.status_code == 200
    assert "errors" not in body, body
    assert body["extensions"]["execution"] == ("compiled" if compiled else "standard")
    return after - before, body["data"]


@pytest.fixture(scope="module")
def make_tenfold(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """The ×10 copy of each backend, seeded once for the module; the tests only read it."""
    urls: dict[str, str] = {}

    def make(backend: str) -> str:
        if backend not in urls:
            folder = tmp_path_factory.mktemp("tenfold")
            if backend == "sqlite":
                urls[backend] = f"sqlite:///{folder / 'x10.sqlite3'}"
            else:
                urls[backend] = create_postgres_database()
            seed_database(urls[backend], yearly_copies(folder, COPIES))
        return urls[backend]

    yield make
    if "postgresql" in urls:
        drop_postgres_database(urls["postgresql"])


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "standard"])
def test_full_tree_statements_do_not_grow_with_rows(
    backend: str,
    make_seeded_database: Callable[[str], str],
    make_tenfold: Callable[[str], str],
    statement_counter: StatementCounter,
    compiled: bool,
) -> None:
    # The seeded copy first: it skips the test when PostgreSQL is away.
    single = make_seeded_database(backend)
    tenfold = make_tenfold(backend)

    counts = {}
    for name, url in (("document", single), ("x10", tenfold)):
        # Uncached, so the second request of a run is answered by execution.
        # The full tree at x10 estimates 4,901 objects, over the standard executor's
        # budget: this test is about its statements, so both paths get the larger one.
        settings = Settings(
            database_url=url,
            compiled=compiled,
            caching=Caching(responses=False),
            limits=Limits(max_standard_cost=Limits().max_cost),
        )
        counts[name], data = run_full_tree(build_app(settings), statement_counter)
        assert count_priorities(data) == 115 * (COPIES if name == "x10" else 1)

    # continents, countries, priorities, fields, directions, institutions: one each.
    assert counts == {"document": 6, "x10": 6}
