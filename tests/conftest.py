"""Fixtures shared by every test package.

``database_url`` gives each test an empty database of each backend (SQLite file,
PostgreSQL); ``seeded_url`` a database seeded with the shipped document, built once per
backend per session. ``live_url`` serves the real app over HTTP and ``http_client``
talks to it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis

from seed.pipeline import seed_database, shipped_documents
from testbed.databases import (
    REDIS_URL,
    create_postgres_database,
    drop_postgres_database,
    postgres_unavailable_reason,
)
from testbed.live_server import serve
from tests.environment import unavailable

BACKENDS = ("sqlite", "postgresql")
SHIPPED_DOCUMENT = shipped_documents()[0]


def _require_postgres() -> None:
    reason = postgres_unavailable_reason()
    if reason is not None:
        unavailable(reason, required_by="COOPGRAPH_REQUIRE_POSTGRES")


@pytest.fixture(scope="session")
def document_path() -> Path:
    """The project's own copy of the 2020 document."""
    return SHIPPED_DOCUMENT


@pytest.fixture(scope="session")
def document_lines(document_path: Path) -> list[str]:
    return document_path.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def make_database(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A factory of empty databases: ``make_database("sqlite")`` returns a URL."""
    created: list[str] = []
    sqlite_files = itertools.count()

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'db-{next(sqlite_files)}.sqlite3'}"
        _require_postgres()
        url = create_postgres_database()
        created.append(url)
        return url

    yield make
    for url in created:
        drop_postgres_database(url)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, make_database: Callable[[str], str]) -> str:
    """An empty database of each backend."""
    return make_database(backend)


@pytest.fixture(scope="session")
def _seeded_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    urls: dict[str, str] = {}
    yield urls
    for backend_name, url in urls.items():
        if backend_name == "postgresql":
            drop_postgres_database(url)


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_url(
    request: pytest.FixtureRequest,
    _seeded_urls: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    """A database of each backend seeded once with the shipped document; do not write to it."""
    backend_name = str(request.param)
    if backend_name not in _seeded_urls:
        if backend_name == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'coopgraph.sqlite3'}"
        else:
            _require_postgres()
            url = create_postgres_database()
        seed_database(url, [SHIPPED_DOCUMENT])
        _seeded_urls[backend_name] = url
    return _seeded_urls[backend_name]


@pytest.fixture(scope="session")
def live_url(seeded_url: str) -> Iterator[str]:
    """The real app over HTTP on loopback, on a seeded database of each backend."""
    from graph.app import create_app  # noqa: PLC0415
    from settings import Settings  # noqa: PLC0415

    with serve(create_app(Settings(database_url=seeded_url))) as url:
        yield url


@pytest.fixture
def http_client(live_url: str) -> Iterator[httpx.Client]:
    """The one client tests use to drive the app."""
    with httpx.Client(base_url=live_url, timeout=30) as client:
        yield client


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    """A client of the machine's Redis; skipped (or failed in CI) when it is away."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable(
            f"Redis at {REDIS_URL} is not answering: {error}", required_by="COOPGRAPH_REQUIRE_REDIS"
        )
    yield client
    client.close()
