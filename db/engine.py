"""Engines and sessions for the two sides of the project.

Seeding and migrations run synchronously (a CLI command, one transaction); the API runs
on the event loop, so it gets an async engine whose sessions never block it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from db.urls import async_url, ensure_sqlite_directory, is_sqlite, sync_url


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


def create_api_engine(database_url: str, *, statement_timeout: float | None = None) -> AsyncEngine:
    """An async engine for request sessions.

    Args:
        database_url: The database to serve.
        statement_timeout: Seconds PostgreSQL lets one statement run before it
            cancels it. SQLite statements run in the driver's thread and cannot be
            cancelled that way; the request timeout bounds the wait for them.
    """
    ensure_sqlite_directory(database_url)
    connect_args: dict[str, Any] = {}
    if statement_timeout is not None and not is_sqlite(database_url):
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout * 1000)}"
    engine = create_async_engine(
        async_url(database_url), pool_pre_ping=True, connect_args=connect_args
    )
    if is_sqlite(database_url):
        event.listen(engine.sync_engine, "connect", _enforce_sqlite_foreign_keys)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects are read-only snapshots for one request; expiring them on commit would
    # only cost extra round trips.
    return async_sessionmaker(engine, expire_on_commit=False)
