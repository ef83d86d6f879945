"""The data version: a seed that changes the data retires every cached answer; one that
does not keeps them.

The seed runs in this process while the app serves from a thread, as ``coopgraph seed``
would run beside a server: the app learns of the change only from the database (SQLite's
``PRAGMA data_version``, PostgreSQL's ``NOTIFY``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from coopgraph.graph.caching.version import (
    PostgresDataVersion,
    create_data_version_source,
    data_version,
)
from coopgraph.seed.pipeline import seed_database
from coopgraph.settings import Settings
from tests.graph.caching.conftest import EDITIONS
from tests.graph.http.conftest import run_in_process
from tests.seed.edits import shipped_text, write_document, yearly_copies

CACHE_HEADER = "x-coopgraph-cache"


def second_edition(folder: Path) -> Path:
    """The document as its 2021 edition: 2020年度 in the title read as 2021年度."""
    return yearly_copies(folder, 2)[1]


def editions(client: httpx.Client) -> httpx.Response:
    response = client.post("/graphql", json={"query": EDITIONS})
    assert response.status_code == 200, response.text
    return response


def test_a_seed_that_changes_the_data_retires_cached_answers(
    backend: str, make_seeded_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = make_seeded_database(backend)
    with run_in_process(Settings(database_url=url)) as served, served.client() as client:
        first = editions(client)
        cached = editions(client)
        seed_database(url, [second_edition(tmp_path / "2021")])
        changed = editions(client)
        changed_again = editions(client)

    assert first.json()["data"]["editions"] == [{"year": 2020, "priorityCount": 115}]
    assert cached.headers[CACHE_HEADER] == "hit"
    assert CACHE_HEADER not in changed.headers
    assert changed.json()["data"]["editions"] == [
        {"year": 2020, "priorityCount": 115},
        {"year": 2021, "priorityCount": 115},
    ]
    # Answers of the new data are cached in turn.
    assert changed_again.headers[CACHE_HEADER] == "hit"
    assert changed_again.content == changed.content


def test_a_seed_of_the_same_document_keeps_cached_answers(
    backend: str, make_seeded_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = make_seeded_database(backend)
    with run_in_process(Settings(database_url=url)) as served, served.client() as client:
        first = editions(client)
        # The same text from another folder: every row is written again (SQLite's
        # data_version moves), but the edition's digest, and so the version, stays.
        copy = write_document(tmp_path / "elsewhere", shipped_text())
        seed_database(url, [copy])
        after = editions(client)

    assert after.headers[CACHE_HEADER] == "hit"
    assert after.content == first.content


def test_version_source_follows_the_edition_digests(
    backend: str, make_seeded_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = make_seeded_database(backend)

    async def read_after(seeds: list[list[Path]]) -> list[str]:
        # On PostgreSQL, a minute between timed re-reads: only the NOTIFY can tell.
        source = (
            PostgresDataVersion(url, max_age=60)
            if backend == "postgresql"
            else create_data_version_source(url)
        )
        try:
            versions = [await source.current()]
            for paths in seeds:
                seed_database(url, paths)
                # The listening backend sends the notification a moment after the
                # seed's commit returns (see the PostgresDataVersion docstring).
                deadline = time.monotonic() + 1.0
                version = await source.current()
                while version == versions[-1] and time.monotonic() < deadline:
                    await asyncio.sleep(0.01)
                    version = await source.current()
                versions.append(version)
            return versions
        finally:
            await source.aclose()

    copy = write_document(tmp_path / "copy", shipped_text())
    same, again, other = asyncio.run(read_after([[copy], [second_edition(tmp_path / "2021")]]))
    assert same == again
    assert other != same
    assert len(same) == 32


def test_data_version_does_not_depend_on_row_order() -> None:
    rows = [(2020, "a" * 64), (2021, "b" * 64)]
    assert data_version(rows) == data_version(list(reversed(rows)))
    assert data_version(rows) != data_version([(2020, "a" * 64)])
    assert data_version(rows) != data_version([(2020, "a" * 64), (2021, "c" * 64)])
    # Editions seeded before digests were stored still give a version.
    assert data_version([(2020, None)]) != data_version([(2020, "a" * 64)])
