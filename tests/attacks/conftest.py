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
READ_TIMEOUT = "1"

StartServer = Callable[[Mapping[str, str]], Server]
StartProxy = Callable[[Server, Mapping[str, str]], Proxy]


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("attacks-seed") / "seeded.sqlite3"
    seed_database(f"sqlite:///{path}")
    return path


def server_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """The test run's environment with the row's settings, as both layers read it."""
    # The access log on: rows that the app answers are judged by their access lines.
    return {
        **os.environ,
        "COOPGRAPH_READ_TIMEOUT": READ_TIMEOUT,
        "COOPGRAPH_ACCESS_LOG": "on",
        **settings,
    }


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


@pytest.fixture(scope="module")
def start_server(
    seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StartServer]:
    """A server started for the module with these settings, shared by its rows.

    Each row measures its own memory growth and ``/healthz`` latency from where it
    starts, and reads only the log lines written during it (``log_since``); a server
    start cost more than most rows themselves (two to four seconds against a fraction
    of one), so rows with the same settings share one.
    """
    servers: dict[frozenset[tuple[str, str]], Server] = {}
    with ExitStack() as stack:

        def start(settings: Mapping[str, str]) -> Server:
            key = frozenset(settings.items())
            if key not in servers:
                folder = tmp_path_factory.mktemp("attacked-server")
                servers[key] = stack.enter_context(_serving(seeded_sqlite, folder, settings))
            return servers[key]

        yield start


@pytest.fixture(scope="module")
def start_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartProxy]:
    """The shipped proxy in front of a server, shared by rows as ``start_server`` is."""
    if not haproxy_available():
        unavailable("haproxy is not installed", required_by="COOPGRAPH_REQUIRE_HAPROXY")
    proxies: dict[tuple[str, frozenset[tuple[str, str]]], Proxy] = {}
    with ExitStack() as stack:

        def start(server: Server, settings: Mapping[str, str]) -> Proxy:
            key = (server.url, frozenset(settings.items()))
            if key not in proxies:
                log = tmp_path_factory.mktemp("proxy") / "proxy.log"
                proxies[key] = stack.enter_context(
                    front_proxy(server.url, server_environment(settings), log)
                )
            return proxies[key]

        yield start


def log_size(path: Path) -> int:
    """Where the next line of a log will be written: the mark ``log_since`` reads from."""
    return path.stat().st_size if path.exists() else 0


def log_since(path: Path, mark: int) -> str:
    """The lines a server or proxy logged after ``mark`` (a ``log_size``)."""
    with path.open("rb") as log:
        log.seek(mark)
        return log.read().decode(errors="replace")
