"""A synthetic seed on both backends: through the load path, replacing what was there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from coopgraph.seed.pipeline import seed_database
from tests.db.tables import rows
from tests.seed import edits
from tests.seed.facts import ENTITY_COUNTS, MENTIONS

COPIES = 10


def test_synthetic_seed_replaces_the_stored_editions(database_url: str, tmp_path: Path) -> None:
    # Two editions first, so the synthetic one must remove one of another year.
    seed_database(database_url, edits.yearly_copies(tmp_path, 2))
    report = seed_database(database_url, synthetic=COPIES)
    scaled = {"countries", "institutions", "priorities"}
    assert report.counts == {
        name: count * COPIES if name in scaled else count for name, count in ENTITY_COUNTS.items()
    }
    assert rows(database_url, "SELECT year, source_name FROM editions") == [
        (2020, "synthetic x10 of 2020.txt")
    ]
    assert rows(database_url, "SELECT COUNT(*) FROM priority_institutions") == [
        (MENTIONS * COPIES,)
    ]
    assert rows(
        database_url,
        "SELECT key, iso_code, name FROM countries WHERE key IN ('JP', 'JP-9') ORDER BY key",
    ) == [("JP", "JP", "日本"), ("JP-9", None, "日本（合成9）")]
    statistics = {
        relation: (parents, links, largest)
        for relation, parents, links, largest in rows(
            database_url, "SELECT relation, parents, links, max_fanout FROM relation_statistics"
        )
    }
    assert statistics["Continent.countries"] == (7, 44 * COPIES, 17 * COPIES)
    assert statistics["Field.priorities"] == (9, 115 * COPIES, 28 * COPIES)
    assert statistics["Priority.institutions"] == (115 * COPIES, MENTIONS * COPIES, 5)
    assert rows(
        database_url,
        "SELECT COUNT(DISTINCT entity_id) FROM search_terms WHERE entity_type = 'Country'",
    ) == [(44 * COPIES,)]


def test_seeding_the_document_after_a_synthetic_seed_removes_the_copies(
    database_url: str, document_path: Path
) -> None:
    seed_database(database_url, synthetic=3)
    report = seed_database(database_url, [document_path])
    assert report.counts == ENTITY_COUNTS
    assert rows(database_url, "SELECT COUNT(*) FROM countries WHERE iso_code IS NULL") == [(0,)]


def test_the_command_reports_phases_when_not_on_a_terminal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'synthetic.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "coopgraph", "seed", "--synthetic", "2"],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.splitlines()[0] == "edition 2020: 230 priorities from synthetic x2 of 2020.txt"
    )
    assert "countries: 88" in done.stdout.splitlines()
    phases = [line for line in done.stderr.splitlines() if line.startswith("INFO coopgraph.seed:")]
    assert phases[0] == "INFO coopgraph.seed: loading continents (7 rows)"
    assert "INFO coopgraph.seed: loading priorities (230 rows)" in phases
    assert phases[-1] == "INFO coopgraph.seed: committing"
