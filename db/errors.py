"""Telling a database that is away from a query that is wrong.

Both reach the API as SQLAlchemy exceptions; clients should get 503 ("try again") for
the first and never see the second. The classification lives with the database code
because it depends on what each driver raises.
"""

from __future__ import annotations

import sqlite3

import psycopg
from sqlalchemy import exc

#: SQLite's messages when the file is gone, swapped or damaged under a running server.
_SQLITE_UNAVAILABLE = (
    "unable to open database file",
    "file is not a database",
    "disk i/o error",
    "database disk image is malformed",
    "no such table",
    "readonly database",
)


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return seen


def is_statement_timeout(error: BaseException) -> bool:
    """Whether the database cancelled a statement for running past its timeout."""
    return any(isinstance(e, psycopg.errors.QueryCanceled) for e in _chain(error))


_AWAY = (
    exc.DisconnectionError,
    exc.TimeoutError,
    exc.InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    ConnectionError,
    TimeoutError,
)


def _is_away(cause: BaseException) -> bool:
    if isinstance(cause, exc.DBAPIError) and cause.connection_invalidated:
        return True
    if isinstance(cause, sqlite3.DatabaseError):
        return any(marker in str(cause).lower() for marker in _SQLITE_UNAVAILABLE)
    return isinstance(cause, _AWAY)


def is_database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached or read right now."""
    return not is_statement_timeout(error) and any(_is_away(c) for c in _chain(error))


__all__ = ["is_database_unavailable", "is_statement_timeout"]
