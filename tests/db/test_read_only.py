"""The one read-only sqlite3 opener that the compiled path and the version check share."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coopgraph.db.urls import connect_read_only


def test_a_folder_named_with_uri_characters_is_still_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "data ?v=1 #2 100%"
    folder.mkdir()
    path = folder / "coopgraph.sqlite3"
    with sqlite3.connect(path) as writer:
        writer.execute("CREATE TABLE editions (year INTEGER)")
        writer.execute("INSERT INTO editions VALUES (2020)")
    writer.close()

    connection = connect_read_only(path)
    try:
        assert connection.execute("SELECT year FROM editions").fetchall() == [(2020,)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("INSERT INTO editions VALUES (2021)")
    finally:
        connection.close()


def test_a_missing_file_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite3"
    with pytest.raises(sqlite3.OperationalError):
        connect_read_only(path).execute("SELECT 1 FROM editions")
    assert not path.exists()
