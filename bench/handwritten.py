"""The hand-written endpoint: the plans of ``bench.plans`` over the bare database driver.

No ORM and no GraphQL: sqlite3 with one connection kept open (its statements run on the
event loop; a thread hop would cost more than they take), or psycopg for PostgreSQL
with statements prepared on first use, either async or blocking in a thread
(``BENCH_PG_DRIVER=async|thread``; the benchmark measures both and keeps the faster).
Answers are ``{"data": ...}`` encoded by orjson.

Run by the benchmark as ``uvicorn --factory bench.handwritten:create_app`` with
``BENCH_DATABASE_URL`` set; ``POST /<query name>`` with the GraphQL request body.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

import orjson
import psycopg
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.plans import PLANS, Dialect, Plan, Row, Statement, run_plan

#: Connections kept open to PostgreSQL: as many as the load generator keeps requests in flight.
POSTGRES_CONNECTIONS = 8


def sqlite_path(url: str) -> str:
    """The file of a ``sqlite:///`` URL as SQLAlchemy spells it."""
    return unquote(urlsplit(url).path)[1:] if url.startswith("sqlite:///") else url


def postgres_conninfo(url: str) -> str:
    """A libpq URL from a SQLAlchemy one (``postgresql+psycopg://`` → ``postgresql://``)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme.split('+')[0]}://{rest}"


def dialect_of(url: str) -> Dialect:
    return Dialect("postgresql" if url.startswith("postgresql") else "sqlite")


class CountingExecutor:
    """Runs statements on one blocking connection and counts them."""

    def __init__(self, url: str) -> None:
        self.dialect = dialect_of(url)
        self.statements = 0
        self._sqlite: sqlite3.Connection | None = None
        self._postgres: psycopg.Connection[Any] | None = None
        if self.dialect.name == "sqlite":
            # Opened where the app is built and used on the event loop's thread (in tests a
            # different one); only that thread ever uses it, so the check is not needed.
            self._sqlite = sqlite3.connect(
                sqlite_path(url), cached_statements=256, check_same_thread=False
            )
        else:
            self._postgres = psycopg.connect(
                postgres_conninfo(url), autocommit=True, prepare_threshold=0
            )

    def __call__(self, statement: Statement) -> list[Row]:
        self.statements += 1
        if self._sqlite is not None:
            return self._sqlite.execute(statement.sql, statement.params).fetchall()
        assert self._postgres is not None
        sql = self.dialect.placeholders(statement.sql)
        return self._postgres.execute(sql, statement.params, prepare=True).fetchall()

    def answer(self, name: str, variables: dict[str, Any]) -> bytes:
        return encode(run_plan(PLANS[name](self.dialect, variables), self))

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._postgres is not None:
            self._postgres.close()


def encode(data: dict[str, Any]) -> bytes:
    return orjson.dumps({"data": data})


class AsyncPostgres:
    """A fixed set of async psycopg connections, each lent to one request at a time."""

    def __init__(self, url: str) -> None:
        self._url = postgres_conninfo(url)
        self._idle: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
        self.dialect = Dialect("postgresql")

    async def open(self) -> None:
        for _ in range(POSTGRES_CONNECTIONS):
            self._idle.put_nowait(
                await psycopg.AsyncConnection.connect(
                    self._url, autocommit=True, prepare_threshold=0
                )
            )

    async def close(self) -> None:
        while not self._idle.empty():
            await self._idle.get_nowait().close()

    async def run(self, plan: Plan) -> dict[str, Any]:
        connection = await self._idle.get()
        try:
            statement = next(plan)
            while True:
                sql = self.dialect.placeholders(statement.sql)
                cursor = await connection.execute(sql, statement.params, prepare=True)
                statement = plan.send(await cursor.fetchall())
        except StopIteration as done:
            result: dict[str, Any] = done.value
            return result
        finally:
            self._idle.put_nowait(connection)


class ThreadedPostgres:
    """Blocking psycopg connections; a whole plan runs in one thread hop."""

    def __init__(self, url: str) -> None:
        self._executors: asyncio.Queue[CountingExecutor] = asyncio.Queue()
        for _ in range(POSTGRES_CONNECTIONS):
            self._executors.put_nowait(CountingExecutor(url))
        self.dialect = Dialect("postgresql")

    async def close(self) -> None:
        while not self._executors.empty():
            self._executors.get_nowait().close()

    async def run(self, plan: Plan) -> dict[str, Any]:
        executor = await self._executors.get()
        try:
            return await run_in_threadpool(run_plan, plan, executor)
        finally:
            self._executors.put_nowait(executor)


def _variables(body: bytes) -> dict[str, Any]:
    request = orjson.loads(body) if body else {}
    variables: dict[str, Any] = request.get("variables") or {}
    return variables


def create_app() -> Starlette:
    """The endpoint over ``BENCH_DATABASE_URL``."""
    url = os.environ["BENCH_DATABASE_URL"]
    driver = os.environ.get("BENCH_PG_DRIVER", "async")
    dialect = dialect_of(url)
    runner: Callable[[Plan], Any]
    close: Callable[[], Any]
    if dialect.name == "sqlite":
        executor = CountingExecutor(url)

        async def run_sqlite(plan: Plan) -> dict[str, Any]:
            return run_plan(plan, executor)

        async def close_sqlite() -> None:
            executor.close()

        runner, close, opening = run_sqlite, close_sqlite, None
    elif driver == "thread":
        threaded = ThreadedPostgres(url)
        runner, close, opening = threaded.run, threaded.close, None
    else:
        pool = AsyncPostgres(url)
        runner, close, opening = pool.run, pool.close, pool.open

    async def endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in PLANS:
            return Response(b'{"errors":[{"message":"unknown query"}]}', status_code=404)
        plan = PLANS[name](dialect, _variables(await request.body()))
        return Response(encode(await runner(plan)), media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if opening is not None:
            await opening()
        yield
        await close()

    async def healthz(_request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/{name}", endpoint, methods=["POST"]),
        ],
        lifespan=lifespan,
    )


@contextlib.contextmanager
def counting(url: str) -> Iterator[CountingExecutor]:
    """A blocking executor in this process, to count each plan's statements."""
    executor = CountingExecutor(url)
    try:
        yield executor
    finally:
        executor.close()
