"""The real ``coopgraph`` command, run as a subprocess: seed, migrate and check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.db.tables import dump_tables
from tests.seed import edits

PROJECT_ROOT = Path(__file__).resolve().parents[1]
COUNT_LINES = [
    "editions: 1",
    "continents: 7",
    "countries: 44",
    "fields: 9",
    "directions: 14",
    "institutions: 102",
    "priorities: 115",
]


def coopgraph(
    database_url: str, *args: str, environ: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m coopgraph ARGS`` on ``database_url``, with ``environ`` set on top."""
    env = {**os.environ, "DATABASE_URL": database_url, **(environ or {})}
    return subprocess.run(
        [sys.executable, "-m", "coopgraph", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / "coopgraph.sqlite3"


@pytest.fixture
def sqlite_url(sqlite_file: Path) -> str:
    return f"sqlite:///{sqlite_file}"


def test_seed_prints_the_counts(sqlite_url: str, sqlite_file: Path) -> None:
    result = coopgraph(sqlite_url, "seed")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("edition 2020: 115 priorities from ")
    assert lines[0].endswith("2020.txt")
    assert lines[1:] == COUNT_LINES
    assert sqlite_file.exists()


def test_seed_twice(sqlite_url: str) -> None:
    first = coopgraph(sqlite_url, "seed")
    before = dump_tables(sqlite_url)
    second = coopgraph(sqlite_url, "seed")
    assert (first.returncode, second.returncode) == (0, 0), second.stderr
    assert second.stdout == first.stdout
    assert dump_tables(sqlite_url) == before


def test_seed_on_postgresql(make_database: Callable[[str], str]) -> None:
    url = make_database("postgresql")
    result = coopgraph(url, "seed", "seed/documents/2020.txt")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "edition 2020: 115 priorities from seed/documents/2020.txt",
        *COUNT_LINES,
    ]
    assert len(dump_tables(url)["priorities"]) == 115


def test_check_reports_ok_without_a_database(sqlite_url: str, sqlite_file: Path) -> None:
    result = coopgraph(sqlite_url, "check", "seed/documents/2020.txt")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ok",
        "edition 2020: 115 priorities from seed/documents/2020.txt",
        *COUNT_LINES,
    ]
    assert not sqlite_file.exists()
    assert not sqlite_file.parent.exists()


def test_check_of_a_corrupted_copy(sqlite_url: str, sqlite_file: Path, tmp_path: Path) -> None:
    corrupted = edits.write_document(tmp_path, edits.unknown_institution_text())
    result = coopgraph(sqlite_url, "check", str(corrupted))
    assert result.returncode == 1
    assert result.stdout == ""
    line = edits.FRANCE_INSERM_INSTITUTIONS
    assert re.search(
        rf"^coopgraph check: error: {re.escape(str(corrupted))}:{line}: "
        r"institution '法国未知研究院' of 法国 has no row",
        result.stderr,
        re.MULTILINE,
    ), result.stderr
    assert not sqlite_file.exists()


def test_check_of_a_gbk_copy(sqlite_url: str, tmp_path: Path) -> None:
    corrupted = edits.write_document(tmp_path, edits.shipped_text().encode("gbk"))
    result = coopgraph(sqlite_url, "check", str(corrupted))
    assert result.returncode == 1
    assert f"{corrupted}:1: not UTF-8" in result.stderr


def test_check_of_a_missing_file(sqlite_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "2019.txt"
    result = coopgraph(sqlite_url, "check", str(missing))
    assert result.returncode == 1
    assert f"{missing}:1: cannot read the document" in result.stderr


def test_seed_of_a_corrupted_copy_leaves_the_database_unchanged(
    sqlite_url: str, tmp_path: Path
) -> None:
    assert coopgraph(sqlite_url, "seed").returncode == 0
    before = dump_tables(sqlite_url)
    corrupted = edits.write_document(tmp_path, edits.unknown_institution_text())
    result = coopgraph(sqlite_url, "seed", str(corrupted))
    assert result.returncode == 1
    assert f"{corrupted}:{edits.FRANCE_INSERM_INSTITUTIONS}: institution " in result.stderr
    assert dump_tables(sqlite_url) == before


def test_seed_of_two_documents_for_one_year_fails(
    sqlite_url: str, sqlite_file: Path, tmp_path: Path
) -> None:
    copy = edits.write_document(tmp_path, edits.shipped_text())
    result = coopgraph(sqlite_url, "seed", "seed/documents/2020.txt", str(copy))
    assert result.returncode == 1
    assert f"{copy}:1: edition 2020 is also in seed/documents/2020.txt" in result.stderr
    assert not sqlite_file.exists()


def test_migrate_seeds_an_empty_database_once(sqlite_url: str) -> None:
    first = coopgraph(sqlite_url, "migrate")
    assert first.returncode == 0, first.stderr
    seeded = [
        line for line in first.stderr.splitlines() if line.startswith("INFO coopgraph: seeded")
    ]
    assert seeded[0].startswith("INFO coopgraph: seeded edition 2020: 115 priorities from ")
    assert seeded[1:] == [f"INFO coopgraph: seeded {line}" for line in COUNT_LINES]
    before = dump_tables(sqlite_url)
    second = coopgraph(sqlite_url, "migrate")
    assert second.returncode == 0, second.stderr
    assert "seeded" not in second.stderr
    assert dump_tables(sqlite_url) == before


def test_a_bad_setting_stops_the_command_with_its_name(sqlite_url: str) -> None:
    env_result = coopgraph(sqlite_url, "migrate", environ={"COOPGRAPH_COMPILED": "maybe"})
    assert env_result.returncode == 1
    assert env_result.stderr.strip().splitlines()[-1] == (
        "coopgraph migrate: error: COOPGRAPH_COMPILED='maybe' is not one of"
        " 1, on, true, yes or 0, false, no, off"
    )


def test_serve_refuses_a_log_level_uvicorn_does_not_know(
    sqlite_url: str, sqlite_file: Path
) -> None:
    result = coopgraph(sqlite_url, "serve", "--log-level", "loud")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == (
        "coopgraph serve: error: argument --log-level: invalid choice: 'loud'"
        " (choose from 'critical', 'error', 'warning', 'info', 'debug', 'trace')"
    )
    # Refused before anything was migrated or served.
    assert not sqlite_file.exists()


def test_serve_refuses_a_log_level_variable_uvicorn_does_not_know(
    sqlite_url: str, sqlite_file: Path
) -> None:
    result = coopgraph(sqlite_url, "serve", environ={"COOPGRAPH_LOG_LEVEL": "loud"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "coopgraph serve: error: COOPGRAPH_LOG_LEVEL='loud' is not a log level: use one of"
        " critical, error, warning, info, debug, trace"
    )
    assert not sqlite_file.exists()


def test_serve_log_level_also_quiets_the_migration(sqlite_url: str) -> None:
    # The switch reaches the migrate child through the environment: its seed report is
    # INFO, below the level. A host that cannot be bound stops serve once migrated.
    result = coopgraph(sqlite_url, "serve", "--log-level", "warning", "--host", "256.0.0.1")
    assert result.returncode != 0
    # Errors still show: the level is a threshold.
    assert "ERROR:" in result.stderr, result.stderr
    assert "seeded" not in result.stderr, result.stderr
    assert "database:" not in result.stderr
    assert dump_tables(sqlite_url)["priorities"], "the migrate child did not seed"
