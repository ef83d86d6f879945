"""The database goes away under a running server, and comes back.

While it is away, GraphQL requests answer 503 ``DATABASE_UNAVAILABLE`` with
``Retry-After`` and ``/readyz`` answers 503; once it is back, both recover without a
restart. SQLite: the file is removed, then replaced by a file that is not a database,
then restored. PostgreSQL: a cluster of the test's own is stopped and started.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from coopgraph.graph.app import create_app
from coopgraph.seed.pipeline import seed_database
from coopgraph.settings import Settings
from testbed.live_server import serve
from tests.faults.cluster import own_cluster
from tests.seed.facts import COUNTRIES_BY_CONTINENT

QUERY = "{ continents { name } }"
#: How long recovery may take: the pool reconnects on the next request, so this is slack
#: for a busy machine, not a wait the server needs.
RECOVERY_SECONDS = 15.0


def continents(client: httpx.Client) -> httpx.Response:
    return client.post("/graphql", json={"query": QUERY})


def assert_serving(client: httpx.Client) -> None:
    response = continents(client)
    assert response.status_code == 200, response.text
    names = [c["name"] for c in response.json()["data"]["continents"]]
    assert names == list(COUNTRIES_BY_CONTINENT)
    assert client.get("/readyz").status_code == 200


def assert_unavailable(client: httpx.Client) -> None:
    readiness = client.get("/readyz")
    assert readiness.status_code == 503, readiness.text
    response = continents(client)
    body = response.json()
    # Whatever the status, no data may be served from a database that is not there.
    assert not (body.get("data") or {}).get("continents"), body
    assert response.status_code == 503, body
    assert body["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert "Retry-After" in response.headers


def eventually(check: Callable[[], None], timeout: float = RECOVERY_SECONDS) -> float:
    """Run ``check`` until it passes; returns the seconds it took."""
    start = time.monotonic()
    while True:
        try:
            check()
        except AssertionError:
            if time.monotonic() - start > timeout:
                raise
            time.sleep(0.2)
        else:
            return time.monotonic() - start


@pytest.fixture
def client_of() -> Iterator[Callable[[str], httpx.Client]]:
    """Serve the app as it ships on a database URL and return a client for it."""
    stack: list[object] = []
    servers = []

    def make(url: str) -> httpx.Client:
        server = serve(create_app(Settings(database_url=url, readiness_timeout=2.0)))
        base = server.__enter__()
        servers.append(server)
        client = httpx.Client(base_url=base, timeout=30)
        stack.append(client)
        return client

    yield make
    for client in stack:
        assert isinstance(client, httpx.Client)
        client.close()
    for server in reversed(servers):
        server.__exit__(None, None, None)


def test_sqlite_file_removed_replaced_and_restored(
    make_database: Callable[[str], str],
    document_path: Path,
    tmp_path: Path,
    client_of: Callable[[str], httpx.Client],
) -> None:
    url = make_database("sqlite")
    seed_database(url, [document_path])
    database = Path(str(make_url(url).database))
    client = client_of(url)
    assert_serving(client)
    backup = tmp_path / "backup.sqlite3"

    os.replace(database, backup)
    try:
        assert_unavailable(client)
        # mode=rw: the server did not answer the missing file by creating an empty one.
        assert not database.exists()

        database.write_bytes(b"this is not a SQLite database\n" * 200)
        assert_unavailable(client)
    finally:
        os.replace(backup, database)
    eventually(lambda: assert_serving(client))


def test_postgresql_stopped_and_started(
    document_path: Path, client_of: Callable[[str], httpx.Client]
) -> None:
    with own_cluster() as cluster:
        with psycopg.connect(cluster.url, autocommit=True) as connection:
            connection.execute("CREATE DATABASE coopgraph")
        url = cluster.url.rsplit("/", 1)[0] + "/coopgraph"
        seed_database(url, [document_path])
        client = client_of(url)
        assert_serving(client)

        cluster.stop()
        assert_unavailable(client)
        cluster.start()
        eventually(lambda: assert_serving(client))
