"""Real databases for tests: a SQLite file, a throw-away PostgreSQL database, a Redis.

PostgreSQL is the one these machines run at 127.0.0.1:5432 (user postgres, trust
auth). Each test session creates databases with random names and drops them at the
end, so parallel or leftover runs never see each other's data. Migrated and seeded
databases are built once per session and copied (``tests.conftest``). Redis keys live
under a namespace per test process, removed when the process ends.
"""

from __future__ import annotations

import os
import uuid

import psycopg
import redis
from psycopg import sql

#: The tests' Redis (rate-limit counts, cached answers and persisted queries): a database
#: of their own on the machine's Redis, not the 0 an application uses by default.
REDIS_URL = os.environ.get("COOPGRAPH_TEST_REDIS", "redis://127.0.0.1:6379/15")

#: The ``COOPGRAPH_REDIS_NAMESPACE`` of this test process: every key it writes starts with
#: it, so that xdist workers and other runs sharing the Redis never touch each other's
#: keys, and this process's can be found and removed at its end.
REDIS_NAMESPACE = f"coopgraph-test-{uuid.uuid4().hex[:12]}"

POSTGRES_ADMIN_URL = os.environ.get(
    "COOPGRAPH_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def remove_redis_keys(namespace: str = REDIS_NAMESPACE) -> list[bytes]:
    """Delete the keys under ``namespace`` in the tests' Redis; returns those it found.

    Nothing to remove when Redis does not answer: no test could write there either.
    """
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)
    try:
        found = sorted(client.scan_iter(f"{namespace}:*", count=1000))
        if found:
            client.delete(*found)
    except (redis.ConnectionError, redis.TimeoutError):
        return []
    finally:
        client.close()
    return found


def postgres_unavailable_reason() -> str | None:
    """Why the PostgreSQL half cannot run here, or None when it can."""
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is not answering: {error}".strip()


def create_postgres_database(template_url: str | None = None) -> str:
    """A new database: empty, or a copy of ``template_url``'s made by PostgreSQL itself.

    A copy (``CREATE DATABASE ... TEMPLATE``) costs about what creating an empty one
    does, and skips the migrations and the seed. The template must have no open
    connection: PostgreSQL refuses to copy a database someone is using.
    """
    name = f"coopgraph_test_{uuid.uuid4().hex[:12]}"
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template_url is not None:
        template = sql.Identifier(template_url.rsplit("/", 1)[1])
        statement = sql.SQL("{} TEMPLATE {}").format(statement, template)
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(statement)
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
