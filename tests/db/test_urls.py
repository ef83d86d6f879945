"""How the server's log names its database: findable, and never with a password."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopgraph.db.urls import UnsupportedDatabaseError, shown_database


def test_a_relative_sqlite_file_is_shown_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert shown_database("sqlite:///data/coopgraph.sqlite3") == (
        f"SQLite file {tmp_path / 'data' / 'coopgraph.sqlite3'}"
    )


def test_an_absolute_sqlite_file_is_shown_as_it_is() -> None:
    assert shown_database("sqlite:////srv/coopgraph/db.sqlite3") == (
        "SQLite file /srv/coopgraph/db.sqlite3"
    )


def test_sqlite_in_memory() -> None:
    assert shown_database("sqlite://") == "SQLite in memory"
    assert shown_database("sqlite:///:memory:") == "SQLite in memory"


def test_a_postgresql_password_is_masked() -> None:
    shown = shown_database("postgresql://reader:s3cret@db.internal:5433/coopgraph")
    assert "s3cret" not in shown
    assert shown == "postgresql://reader:***@db.internal:5433/coopgraph"


def test_a_postgresql_url_without_password_is_shown_whole() -> None:
    url = "postgresql://postgres@127.0.0.1:5432/coopgraph"
    assert shown_database(url) == url


def test_an_unsupported_url_is_refused_with_its_password_masked() -> None:
    with pytest.raises(UnsupportedDatabaseError) as refused:
        shown_database("mysql://root:s3cret@localhost/coopgraph")
    assert "s3cret" not in str(refused.value)
