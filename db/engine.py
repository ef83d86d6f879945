"""Engines and sessions for the two sides of the project.

Seeding and migrations run synchronously (a CLI command, one transaction); the API runs
on the event loop, so it gets an async engine whose sessions never block it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from coopgraph.db.urls import async_url, ensure_sqlite_directory, is_sqlite, sync_url

#: A seed's SQLite page cache, in KiB (a negative cache_size): large enough that a big
#: load keeps its pages in memory until commit, instead of spilling them into the file
#: under an exclusive lock that would shut the API's readers out for the rest of the load.
SEED_CACHE_KIB = 256 * 1024

#: What readiness asks the database: a table of the schema, not ``SELECT 1``, which
#: SQLite answers even on a file that is not a database.
READINESS_STATEMENT = text("SELECT version_num FROM alembic_version")


def _enforce_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless every connection asks for them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_sync_engine(database_url: str) -> Engine:
    """An engine for the seed and migration commands."""
    ensure_sqlite_directory(database_url)
    engine = create_engine(sync_url(database_url))
    if is_sqlite(database_url):
        event.listen(engine, "connect", _enforce_sqlite_foreign_keys)
    return engine


def create_seed_engine(database_url: str, lock_timeout: float) -> Engine:
    """An engine whose transactions take the database's write lock when they begin.

    On SQLite the driver's own transaction handling is switched off so that a
    transaction starts with ``BEGIN IMMEDIATE`` (two seeds cannot both get past it) and
    the schema migration runs inside it too; the busy timeout is how long a second
    seed waits for the first. PostgreSQL takes its lock in ``db.locking``.
    """
    ensure_sqlite_directory(database_url)
    if not is_sqlite(database_url):
        return create_engine(sync_url(database_url))
    engine = create_engine(sync_url(database_url), connect_args={"timeout": lock_timeout})

    def connect(dbapi_connection: Any, record: Any) -> None:
        _enforce_sqlite_foreign_keys(dbapi_connection, record)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA cache_size=-{SEED_CACHE_KIB}")
        cursor.close()

    def begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", begin)
    return engine


def _read_write_sqlite_url(url: URL) -> URL:
    """The same file opened with ``mode=rw``: a missing file is an error, not a new database.

    Without it, SQLite would answer a request after the file was removed by creating an
    empty database in its place, which the API would then serve as "no data".
    """
    database = url.database
    if not database or database == ":memory:" or url.query.get("uri"):
        return url
    path = Path(database).expanduser().absolute()
    return url.set(
        database=f"file:{quote(str(path))}", query={**url.query, "mode": "rw", "uri": "true"}
    )


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _watch_sqlite_file(engine: AsyncEngine, path: Path) -> None:
    """Reconnect when the database file was removed or replaced since a connection opened.

    An open SQLite connection keeps reading the file it opened even after it was
    unlinked or swapped, so a pooled connection would keep serving a database that is
    no longer there; the pre-ping cannot tell. Checking the file's identity on checkout
    makes the pool reopen it, and opening fails (``mode=rw``) while it is missing.
    """

    def connect(dbapi_connection: Any, record: Any) -> None:
        record.info["sqlite_file"] = _file_identity(path)
        # SQLite reads the file only when a statement needs it (``SELECT 1`` does not);
        # reading the header now refuses a file that is not a database at connect time.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA schema_version")
        cursor.close()

    def checkout(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if record.info.get("sqlite_file") != _file_identity(path) or not os.path.exists(path):
            msg = f"the database file {path} was removed or replaced"
            raise exc.DisconnectionError(msg)

    event.listen(engine.sync_engine, "connect", connect)
    event.listen(engine.sync_engine, "checkout", checkout)


def create_api_engine(database_url: str, *, statement_timeout: float | None = None) -> AsyncEngine:
    """An async engine for request sessions.

    The pool pre-pings, so a connection the database dropped (PostgreSQL restarted) is
    replaced on the next request instead of failing it; on SQLite the file is opened
    read-write without being created, and watched for removal or replacement.

    Args:
        database_url: The database to serve.
        statement_timeout: Seconds PostgreSQL lets one statement run before it
            cancels it. SQLite statements run in the driver's thread and cannot be
            cancelled that way; the request timeout bounds the wait for them.
    """
    ensure_sqlite_directory(database_url)
    url = async_url(database_url)
    sqlite = is_sqlite(database_url)
    connect_args: dict[str, Any] = {}
    if sqlite:
        url = _read_write_sqlite_url(url)
    elif statement_timeout is not None:
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout * 1000)}"
    engine = create_async_engine(url, pool_pre_ping=True, connect_args=connect_args)
    if sqlite:
        event.listen(engine.sync_engine, "connect", _enforce_sqlite_foreign_keys)
        database = async_url(database_url).database
        if database and database != ":memory:":
            _watch_sqlite_file(engine, Path(database).expanduser().absolute())
    return engine


async def probe_database(connection: AsyncConnection) -> None:
    """Raise unless the database answers with the project's schema (for ``/readyz``)."""
    await connection.execute(READINESS_STATEMENT)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects are read-only snapshots for one request; expiring them on commit would
    # only cost extra round trips.
    return async_sessionmaker(engine, expire_on_commit=False)
