"""One seed at a time: the write lock a seed holds for its whole transaction.

Two ``coopgraph seed`` runs (or a seed and a starting ``serve``) on one database must
not interleave their writes. The second waits for the first up to a timeout and then
fails with a message that says why, instead of failing on a unique key half-way or
silently mixing two documents.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Connection, Engine, exc, text

#: The advisory lock key on PostgreSQL ("coop" in ASCII); any fixed number would do, as
#: long as every coopgraph process agrees on it.
SEED_LOCK_KEY = 0x636F6F70
#: How long a seed waits for another seed of the same database to finish, by default.
DEFAULT_SEED_LOCK_TIMEOUT = 600.0
#: PostgreSQL's SQLSTATE for a lock wait that hit ``lock_timeout``.
LOCK_NOT_AVAILABLE = "55P03"


class SeedLockTimeoutError(RuntimeError):
    """Another seed held the database's write lock for longer than this one would wait."""

    def __init__(self, waited: float) -> None:
        super().__init__(
            f"another coopgraph seed is writing this database; gave up waiting after "
            f"{waited:g} s (nothing was changed; try again when it has finished)"
        )
        self.waited = waited


def _is_sqlite_busy(error: exc.OperationalError) -> bool:
    return "database is locked" in str(error.orig)


@contextlib.contextmanager
def seed_transaction(engine: Engine, lock_timeout: float) -> Iterator[Connection]:
    """A transaction that holds the seed lock from its first statement to its commit.

    Raises:
        SeedLockTimeoutError: Another seed kept the lock for ``lock_timeout`` seconds.
    """
    with engine.connect() as connection:
        try:
            transaction = connection.begin()
        except exc.OperationalError as error:
            # SQLite: BEGIN IMMEDIATE gave up after the busy timeout.
            if _is_sqlite_busy(error):
                raise SeedLockTimeoutError(lock_timeout) from error
            raise
        with transaction:
            if connection.dialect.name == "postgresql":
                _take_advisory_lock(connection, lock_timeout)
            yield connection


def _take_advisory_lock(connection: Connection, lock_timeout: float) -> None:
    # A transaction-scoped lock is released by commit, rollback, or the backend noticing
    # that the client died (SIGKILL included), so no seed can leave it behind.
    milliseconds = max(1, int(lock_timeout * 1000))
    connection.execute(text(f"SET LOCAL lock_timeout = {milliseconds}"))
    try:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK_KEY})
    except exc.OperationalError as error:
        if getattr(error.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise SeedLockTimeoutError(lock_timeout) from error
        raise
    connection.execute(text("SET LOCAL lock_timeout = 0"))
