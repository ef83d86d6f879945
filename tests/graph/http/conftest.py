"""The app as it ships (``create_app``), served over real HTTP for the pipeline's tests.

``api`` serves the default settings once per module and backend; ``serve_settings``
serves a one-off configuration (a tiny limit, a rate) for the length of a test. Both
are real uvicorn: these tests are about the HTTP layer (body limits, chunked bodies,
timeouts, client addresses, logging). ``run_in_process`` gives the same ``LiveApp``
reached in process instead (``tests.in_process``), for tests about what the app
answers rather than how a server carries it. Every client has a timeout of a few
seconds, so a request that hangs fails the test instead of stalling the run; nothing
asserts on how long a request took.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from starlette.applications import Starlette

from coopgraph.graph.app import BuiltApp, build_app
from coopgraph.settings import Caching, Limits, Settings
from testbed.databases import REDIS_NAMESPACE
from testbed.live_server import serve
from tests.in_process import InProcessApp, in_process

#: Long enough for a slow shared machine, short enough that a hang shows as a failure.
CLIENT_TIMEOUT = 10.0
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
GRJ = "application/graphql-response+json; charset=utf-8"
JSON = "application/json; charset=utf-8"
#: Plain HTTP on loopback verifies no certificate, but httpx loads its certificate
#: store for every client it builds (some 50 ms each); one context serves them all.
LOOPBACK_TLS = httpx.create_ssl_context()


@dataclass(frozen=True)
class LiveApp:
    """An app as ``create_app`` builds it and where it is served: a loopback URL, or in
    process. ``built`` holds its engine and compiled path, for tests that watch them."""

    built: BuiltApp
    url: str
    in_process: InProcessApp | None = None

    @property
    def app(self) -> Starlette:
        return self.built.app

    def client(self, **headers: str) -> httpx.Client:
        if self.in_process is not None:
            return self.in_process.client(timeout=CLIENT_TIMEOUT, **headers)
        return httpx.Client(
            base_url=self.url, timeout=CLIENT_TIMEOUT, headers=headers, verify=LOOPBACK_TLS
        )

    def checked_out(self) -> int:
        """Connections the app's pool has handed out and not had back."""
        return connections_checked_out(self.built.engine)


def connections_checked_out(engine: AsyncEngine) -> int:
    """Connections ``engine``'s pool has handed out and not had back."""
    pool = engine.pool
    # Both backends' async engines pool with a QueuePool, the kind that counts.
    assert isinstance(pool, QueuePool), type(pool)
    return pool.checkedout()


@contextlib.contextmanager
def live(settings: Settings) -> Iterator[LiveApp]:
    built = build_app(settings)
    with serve(built.app) as url:
        yield LiveApp(built, url)


@contextlib.contextmanager
def run_in_process(settings: Settings) -> Iterator[LiveApp]:
    """The app of ``settings`` with its lifespan run, reached without a server."""
    built = build_app(settings)
    with in_process(built.app) as running:
        yield LiveApp(built, running.url, running)


@pytest.fixture(scope="module")
def api(seeded_url: str) -> Iterator[LiveApp]:
    """The shipped app with default settings on the seeded database of each backend."""
    with live(Settings(database_url=seeded_url)) as served:
        yield served


@pytest.fixture
def client(api: LiveApp) -> Iterator[httpx.Client]:
    with api.client() as http:
        yield http


@pytest.fixture
def serve_settings(seeded_url: str) -> Iterator[Any]:
    """Serve the app with some settings changed: ``serve_settings(request_timeout=0.001)``.

    ``compiled=False`` and ``cache=False`` send every request through Strawberry's
    executor, for tests that inject a fault into a resolver's query.
    """
    with contextlib.ExitStack() as stack:

        def start(
            *,
            redis_url: str | None = None,
            compiled: bool = True,
            cache: bool = True,
            forwarded_allow_ips: tuple[Any, ...] | None = None,
            **limits: Any,
        ) -> LiveApp:
            settings = Settings(
                database_url=seeded_url,
                limits=replace(Limits(), **limits),
                redis_url=redis_url,
                redis_namespace=REDIS_NAMESPACE,
                compiled=compiled,
                caching=Caching(responses=cache),
            )
            if forwarded_allow_ips is not None:
                settings = replace(settings, forwarded_allow_ips=forwarded_allow_ips)
            return stack.enter_context(live(settings))

        yield start


def codes(response: httpx.Response) -> list[str]:
    """The ``extensions.code`` of every error of the response, in order."""
    return [error["extensions"]["code"] for error in response.json()["errors"]]


def graphql(
    client: httpx.Client,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    accept: str | None = None,
    **extra: Any,
) -> httpx.Response:
    """POST one GraphQL request as JSON."""
    body: dict[str, Any] = {"query": query, **extra}
    if variables is not None:
        body["variables"] = variables
    headers = {} if accept is None else {"accept": accept}
    return client.post("/graphql", json=body, headers=headers)


@pytest.fixture
def standard_client(serve_settings: Any) -> Iterator[httpx.Client]:
    """A client of an app that answers every request by Strawberry's executor, uncached."""
    with serve_settings(compiled=False, cache=False).client() as http:
        yield http
