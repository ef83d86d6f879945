"""Tell a database that is away from a query that went wrong.

The API answers 503 ``DATABASE_UNAVAILABLE`` (retry later) when the database cannot be
reached or is not the database it should be, and 500 for anything else; this module
draws that line once, for both backends and both drivers, so the HTTP layer does not
parse driver messages itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import psycopg
from sqlalchemy import exc

#: PostgreSQL SQLSTATEs of a server that is away, starting, stopping or full.
_UNAVAILABLE_SQLSTATES = frozenset(
    {
        "57P01",  # admin_shutdown: the server is stopping
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now: starting up or shutting down
        "53300",  # too_many_connections
        "3D000",  # invalid_catalog_name: the database does not exist
        "42P01",  # undefined_table: the database is not migrated (or was swapped)
    }
)
#: Class 08 is "connection exception" (refused, lost, rejected).
_CONNECTION_CLASS = "08"
#: SQLite's words for a file that is missing, unreadable, not a database, or a
#: different database than the one the app was migrated for.
_SQLITE_UNAVAILABLE = (
    "unable to open database file",
    "file is not a database",
    "database disk image is malformed",
    "no such table",
    "disk i/o error",
    "database is locked",
    "readonly database",
    "cannot operate on a closed database",
)


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and every error it wraps.

    SQLAlchemy keeps the driver's error in ``orig``, GraphQL the resolver's in
    ``original_error``, and Python chains causes and contexts.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for attribute in ("orig", "original_error"):
            wrapped = getattr(current, attribute, None)
            if isinstance(wrapped, BaseException):
                pending.append(wrapped)
        pending.extend((current.__cause__, current.__context__))


def _sqlstate(error: BaseException) -> str | None:
    state = getattr(error, "sqlstate", None)
    return state if isinstance(state, str) else None


def _is_unavailable_one(error: BaseException) -> bool:
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, exc.DisconnectionError):
        return True
    state = _sqlstate(error)
    if state is not None:
        return state.startswith(_CONNECTION_CLASS) or state in _UNAVAILABLE_SQLSTATES
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        # No SQLSTATE: the client could not reach the server at all (refused, timed out).
        return True
    if isinstance(error, sqlite3.Error):
        message = str(error).lower()
        return any(words in message for words in _SQLITE_UNAVAILABLE)
    return isinstance(error, ConnectionError)


def is_database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database is away rather than the query being wrong.

    True for a server that refuses, drops or is shutting down connections, a database
    that does not exist, and a SQLite file that is missing, not a database, locked or
    missing the schema (removed or swapped under a running server). Statement timeouts
    and errors of the query itself are not unavailability.
    """
    return any(_is_unavailable_one(current) for current in _chain(error))


def is_statement_timeout(error: BaseException) -> bool:
    """Whether the database cancelled a statement for running past its time limit.

    PostgreSQL reports ``statement_timeout`` as SQLSTATE 57014 (query_canceled); the
    API answers it as a timeout of the request, not as a database that is away.
    """
    return any(_sqlstate(current) == "57014" for current in _chain(error))


__all__ = ["is_database_unavailable", "is_statement_timeout"]
