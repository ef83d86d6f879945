"""Where compiled plans read their rows: the database drivers, without the ORM.

Measured on the full tree, a plain sqlite3 fetch costs a third of aiosqlite's and a
quarter of SQLAlchemy's async Core over it, so the compiled path talks to the drivers
directly: on SQLite, one read-only sqlite3 connection per process, used on the event
loop's thread (statements take a tenth of a millisecond; a thread hop per request
costs more than it frees), with a progress handler that interrupts a statement still
running at the request's deadline; on PostgreSQL, psycopg's async connections from a
pool of their own, opened with JIT off (PostgreSQL's JIT makes the batched statements
many times slower) and the same statement timeout as the API engine.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Protocol

from psycopg_pool import AsyncConnectionPool
from sqlalchemy.engine import make_url

from coopgraph.db.urls import connect_read_only, is_sqlite
from coopgraph.graph.compiled.dialect import POSTGRESQL, SQLITE, Dialect
from coopgraph.graph.compiled.plan import Program, Rows

#: SQLite virtual-machine steps between deadline checks: cheap, and fine-grained enough
#: that an interrupted statement stops within a millisecond of its deadline.
_PROGRESS_STEPS = 10_000


class DataSource(Protocol):
    """Runs a plan's statements; ``statements`` counts them for tests and metrics."""

    dialect: Dialect
    statements: int

    async def execute(self, program: Program, deadline: float) -> dict[str, Any]:
        """Drive ``program`` to its end; raise ``TimeoutError`` past ``deadline``.

        The deadline is a ``time.monotonic()`` reading.
        """
        ...

    async def aclose(self) -> None: ...


class SqliteSource:
    """One read-only sqlite3 connection, opened on first use and after a failure.

    Each request's statements run in one read transaction, so its levels all see the
    same data even while ``coopgraph seed`` writes.
    """

    dialect = SQLITE

    def __init__(self, path: Path) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._opened: tuple[int, int] | None = None
        self._deadline = 0.0
        self.statements = 0

    def _connect(self) -> sqlite3.Connection:
        # An open connection keeps reading the file it opened after that file was
        # removed or replaced, so it would serve a database that is no longer there:
        # the file's identity is checked on every request (one stat, a microsecond).
        try:
            stat = os.stat(self._path)
        except OSError as error:
            self._discard()
            msg = f"unable to open database file: {error.strerror}"
            raise sqlite3.OperationalError(msg) from error
        identity = (stat.st_dev, stat.st_ino)
        if self._connection is not None and identity != self._opened:
            self._discard()
        if self._connection is None:
            connection = connect_read_only(self._path, isolation_level=None)
            connection.set_progress_handler(self._past_deadline, _PROGRESS_STEPS)
            self._connection = connection
            self._opened = identity
        return self._connection

    def _past_deadline(self) -> int:
        return 1 if time.monotonic() > self._deadline else 0

    async def execute(self, program: Program, deadline: float) -> dict[str, Any]:
        # No await inside: the whole plan runs as one step of the event loop.
        return self.drive(program, deadline)

    def drive(self, program: Program, deadline: float) -> dict[str, Any]:
        """Run ``program`` to its end on the calling thread."""
        self._deadline = deadline
        try:
            connection = self._connect()
            connection.execute("BEGIN")
            try:
                statement = next(program)
                while True:
                    # The progress handler only fires inside long statements; a plan
                    # of many short ones is stopped between them.
                    if time.monotonic() > deadline:
                        msg = "the request ran past its deadline between statements"
                        raise TimeoutError(msg)
                    sql, parameters = statement
                    rows: Rows = connection.execute(sql, parameters).fetchall()
                    self.statements += 1
                    statement = program.send(rows)
            except StopIteration as done:
                result: dict[str, Any] = done.value
                return result
            finally:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            if str(error) == "interrupted":
                msg = "the statement ran past the request's deadline"
                raise TimeoutError(msg) from error
            self._discard()
            raise
        except sqlite3.DatabaseError:
            # The file may have been replaced or damaged; the next request reopens it.
            self._discard()
            raise

    def _discard(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    async def aclose(self) -> None:
        self._discard()


class PostgresSource:
    """psycopg async connections from a pool opened on first use.

    Args:
        conninfo: A ``postgresql://`` URL.
        statement_timeout: Seconds one statement may run, as for the API engine.
        max_size: Connections at most; the SQLAlchemy pool of the standard path keeps
            its own.
    """

    dialect = POSTGRESQL

    def __init__(self, conninfo: str, *, statement_timeout: float, max_size: int = 10) -> None:
        options = f"-c jit=off -c statement_timeout={int(statement_timeout * 1000)}"
        self._pool = AsyncConnectionPool(
            conninfo,
            open=False,
            min_size=1,
            max_size=max_size,
            # A database that is away must fail the request soon, as 503, rather than
            # keep it waiting for a connection the pool keeps retrying.
            timeout=5.0,
            kwargs={"autocommit": True, "options": options},
        )
        self._opened = False
        self._lock = asyncio.Lock()
        self.statements = 0

    async def _open(self) -> AsyncConnectionPool:
        if not self._opened:
            async with self._lock:
                if not self._opened:
                    await self._pool.open()
                    self._opened = True
        return self._pool

    async def execute(self, program: Program, deadline: float) -> dict[str, Any]:
        pool = await self._open()
        remaining = deadline - time.monotonic()
        async with asyncio.timeout(remaining), pool.connection() as connection:
            try:
                statement = next(program)
                while True:
                    # No deadline check here: asyncio.timeout above interrupts the
                    # awaits between statements, and statement_timeout the statements.
                    sql, parameters = statement
                    cursor = await connection.execute(sql, parameters)
                    rows: Rows = await cursor.fetchall()
                    self.statements += 1
                    statement = program.send(rows)
            except StopIteration as done:
                result: dict[str, Any] = done.value
                return result

    async def aclose(self) -> None:
        if self._opened:
            await self._pool.close()


def open_source(database_url: str, *, statement_timeout: float) -> DataSource | None:
    """The data source for a ``DATABASE_URL``; None where the compiled path cannot read it."""
    url = make_url(database_url)
    if is_sqlite(database_url):
        if not url.database or url.database == ":memory:":
            return None
        return SqliteSource(Path(url.database).expanduser())
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresSource(conninfo, statement_timeout=statement_timeout)


__all__ = ["DataSource", "PostgresSource", "SqliteSource", "open_source"]
