"""Compiled statements per request depend on the query's shape, never on the rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from coopgraph.settings import Settings
from graph.app import create_app
from seed.pipeline import seed_database
from tests.graph.test_statement_counts import (
    COPIES,
    FULL_TREE,
    count_priorities,
)
from tests.live_server import serve
from tests.seed.edits import yearly_copies


def test_full_tree_statements_do_not_grow_with_rows(
    backend: str,
    make_database: Callable[[str], str],
    document_path: Path,
    tmp_path: Path,
) -> None:
    single, tenfold = make_database(backend), make_database(backend)
    seed_database(single, [document_path])
    seed_database(tenfold, yearly_copies(tmp_path, COPIES))

    counts = {}
    for name, url in (("document", single), ("x10", tenfold)):
        app = create_app(Settings(database_url=url))
        source = app.state.compiled.source
        with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=60) as client:
            before = source.statements
            response = client.post("/graphql", json={"query": FULL_TREE})
            counts[name] = source.statements - before
        body = response.json()
        assert body["extensions"]["execution"] == "compiled"
        assert count_priorities(body["data"]) == 115 * (COPIES if name == "x10" else 1)

    # continents, their countries, priorities, fields, directions, institutions.
    assert counts == {"document": 6, "x10": 6}
