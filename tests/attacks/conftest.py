"""A fresh ``coopgraph serve`` for each attack, and the shipped proxy in front of it.

Each attack gets its own server process, copied from one seeded SQLite file, so that
what one attack left behind (memory, connections) never counts against the next.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path

import pytest

from coopgraph.seed.pipeline import seed_database
from testbed.front_proxy import Proxy, front_proxy, haproxy_available
from testbed.serve_process import Server, coopgraph_serve
from tests.environment import unavailable

#: Short enough that the slowloris rows see the proxy's read timeout within a row.
READ_TIMEOUT = "2"

StartServer = Callable[[Mapping[str, str]], Server]
StartProxy = Callable[[Server, Mapping[str, str]], Proxy]


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("attacks-seed") / "seeded.sqlite3"
    seed_database(f"sqlite:///{path}")
    return path


def server_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """The test run's environment with the row's settings, as both layers read it."""
    return {**os.environ, "COOPGRAPH_READ_TIMEOUT": READ_TIMEOUT, **settings}


def _serving(
    seeded_sqlite: Path, folder: Path, settings: Mapping[str, str]
) -> AbstractContextManager[Server]:
    """`coopgraph serve` on a copy of the seeded database in ``folder``."""
    database = folder / "attacked.sqlite3"
    for part in seeded_sqlite.parent.glob(f"{seeded_sqlite.name}*"):
        shutil.copy(part, folder / part.name.replace(seeded_sqlite.name, database.name))
    return coopgraph_serve(
        f"sqlite:///{database}", folder / "server.log", environ=server_environment(settings)
    )


@pytest.fixture
def start_server(seeded_sqlite: Path, tmp_path: Path) -> Iterator[StartServer]:
    with ExitStack() as stack:

        def start(settings: Mapping[str, str]) -> Server:
            return stack.enter_context(_serving(seeded_sqlite, tmp_path, settings))

        yield start


@pytest.fixture(scope="module")
def shared_server(
    seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One fresh server with the default settings for a module's rows.

    For rows that are refused before anything executes and leave nothing behind: each
    still measures its own memory growth and ``/healthz`` latency, and starting a
    server per row cost more than the rows themselves.
    """
    with _serving(seeded_sqlite, tmp_path_factory.mktemp("shared-server"), {}) as server:
        yield server


@pytest.fixture
def start_proxy(tmp_path: Path) -> Iterator[StartProxy]:
    if not haproxy_available():
        unavailable("haproxy is not installed", required_by="COOPGRAPH_REQUIRE_HAPROXY")
    with ExitStack() as stack:

        def start(server: Server, settings: Mapping[str, str]) -> Proxy:
            return stack.enter_context(
                front_proxy(server.url, server_environment(settings), tmp_path / "proxy.log")
            )

        yield start
