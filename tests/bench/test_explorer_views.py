"""The explorer views' benchmark times what it says, on the database it is given.

In process and briefly (two requests a view) on a copy of the session's seeded SQLite:
with the response cache off every timed answer is executed (no cache hit, statements
run, a path named); a database named by ``DATABASE_URL`` is read as it is, never
seeded; a view the server refuses is reported with the error's code.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.explorer_views import BASELINE, VARIABLES, main, measure, render
from coopgraph.db.engine import create_sync_engine
from coopgraph.db.migrate import upgrade_to_head
from coopgraph.seed import pipeline
from tests.db.tables import dump_tables, rows

REQUESTS = 2
PATHS = {"compiled", "standard"}


def _file_digest(url: str) -> str:
    return hashlib.sha256(Path(url.removeprefix("sqlite:///")).read_bytes()).hexdigest()


def _refuse_to_seed(*_args: Any, **_kwargs: Any) -> None:
    pytest.fail("the benchmark seeded a database")


@pytest.fixture
def seeded_sqlite(make_seeded_database: Callable[[str], str]) -> str:
    return make_seeded_database("sqlite")


def test_with_the_cache_off_every_view_is_executed(seeded_sqlite: str) -> None:
    report = measure(seeded_sqlite, REQUESTS, {"COOPGRAPH_RESPONSE_CACHE": "off"})
    assert not report.response_cache
    assert set(report.views) == {*VARIABLES, BASELINE}
    for name, view in report.views.items():
        assert len(view.milliseconds) == REQUESTS, name
        assert view.cache_hits == 0, name
        assert view.error is None, (name, view.error)
        assert view.paths, name
        assert set(view.paths) <= PATHS, (name, view.paths)
        assert view.response_bytes > 0, name
        if name != BASELINE:
            assert view.statements >= 1, name


def test_with_the_cache_on_the_hits_are_shown(seeded_sqlite: str) -> None:
    # The same measurement with the setting on: what the cache-off run must not show.
    report = measure(seeded_sqlite, REQUESTS, {"COOPGRAPH_RESPONSE_CACHE": "on"})
    assert report.response_cache
    for name, view in report.views.items():
        assert view.cache_hits == REQUESTS, name
        assert view.statements == 0, name


def test_the_database_given_is_not_seeded(
    seeded_sqlite: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = dump_tables(seeded_sqlite)
    digest = _file_digest(seeded_sqlite)
    monkeypatch.setattr(pipeline, "seed_database", _refuse_to_seed)
    monkeypatch.setenv("DATABASE_URL", seeded_sqlite)
    monkeypatch.setenv("COOPGRAPH_RESPONSE_CACHE", "off")
    assert main(["--requests", "1"]) == 0
    out = capsys.readouterr().out
    assert str(Path(seeded_sqlite.removeprefix("sqlite:///"))) in out
    assert "response cache off" in out
    assert dump_tables(seeded_sqlite) == tables
    assert _file_digest(seeded_sqlite) == digest


@pytest.mark.parametrize("synthetic", [None, 3])
def test_seed_and_synthetic_load_a_temporary_database(
    seeded_sqlite: str,
    synthetic: int | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded: list[tuple[str, int | None]] = []

    def copy_the_seed(url: str, *, synthetic: int | None = None) -> None:
        # A copy of the seeded file stands in for the seed itself, which takes seconds.
        seeded.append((url, synthetic))
        shutil.copyfile(seeded_sqlite.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))

    digest = _file_digest(seeded_sqlite)
    monkeypatch.setattr(pipeline, "seed_database", copy_the_seed)
    monkeypatch.setenv("DATABASE_URL", seeded_sqlite)
    flags = ["--seed"] if synthetic is None else ["--synthetic", str(synthetic)]
    assert main([*flags, "--requests", "1"]) == 0
    [(url, multiplied)] = seeded
    assert url != seeded_sqlite
    assert multiplied == synthetic
    assert url.removeprefix("sqlite:///") in capsys.readouterr().out
    assert not Path(url.removeprefix("sqlite:///")).exists()
    assert _file_digest(seeded_sqlite) == digest


def test_a_database_without_a_seed_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pipeline, "seed_database", _refuse_to_seed)
    missing = tmp_path / "missing.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
    assert main(["--requests", "1"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()

    migrated = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    engine = create_sync_engine(migrated)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
    monkeypatch.setenv("DATABASE_URL", migrated)
    assert main(["--requests", "1"]) == 2
    err = capsys.readouterr().err
    assert "holds no edition" in err
    assert "--seed" in err
    assert rows(migrated, "SELECT count(*) FROM editions") == [(0,)]


def test_a_refused_view_is_reported_with_its_code(seeded_sqlite: str) -> None:
    # 300 objects: the institution page (851 at x1) is over it, the map well under.
    environ = {"COOPGRAPH_RESPONSE_CACHE": "off", "COOPGRAPH_MAX_COST": "300"}
    report = measure(seeded_sqlite, REQUESTS, environ)
    refused = report.views["institution"]
    assert refused.error is not None
    code, message = refused.error
    assert code == "COST_LIMIT_EXCEEDED"
    assert "300" in message
    assert refused.paths == ()
    assert report.views["map"].error is None
    assert report.views[BASELINE].error is None
    [line] = [line for line in render(report).splitlines() if line.startswith("| institution |")]
    assert "COST_LIMIT_EXCEEDED" in line


def test_without_the_bench_extras_it_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pipeline, "seed_database", _refuse_to_seed)
    # A None entry makes `import httpx` raise ImportError, as when it is not installed.
    monkeypatch.setitem(sys.modules, "httpx", None)
    assert main(["--requests", "1"]) == 2
    err = capsys.readouterr().err
    assert "needs httpx" in err
    assert "scripts/install bench" in err
