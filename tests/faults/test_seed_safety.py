"""A seed killed half-way, and two seeds at once, on both backends.

The seeds are real ``coopgraph seed`` processes loading the document as 40 editions
(x40, 4,600 priorities, seconds of loading); "half-way" is when the 20th edition's
priorities are being written inside the open transaction, seen on the seed's stderr and
confirmed in the database (the advisory lock on PostgreSQL, the rollback journal on
SQLite).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from coopgraph.db.engine import create_seed_engine
from coopgraph.db.locking import seed_transaction
from coopgraph.graph.app import create_app
from coopgraph.seed.pipeline import seed_database
from coopgraph.settings import Settings
from testbed.live_server import serve
from tests.db.tables import dump_tables, rows
from tests.faults.seeding import SeedRun, load_in_progress
from tests.seed import edits
from tests.seed.facts import ENTITY_COUNTS, MENTIONS

COPIES = 40
OVERLAPPING = 34
QUERY = "{ editions { year } countries(first: 100) { edges { node { name } } } }"


@pytest.fixture(scope="module")
def x40_document(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return edits.yearly_copies(tmp_path_factory.mktemp("x40"), COPIES)


@pytest.fixture
def runs() -> Iterator[list[SeedRun]]:
    """Seeds a test starts; killed at the end if they are still running."""
    started: list[SeedRun] = []
    yield started
    for run in started:
        run.kill()


def served(client: httpx.Client) -> tuple[list[int], int]:
    response = client.post("/graphql", json={"query": QUERY})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    return [e["year"] for e in data["editions"]], len(data["countries"]["edges"])


def test_seed_killed_half_way_leaves_the_data_served(
    backend: str,
    make_seeded_database: Callable[[str], str],
    x40_document: list[Path],
    runs: list[SeedRun],
) -> None:
    database_url = make_seeded_database(backend)
    before = dump_tables(database_url)
    with (
        serve(create_app(Settings(database_url=database_url))) as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        assert served(client) == ([2020], 44)
        run = SeedRun(database_url, x40_document)
        runs.append(run)
        run.wait_for("loading priorities", times=COPIES // 2)
        assert load_in_progress(database_url), run.stderr
        # Still served, and still the previous data, while the load is under way.
        assert served(client) == ([2020], 44)
        run.process.send_signal(signal.SIGKILL)
        run.kill()
        assert run.process.returncode == -signal.SIGKILL
        assert run.count("committing") == 0
        assert run.count("loading priorities") < COPIES

        assert served(client) == ([2020], 44)
        assert dump_tables(database_url) == before
        if backend == "postgresql":
            # The server ends the dead client's transaction, and its lock with it. (SQLite
            # may keep an empty journal file: nothing was written to the database file, so
            # it is not a hot journal, and the next writer reuses it.)
            deadline = time.monotonic() + 30
            while load_in_progress(database_url) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not load_in_progress(database_url)

        # The next seed (a small one, to keep the test short) gets the lock and commits.
        again = SeedRun(database_url, x40_document[:3])
        runs.append(again)
        assert again.finish() == 0, again.stderr
        assert "editions: 3" in again.stdout.splitlines()
        assert served(client) == ([2020, 2021, 2022], 44)
    assert rows(database_url, "SELECT COUNT(*) FROM priorities") == [(115 * 3,)]


def test_a_second_seed_waits_for_the_first(
    backend: str,
    make_seeded_database: Callable[[str], str],
    document_path: Path,
    x40_document: list[Path],
    runs: list[SeedRun],
) -> None:
    database_url = make_seeded_database(backend)
    # 34 editions are enough for the two to overlap.
    first = SeedRun(database_url, x40_document[:OVERLAPPING])
    runs.append(first)
    first.wait_for("loading continents")
    second = SeedRun(database_url, [document_path])
    runs.append(second)
    assert first.finish() == 0, first.stderr
    assert second.finish() == 0, second.stderr
    # The second wrote nothing until the first had committed.
    assert second.wait_for("loading continents") > first.wait_for("committing")
    # Both loads are in, whole: the second re-seeded 2020 over the first's editions.
    assert second.stdout.splitlines()[0].startswith("edition 2020: 115 priorities")
    assert f"editions: {OVERLAPPING}" in second.stdout.splitlines()
    assert rows(database_url, "SELECT COUNT(*) FROM priorities") == [(115 * OVERLAPPING,)]
    statistics = dict(rows(database_url, "SELECT relation, links FROM relation_statistics"))
    assert statistics["Edition.priorities"] == 115 * OVERLAPPING
    assert statistics["Priority.institutions"] == MENTIONS * OVERLAPPING


def test_a_seed_that_waits_too_long_fails_clearly(
    backend: str, make_seeded_database: Callable[[str], str], runs: list[SeedRun], tmp_path: Path
) -> None:
    database_url = make_seeded_database(backend)
    before = dump_tables(database_url)
    other = edits.write_document(tmp_path, edits.modified_edition_text())
    engine = create_seed_engine(database_url, lock_timeout=5)
    try:
        # The lock exactly as a running seed holds it.
        with seed_transaction(engine, lock_timeout=5):
            waiting = SeedRun(database_url, ["--wait", "1", other])
            runs.append(waiting)
            started = time.monotonic()
            status = waiting.finish()
            waited = time.monotonic() - started
    finally:
        engine.dispose()
    assert status == 1
    assert waiting.stderr.splitlines()[-1] == (
        "coopgraph seed: error: another coopgraph seed is writing this database; gave up "
        "waiting after 1 s (nothing was changed; try again when it has finished)"
    )
    assert waited >= 1
    assert waiting.count("loading") == 0
    assert dump_tables(database_url) == before
    assert rows(database_url, "SELECT COUNT(*) FROM countries") == [(ENTITY_COUNTS["countries"],)]
    # And with the lock free, the same seed goes through.
    assert seed_database(database_url, [other], lock_timeout=1).counts["priorities"] == 114
