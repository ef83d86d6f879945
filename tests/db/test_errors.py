"""is_database_unavailable against errors real drivers raise, not hand-made ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from graphql import GraphQLError
from sqlalchemy import create_engine, exc, text

from coopgraph.db.errors import is_database_unavailable
from testbed.live_server import free_port


def raised(action: Callable[[], object]) -> Exception:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - any error; the test classifies it
        action()
    return caught.value


def sqlite_error(url: str, sql: str) -> Exception:
    engine = create_engine(url)
    try:

        def run() -> None:
            with engine.connect() as connection:
                connection.execute(text(sql))

        return raised(run)
    finally:
        engine.dispose()


def test_missing_sqlite_file_opened_read_write(tmp_path: Path) -> None:
    url = f"sqlite:///file:{tmp_path / 'missing.sqlite3'}?mode=rw&uri=true"
    error = sqlite_error(url, "SELECT 1")
    assert isinstance(error, exc.OperationalError)
    assert "unable to open database file" in str(error)
    assert is_database_unavailable(error)


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"not a database\n" * 100)
    error = sqlite_error(f"sqlite:///{path}", "SELECT * FROM continents")
    assert "file is not a database" in str(error)
    assert is_database_unavailable(error)


def test_sqlite_file_without_the_schema(tmp_path: Path) -> None:
    error = sqlite_error(f"sqlite:///{tmp_path / 'empty.sqlite3'}", "SELECT * FROM continents")
    assert "no such table" in str(error)
    assert is_database_unavailable(error)


def test_errors_of_the_query_itself_are_not_unavailability(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    syntax = sqlite_error(url, "SELEC 1")
    assert not is_database_unavailable(syntax)
    integrity = sqlite_error(
        url, "CREATE TABLE t (x INTEGER NOT NULL); INSERT INTO t VALUES (NULL)"
    )
    assert not is_database_unavailable(integrity)
    assert not is_database_unavailable(ValueError("a bug"))
    assert not is_database_unavailable(exc.TimeoutError("pool exhausted"))


def test_postgresql_refusing_connections() -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
    raw = raised(lambda: psycopg.connect(url, connect_timeout=3))
    assert isinstance(raw, psycopg.OperationalError)
    assert is_database_unavailable(raw)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        wrapped = raised(engine.connect)
    finally:
        engine.dispose()
    assert isinstance(wrapped, exc.OperationalError)
    assert is_database_unavailable(wrapped)


def test_postgresql_errors(make_database: Callable[[str], str]) -> None:
    url = make_database("postgresql")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:

        def run(*statements: str) -> None:
            with engine.connect() as connection:
                for statement in statements:
                    connection.execute(text(statement))

        missing = raised(lambda: run("SELECT * FROM no_such_table"))
        assert is_database_unavailable(missing)
        # A statement timeout is the request's fault (too slow), not the database's.
        timeout = raised(lambda: run("SET statement_timeout = 10", "SELECT pg_sleep(2)"))
        assert isinstance(timeout, exc.OperationalError)
        assert not is_database_unavailable(timeout)
        terminated = raised(
            lambda: run("SELECT pg_terminate_backend(pg_backend_pid())", "SELECT 1")
        )
        assert is_database_unavailable(terminated)
        assert not is_database_unavailable(raised(lambda: run("SELECT 1/0")))
    finally:
        engine.dispose()


def test_wrapped_by_graphql_and_chained(tmp_path: Path) -> None:
    error = sqlite_error(f"sqlite:///{tmp_path / 'empty.sqlite3'}", "SELECT * FROM continents")
    wrapped = GraphQLError("Internal server error", original_error=error)
    assert is_database_unavailable(wrapped)

    def resolver() -> None:
        try:
            raise error
        except exc.DBAPIError as inner:
            msg = "resolver failed"
            raise RuntimeError(msg) from inner

    assert is_database_unavailable(raised(resolver))
