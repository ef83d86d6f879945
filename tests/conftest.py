"""Fixtures shared by every test package.

``database_url`` gives each test an empty database of each backend (SQLite file,
PostgreSQL); ``make_seeded_database`` one of its own seeded with the shipped document;
``seeded_url`` a seeded one shared by the session, not to be written to. The seeded
database is migrated and seeded once per backend per session, then copied: a file copy
on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL.

``http_client`` drives the app as ``create_app`` builds it, in this process through
httpx's ASGI transport (``tests.in_process``): the tests of data and GraphQL behaviour
use it. ``live_url`` serves the same app under real uvicorn, for what needs a server
(a browser, sockets, the HTTP layer itself).

Tests that use Redis name ``REDIS_NAMESPACE`` in their settings and delete their keys;
``_redis_left_clean`` fails the session's last test if any remain, and removes them.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis

from coopgraph.seed.pipeline import seed_database, shipped_documents
from testbed.databases import (
    REDIS_NAMESPACE,
    REDIS_URL,
    create_postgres_database,
    drop_postgres_database,
    postgres_unavailable_reason,
    remove_redis_keys,
)
from testbed.live_server import serve
from tests.environment import unavailable
from tests.file_order import FileSeconds
from tests.in_process import InProcessApp, in_process

BACKENDS = ("sqlite", "postgresql")
SHIPPED_DOCUMENT = shipped_documents()[0]
#: Numbers the SQLite copies of the seeded template, so copies in one folder never collide.
_copies = itertools.count()


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(FileSeconds(config), "coopgraph-file-seconds")


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


@pytest.fixture(scope="session")
def _seeded_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Per backend, a database seeded with the shipped document that nothing connects to.

    Only ever copied: PostgreSQL copies a template only while no one is connected to it.
    """
    templates: dict[str, str] = {}
    yield templates
    if "postgresql" in templates:
        drop_postgres_database(templates["postgresql"])


@pytest.fixture(scope="session")
def copy_seeded(
    _seeded_templates: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, Path], str]:
    """Copy the seeded template of a backend (built on first use); returns the copy's URL.

    For fixtures wider than a test (a module's own database); a test takes
    ``make_seeded_database``, which also drops its copies.
    """

    def copy(backend_name: str, folder: Path) -> str:
        if backend_name == "postgresql":
            _require_postgres()
        if backend_name not in _seeded_templates:
            if backend_name == "sqlite":
                template = tmp_path_factory.mktemp("template") / "seeded.sqlite3"
                url = f"sqlite:///{template}"
            else:
                url = create_postgres_database()
            seed_database(url, [SHIPPED_DOCUMENT])
            _seeded_templates[backend_name] = url
        template_url = _seeded_templates[backend_name]
        if backend_name == "postgresql":
            return create_postgres_database(template_url)
        # Nothing holds the template open and SQLite's default journal leaves no
        # side file once a connection closes: the file is the whole database.
        target = folder / f"seeded-{next(_copies)}.sqlite3"
        shutil.copyfile(template_url.removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}"

    return copy


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


@pytest.fixture
def make_seeded_database(
    tmp_path: Path, copy_seeded: Callable[[str, Path], str]
) -> Iterator[Callable[[str], str]]:
    """A factory of databases of this test's own, each as a seed of the shipped document
    leaves it (a copy of one seeded once per session): ``make_seeded_database("sqlite")``.
    """
    created: list[str] = []

    def make(backend: str) -> str:
        url = copy_seeded(backend, tmp_path)
        if backend == "postgresql":
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


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_url(
    request: pytest.FixtureRequest,
    copy_seeded: Callable[[str, Path], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """A database of each backend seeded once with the shipped document; do not write to it."""
    backend_name = str(request.param)
    url = copy_seeded(backend_name, tmp_path_factory.mktemp("seeded"))
    yield url
    if backend_name == "postgresql":
        drop_postgres_database(url)


@pytest.fixture(scope="session")
def app_in_process(seeded_url: str) -> Iterator[InProcessApp]:
    """The app as ``create_app`` builds it, on a seeded database of each backend, in process."""
    from coopgraph.graph.app import create_app  # noqa: PLC0415
    from coopgraph.settings import Settings  # noqa: PLC0415

    with in_process(create_app(Settings(database_url=seeded_url))) as served:
        yield served


@pytest.fixture
def http_client(app_in_process: InProcessApp) -> Iterator[httpx.Client]:
    """The one client tests of data and GraphQL behaviour use to drive the app."""
    with app_in_process.client(timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def live_url(seeded_url: str) -> Iterator[str]:
    """The real app under uvicorn on loopback, on a seeded database of each backend."""
    from coopgraph.graph.app import create_app  # noqa: PLC0415
    from coopgraph.settings import Settings  # noqa: PLC0415

    with serve(create_app(Settings(database_url=seeded_url))) as url:
        yield url


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


@pytest.fixture(scope="session", autouse=True)
def _redis_left_clean() -> Iterator[None]:
    """Fail when this process's tests left keys in Redis; remove them either way.

    Only this process's namespace is looked at: another xdist worker or another run
    sharing the Redis may be writing its own keys at this moment.
    """
    yield
    left = remove_redis_keys()
    if left:
        shown = ", ".join(key.decode(errors="replace") for key in left[:5])
        pytest.fail(
            f"the tests left {len(left)} key(s) in {REDIS_URL} under {REDIS_NAMESPACE}:"
            f" {shown}; removed now, but the test that wrote them should delete them"
        )
