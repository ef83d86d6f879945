"""The version of the data being served, as every server process sees it.

The seed stores a digest of each edition's content beside it; the data version is a
digest of those. Processes never tell each other about a seed: each notices on its
own, cheaply enough to ask on every request. On SQLite, ``PRAGMA data_version`` on a
connection kept open says whether anyone committed since the last look (a few
microseconds); on PostgreSQL the seed sends a ``NOTIFY`` that each process listens
for, with a periodic re-read in case the listening connection drops.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import psycopg
from sqlalchemy import make_url

from coopgraph.db.queries.version import DATA_VERSION_CHANNEL, EDITION_DIGESTS_SQL
from coopgraph.db.urls import connect_read_only

log = logging.getLogger(__name__)


class DataVersionSource(Protocol):
    async def current(self) -> str:
        """The version now; raises the database's error when it cannot be read."""
        ...

    async def aclose(self) -> None: ...


def data_version(digests: Iterable[tuple[int, str | None]]) -> str:
    """One digest of every edition's year and content digest."""
    combined = hashlib.sha256()
    for year, digest in sorted(digests):
        combined.update(f"{year}:{digest or ''};".encode())
    return combined.hexdigest()[:32]


class SQLiteDataVersion:
    """Reads the version when SQLite says the file changed, or the file was replaced.

    Args:
        path: The database file.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._inode: tuple[int, int] | None = None
        self._seen: int | None = None
        self._version: str | None = None

    async def current(self) -> str:
        stat = os.stat(self._path)
        inode = (stat.st_dev, stat.st_ino)
        if self._connection is None or inode != self._inode:
            self._reopen(inode)
        connection = self._connection
        assert connection is not None  # noqa: S101 - set by _reopen
        changed = connection.execute("PRAGMA data_version").fetchone()[0]
        if self._version is None or changed != self._seen:
            self._version = data_version(connection.execute(EDITION_DIGESTS_SQL).fetchall())
            self._seen = changed
        return self._version

    def _reopen(self, inode: tuple[int, int]) -> None:
        if self._connection is not None:
            self._connection.close()
        # Read-only, and never creating the file: a missing database is an error.
        self._connection = connect_read_only(self._path)
        self._inode = inode
        self._version = None

    async def aclose(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


#: Seconds to open a connection, and to read the version, before giving up on it.
_CONNECT_TIMEOUT = 2
_READ_TIMEOUT = 3.0


class PostgresDataVersion:
    """Reads the version on the seed's ``NOTIFY``, and at least every ``max_age`` seconds.

    The listening connection is drained on every ``current()`` call, synchronously:
    libpq reads what the socket already holds without waiting (a ``recv`` that
    returns at once). A listener task woken by the event loop would leave a window
    in which a request that arrived after the seed's ``NOTIFY`` is still answered
    from the old version, and a read that began before a commit and ended after its
    notification would be taken as fresh.

    One window remains: PostgreSQL acknowledges the seed's commit and signals the
    listening backends at about the same moment, and a listening backend sends its
    notification when it handles that signal. A request that reaches a server
    within that moment (well under a millisecond on one machine) can still be
    answered from the old version.

    Args:
        url: A libpq URL of the database.
        max_age: Seconds after which the version is read again even without a
            notification (the listening connection may have dropped unnoticed).
    """

    def __init__(self, url: str, *, max_age: float = 2.0) -> None:
        self._url = url
        self._max_age = max_age
        self._version: str | None = None
        self._read_at = 0.0
        self._listening: psycopg.AsyncConnection[Any] | None = None
        self._lock = asyncio.Lock()
        #: Notifications seen (and listens opened): a read is fresh only if this
        #: did not move while it ran.
        self._generation = 0
        self._listen_tried_at: float | None = None

    async def current(self) -> str:
        if (self._listening is None or self._listening.closed) and (
            self._listen_tried_at is None
            or time.monotonic() - self._listen_tried_at >= self._max_age
        ):
            # Set before the await, so requests arriving meanwhile do not open more.
            self._listen_tried_at = time.monotonic()
            await self._listen()
        self._drain_notifications()
        if self._version is not None and time.monotonic() - self._read_at < self._max_age:
            return self._version
        async with self._lock:
            if self._version is None or time.monotonic() - self._read_at >= self._max_age:
                generation, read_at = self._generation, time.monotonic()
                # Bounded: requests wait on this lock, and a stalled host must make
                # them bypass the cache (the caller's error path), not hang.
                async with asyncio.timeout(_READ_TIMEOUT):
                    connection = await psycopg.AsyncConnection.connect(
                        self._url, connect_timeout=_CONNECT_TIMEOUT
                    )
                    async with connection:
                        cursor = await connection.execute(EDITION_DIGESTS_SQL)
                        self._version = data_version(await cursor.fetchall())
                # A notification drained while reading may be of a commit the read
                # did not see: leave the version stale so the next request reads again.
                if generation == self._generation:
                    self._read_at = read_at
            return self._version

    async def _listen(self) -> None:
        """Open the listening connection; the version is read again after it."""
        try:
            async with asyncio.timeout(_READ_TIMEOUT):
                connection = await psycopg.AsyncConnection.connect(
                    self._url, autocommit=True, connect_timeout=_CONNECT_TIMEOUT
                )
                await connection.execute(f"LISTEN {DATA_VERSION_CHANNEL}")
        except (psycopg.Error, TimeoutError) as error:
            log.warning("data version listener unavailable, re-reading on a timer: %s", error)
            return
        self._listening = connection
        # A commit between the last read and the LISTEN sent no notification here.
        self._mark_stale()

    def _drain_notifications(self) -> None:
        connection = self._listening
        if connection is None:
            return
        try:
            pgconn = connection.pgconn
            # Twice: a server shutting down sends its FATAL error and then closes,
            # and one read takes the message but sees the end of the stream only on
            # the next. Until the loss is seen, cached answers would be served from
            # a database that is gone.
            pgconn.consume_input()
            pgconn.consume_input()
            notified = False
            while pgconn.notifies() is not None:
                notified = True
        except psycopg.Error as error:
            log.warning("data version listener lost, listening again: %s", error)
            connection.pgconn.finish()
            self._listening = None
            self._listen_tried_at = None
            self._mark_stale()
            return
        if notified:
            self._mark_stale()

    def _mark_stale(self) -> None:
        self._generation += 1
        self._read_at = 0.0

    async def aclose(self) -> None:
        if self._listening is not None:
            await self._listening.close()
            self._listening = None


def create_data_version_source(database_url: str) -> DataVersionSource:
    """The source that fits the database: SQLite's pragma, or PostgreSQL's notifications."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return SQLiteDataVersion(Path(url.database or ""))
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresDataVersion(libpq)


__all__ = [
    "DataVersionSource",
    "PostgresDataVersion",
    "SQLiteDataVersion",
    "create_data_version_source",
    "data_version",
]
