"""Turn a user's ``DATABASE_URL`` into the driver-specific URLs the project uses.

Users write ``sqlite:///path`` or ``postgresql://user@host/db``; which DBAPI driver
serves each scheme, sync for seeding and migrations and async for the API, is the
project's choice, not theirs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from sqlalchemy.engine import URL, make_url

_SYNC_DRIVERS = {"sqlite": "sqlite+pysqlite", "postgresql": "postgresql+psycopg"}
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_ALIASES = {"postgres": "postgresql"}


class UnsupportedDatabaseError(ValueError):
    """The URL names a database the project does not support."""


def _backend(url: URL) -> str:
    backend = url.get_backend_name()
    backend = _ALIASES.get(backend, backend)
    if backend not in _SYNC_DRIVERS:
        msg = (
            f"DATABASE_URL {url.render_as_string(hide_password=True)!r} is not supported: "
            "use sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
        )
        raise UnsupportedDatabaseError(msg)
    return backend


def _with_driver(raw: str, drivers: dict[str, str]) -> URL:
    url = make_url(raw)
    return url.set(drivername=drivers[_backend(url)])


def sync_url(raw: str) -> URL:
    """The URL for seeding and migrations (pysqlite or psycopg)."""
    return _with_driver(raw, _SYNC_DRIVERS)


def async_url(raw: str) -> URL:
    """The URL for the API's request sessions (aiosqlite or psycopg's async mode)."""
    return _with_driver(raw, _ASYNC_DRIVERS)


def is_sqlite(raw: str) -> bool:
    return _backend(make_url(raw)) == "sqlite"


def shown_database(raw: str) -> str:
    """The database as the server's log names it, for an operator to find it.

    A SQLite file by its absolute path (as the engine opens it); any other database by
    its URL with the password masked, since logs travel further than the environment.
    """
    url = make_url(raw)
    if _backend(url) != "sqlite":
        return url.render_as_string(hide_password=True)
    if not url.database or url.database == ":memory:":
        return "SQLite in memory"
    return f"SQLite file {Path(url.database).expanduser().absolute()}"


def ensure_sqlite_directory(raw: str) -> None:
    """Create the folder of an embedded database file, so first start needs no set-up."""
    url = make_url(raw)
    if _backend(url) == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def connect_read_only(
    path: Path, *, isolation_level: Literal["DEFERRED"] | None = "DEFERRED"
) -> sqlite3.Connection:
    """A sqlite3 connection that reads ``path`` and never creates or writes it.

    A URI, so ``mode=ro`` applies; the path is quoted so that ``?``, ``#`` or ``%`` in a
    folder name stay part of the path. For the readers that skip SQLAlchemy on purpose
    (the compiled path, the data-version check); shared across threads by its owner.
    """
    return sqlite3.connect(
        f"file:{quote(str(path))}?mode=ro",
        uri=True,
        isolation_level=isolation_level,
        check_same_thread=False,
    )
