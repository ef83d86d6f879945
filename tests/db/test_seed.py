"""seed_database on both backends: what it stores, and that it stores it safely."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from coopgraph.db.engine import create_sync_engine
from coopgraph.db.migrate import upgrade_to_head
from coopgraph.seed.curation import load_curation
from coopgraph.seed.errors import DocumentError
from coopgraph.seed.load import count_entities
from coopgraph.seed.parse import parse_document
from coopgraph.seed.pipeline import seed_database
from coopgraph.seed.resolve import ResolvedEdition, resolve_document
from tests.db.tables import ENTITY_TABLES, dump_tables, keys_and_positions, rows
from tests.seed import edits
from tests.seed.facts import (
    COUNTRIES_BY_CONTINENT,
    ENTITY_COUNTS,
    ROWS_PER_FIELD,
    TITLE,
    institution_lines,
)


@pytest.fixture(scope="module")
def edition(document_path: Path) -> ResolvedEdition:
    data = document_path.read_bytes()
    return resolve_document(parse_document(data, str(document_path)), load_curation(), data)


@pytest.fixture
def seeded_copy(backend: str, make_seeded_database: Callable[[str], str]) -> str:
    """A database of each backend of this test's own, seeded with the document."""
    return make_seeded_database(backend)


# What a seed stores.


def test_entity_counts(seeded_url: str) -> None:
    engine = create_sync_engine(seeded_url)
    try:
        with Session(engine) as session:
            assert count_entities(session) == ENTITY_COUNTS
    finally:
        engine.dispose()
    for table, count in ENTITY_COUNTS.items():
        assert rows(seeded_url, f"SELECT COUNT(*) FROM {table}") == [(count,)]


def test_edition_row(seeded_url: str, document_path: Path) -> None:
    sha256 = hashlib.sha256(document_path.read_bytes()).hexdigest()
    assert rows(seeded_url, "SELECT year, title, source_name, source_sha256 FROM editions") == [
        (2020, TITLE, "2020.txt", sha256)
    ]


def test_countries_per_continent(seeded_url: str) -> None:
    found = rows(
        seeded_url,
        "SELECT continents.name, countries.name FROM countries"
        " JOIN continents ON continents.id = countries.continent_id"
        " ORDER BY continents.position, countries.position",
    )
    grouped: dict[str, list[str]] = {}
    for continent, country in found:
        grouped.setdefault(continent, []).append(country)
    assert grouped == COUNTRIES_BY_CONTINENT
    assert len(grouped["欧洲"]) == 17


def test_priorities_per_field(seeded_url: str) -> None:
    found = rows(
        seeded_url,
        "SELECT fields.name, COUNT(*) FROM priorities"
        " JOIN fields ON fields.id = priorities.field_id GROUP BY fields.name",
    )
    assert dict(found) == ROWS_PER_FIELD


def test_country_codes_and_names(seeded_url: str) -> None:
    found = {
        key: (iso, name, name_en)
        for key, iso, name, name_en in rows(
            seeded_url, "SELECT key, iso_code, name, name_en FROM countries"
        )
    }
    assert found["JP"] == ("JP", "日本", "Japan")
    assert found["KR"] == ("KR", "韩国", "South Korea")
    assert found["RU"] == ("RU", "俄罗斯", "Russia")
    assert found["EU"] == ("EU", "欧盟", "European Union")
    assert found["TW"] == ("TW", "中国台湾", "Taiwan, China")


def test_every_priority_source_line_and_text_matches_the_file(
    seeded_url: str, document_lines: list[str]
) -> None:
    stored = rows(seeded_url, "SELECT source_line, source_text FROM priorities ORDER BY position")
    assert [line for line, _ in stored] == institution_lines(document_lines)
    for line, source_text in stored:
        assert document_lines[line - 1] == f"\t{source_text}"


def test_priority_keys_are_the_resolved_keys(seeded_url: str, edition: ResolvedEdition) -> None:
    stored = dict(rows(seeded_url, "SELECT source_line, key FROM priorities"))
    assert stored == {p.source_line: p.key for p in edition.priorities}
    assert stored[17] == "2020.jp.frontier-interdisciplinary.1"


def test_aliases_of_the_department_of_energy(seeded_url: str) -> None:
    found = rows(
        seeded_url,
        "SELECT DISTINCT pi.mention FROM priority_institutions pi"
        " JOIN institutions i ON i.id = pi.institution_id WHERE i.name = :name",
        name="美国能源部",
    )
    assert {mention for (mention,) in found} == {"美国能源部（DOE）", "DOE"}


def test_stored_mentions_of_one_row(seeded_url: str) -> None:
    found = rows(
        seeded_url,
        "SELECT i.key, pi.mention, pi.and_others FROM priority_institutions pi"
        " JOIN institutions i ON i.id = pi.institution_id"
        " JOIN priorities p ON p.id = pi.priority_id"
        " WHERE p.source_line = 253 ORDER BY pi.ordinal",
    )
    assert [(key, mention, bool(others)) for key, mention, others in found] == [
        ("ca.nrc", "国家研究理事会（NRC）", False),
        ("ca.university-of-toronto", "多伦多大学", True),
        ("ca.u15", "U15大学", False),
    ]


def test_stored_directions_of_one_row(seeded_url: str) -> None:
    found = rows(
        seeded_url,
        "SELECT d.key, p.directions_text FROM priority_directions pd"
        " JOIN directions d ON d.id = pd.direction_id"
        " JOIN priorities p ON p.id = pd.priority_id"
        " WHERE p.source_line = 354 ORDER BY pd.ordinal",
    )
    assert found == [
        ("life-health.modern-agriculture", "现代农业、健康"),
        ("life-health.health", "现代农业、健康"),
    ]
    assert rows(seeded_url, "SELECT directions_text FROM priorities WHERE source_line = 17") == [
        (None,)
    ]


def test_institution_kinds(seeded_url: str) -> None:
    found = dict(rows(seeded_url, "SELECT kind, COUNT(*) FROM institutions GROUP BY kind"))
    assert found == {"ORGANIZATION": 73, "GROUP": 5, "CATEGORY": 24}


def fanout(pairs: Iterable[tuple[object, object]]) -> tuple[int, int]:
    """(links, largest fan-out) of a set of (parent, child) pairs."""
    children = Counter(parent for parent, _ in set(pairs))
    return sum(children.values()), max(children.values(), default=0)


def expected_statistics(edition: ResolvedEdition) -> dict[str, tuple[int, int, int]]:
    """relation → (parents, links, max_fanout), counted from the resolved edition."""
    institution_country = {i.key: i.country_key for i in edition.institutions}
    country_continent = {c.key: c.continent_key for c in edition.countries}
    links = [(p, m.institution_key) for p in edition.priorities for m in p.mentions]
    counts = {
        "Edition": 1,
        "Continent": len(edition.continents),
        "Country": len(edition.countries),
        "Field": len(edition.fields),
        "Direction": len(edition.directions),
        "Institution": len(edition.institutions),
        "Priority": len(edition.priorities),
    }
    pairs: dict[str, list[tuple[object, object]]] = {
        "Edition.priorities": [(2020, p.key) for p in edition.priorities],
        "Continent.countries": [(v, k) for k, v in country_continent.items()],
        "Continent.fields": [
            (country_continent[p.country_key], p.field_key) for p in edition.priorities
        ],
        "Country.priorities": [(p.country_key, p.key) for p in edition.priorities],
        "Country.fields": [(p.country_key, p.field_key) for p in edition.priorities],
        "Country.institutions": [(v, k) for k, v in institution_country.items()],
        "Field.priorities": [(p.field_key, p.key) for p in edition.priorities],
        "Field.directions": [(d.field_key, d.key) for d in edition.directions],
        "Field.countries": [(p.field_key, p.country_key) for p in edition.priorities],
        "Field.institutions": [(p.field_key, key) for p, key in links],
        "Direction.priorities": [(d, p.key) for p in edition.priorities for d in p.direction_keys],
        "Direction.countries": [
            (d, p.country_key) for p in edition.priorities for d in p.direction_keys
        ],
        "Institution.priorities": [(key, p.key) for p, key in links],
        "Institution.fields": [(key, p.field_key) for p, key in links],
        "Priority.directions": [(p.key, d) for p in edition.priorities for d in p.direction_keys],
        "Priority.institutions": [(p.key, key) for p, key in links],
    }
    return {
        relation: (counts[relation.split(".")[0]], *fanout(found))
        for relation, found in pairs.items()
    }


def test_relation_statistics(seeded_url: str, edition: ResolvedEdition) -> None:
    stored = {
        relation: (parents, links, largest)
        for relation, parents, links, largest in rows(
            seeded_url, "SELECT relation, parents, links, max_fanout FROM relation_statistics"
        )
    }
    assert stored == expected_statistics(edition)
    assert stored["Continent.countries"] == (7, 44, 17)
    assert stored["Field.priorities"] == (9, 115, 28)
    assert stored["Continent.fields"] == (7, 49, 9)
    assert stored["Edition.priorities"] == (1, 115, 115)
    assert stored["Priority.institutions"] == (115, 200, 5)


def search_terms(url: str, entity_type: str, table: str, key: str) -> set[tuple[str, str, str]]:
    return set(
        rows(
            url,
            "SELECT t.term, t.normalized, t.source FROM search_terms t"
            f" JOIN {table} e ON e.id = t.entity_id"
            " WHERE t.entity_type = :entity_type AND e.key = :key",
            entity_type=entity_type,
            key=key,
        )
    )


def test_search_terms_of_japan(seeded_url: str) -> None:
    assert search_terms(seeded_url, "Country", "countries", "JP") == {
        ("日本", "日本", "name"),
        ("Japan", "japan", "nameEn"),
        ("JP", "jp", "acronym"),
        ("ri ben", "riben", "pinyin"),
        ("rb", "rb", "initials"),
    }


def test_search_terms_of_the_department_of_energy(seeded_url: str) -> None:
    assert search_terms(seeded_url, "Institution", "institutions", "us.doe") == {
        ("美国能源部", "美国能源部", "name"),
        ("United States Department of Energy", "unitedstatesdepartmentofenergy", "nameEn"),
        ("DOE", "doe", "acronym"),
        ("美国能源部（DOE）", "美国能源部(doe)", "alias"),
        ("mei guo neng yuan bu", "meiguonengyuanbu", "pinyin"),
        ("mgnyb", "mgnyb", "initials"),
    }


def test_search_terms_of_misspelled_scripps(seeded_url: str) -> None:
    terms = search_terms(seeded_url, "Institution", "institutions", "us.sio")
    assert ("Scipps", "scipps", "alias") in terms
    assert (
        "Scripps Institution of Oceanography",
        "scrippsinstitutionofoceanography",
        "nameEn",
    ) in terms


def test_every_search_term_names_a_stored_entity(seeded_url: str) -> None:
    tables = {
        "Continent": "continents",
        "Country": "countries",
        "Field": "fields",
        "Direction": "directions",
        "Institution": "institutions",
    }
    found = rows(
        seeded_url,
        "SELECT entity_type, COUNT(DISTINCT entity_id) FROM search_terms GROUP BY entity_type",
    )
    assert dict(found) == {
        entity_type: ENTITY_COUNTS[table] for entity_type, table in tables.items()
    }
    for entity_type, table in tables.items():
        dangling = rows(
            seeded_url,
            f"SELECT COUNT(*) FROM search_terms t WHERE t.entity_type = :entity_type"
            f" AND t.entity_id NOT IN (SELECT id FROM {table})",
            entity_type=entity_type,
        )
        assert dangling == [(0,)]


def test_positions_follow_document_order(seeded_url: str, edition: ResolvedEdition) -> None:
    stored = keys_and_positions(seeded_url)
    expected: dict[str, Sequence[Any]] = {
        "continents": edition.continents,
        "countries": edition.countries,
        "fields": edition.fields,
        "directions": edition.directions,
        "institutions": edition.institutions,
        "priorities": edition.priorities,
    }
    for table, entities in expected.items():
        assert sorted(stored[table], key=stored[table].__getitem__) == [e.key for e in entities]
        if table != "priorities":
            assert sorted(stored[table].values()) == list(range(1, len(entities) + 1))


def test_report_of_a_seed(database_url: str, document_path: Path) -> None:
    report = seed_database(database_url, [document_path])
    assert report.counts == ENTITY_COUNTS
    assert report.lines()[0] == f"edition 2020: 115 priorities from {document_path}"
    assert "institutions: 102" in report.lines()


# Seeding again.


def test_seeding_twice_leaves_every_table_identical(seeded_copy: str, document_path: Path) -> None:
    before = dump_tables(seeded_copy)
    seed_database(seeded_copy, [document_path])
    after = dump_tables(seeded_copy)
    assert set(after) == set(before)
    for table in before:
        assert after[table] == before[table], table


def test_seeding_a_copy_from_another_folder_is_the_same_edition(
    seeded_copy: str, tmp_path: Path
) -> None:
    editions, keys = dump_tables(seeded_copy)["editions"], keys_and_positions(seeded_copy)
    copy = edits.write_document(tmp_path / "elsewhere", edits.shipped_text())
    seed_database(seeded_copy, [copy])
    assert dump_tables(seeded_copy)["editions"] == editions
    assert keys_and_positions(seeded_copy) == keys


# Failing seeds change nothing.


def test_bad_document_leaves_a_seeded_database_unchanged(
    seeded_copy: str, document_path: Path, tmp_path: Path
) -> None:
    before = dump_tables(seeded_copy)
    corrupted = edits.write_document(tmp_path, edits.unknown_institution_text(), "2021.txt")
    with pytest.raises(DocumentError) as caught:
        seed_database(seeded_copy, [document_path, corrupted])
    assert caught.value.line == edits.FRANCE_INSERM_INSTITUTIONS
    assert dump_tables(seeded_copy) == before


def test_bad_document_does_not_create_a_database(tmp_path: Path) -> None:
    database = tmp_path / "never.sqlite3"
    corrupted = edits.write_document(tmp_path, edits.unknown_institution_text())
    with pytest.raises(DocumentError):
        seed_database(f"sqlite:///{database}", [corrupted])
    assert not database.exists()


def test_two_documents_of_one_year_are_refused(seeded_copy: str, tmp_path: Path) -> None:
    before = dump_tables(seeded_copy)
    first = edits.write_document(tmp_path / "a", edits.shipped_text())
    second = edits.write_document(tmp_path / "b", edits.modified_edition_text())
    with pytest.raises(DocumentError, match="edition 2020 is also in"):
        seed_database(seeded_copy, [first, second])
    assert dump_tables(seeded_copy) == before


def boom(*_args: object) -> None:
    msg = "the load failed half-way"
    raise RuntimeError(msg)


LATE_STEPS = ("refresh_relation_statistics", "_rebuild_search_terms")


@pytest.mark.parametrize("step", LATE_STEPS)
def test_failure_during_the_load_leaves_a_seeded_database_unchanged(
    seeded_copy: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    before = dump_tables(seeded_copy)
    # A different document, so a partial write would show in the tables.
    modified = edits.write_document(tmp_path, edits.modified_edition_text())
    monkeypatch.setattr(f"coopgraph.seed.load.{step}", boom)
    with pytest.raises(RuntimeError, match="half-way"):
        seed_database(seeded_copy, [modified])
    assert dump_tables(seeded_copy) == before


@pytest.mark.parametrize("step", LATE_STEPS)
def test_failure_during_the_first_load_leaves_the_database_empty(
    database_url: str, document_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    engine = create_sync_engine(database_url)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()
    before = dump_tables(database_url)
    assert all(not found for table, found in before.items() if table != "alembic_version")
    monkeypatch.setattr(f"coopgraph.seed.load.{step}", boom)
    with pytest.raises(RuntimeError, match="half-way"):
        seed_database(database_url, [document_path])
    assert dump_tables(database_url) == before


# Stable keys.


def test_fresh_databases_get_identical_keys_and_positions(
    backend: str, make_database: Callable[[str], str], document_path: Path
) -> None:
    first, second = make_database(backend), make_database(backend)
    seed_database(first, [document_path])
    seed_database(second, [document_path])
    assert keys_and_positions(first) == keys_and_positions(second)
    assert {table: len(found) for table, found in keys_and_positions(first).items()} == {
        table: ENTITY_COUNTS[table] for table in ENTITY_TABLES
    }


def test_sqlite_and_postgresql_agree_on_keys_and_positions(
    make_database: Callable[[str], str], document_path: Path
) -> None:
    sqlite_url, postgresql_url = make_database("sqlite"), make_database("postgresql")
    seed_database(sqlite_url, [document_path])
    seed_database(postgresql_url, [document_path])
    assert keys_and_positions(sqlite_url) == keys_and_positions(postgresql_url)


def key_of_line(edition: ResolvedEdition, source_line: int) -> str:
    (key,) = (p.key for p in edition.priorities if p.source_line == source_line)
    return key


def priority_lines_in_position_order(url: str) -> list[int]:
    return [line for (line,) in rows(url, "SELECT source_line FROM priorities ORDER BY position")]


def test_reseed_with_a_modified_document_updates_in_place(
    seeded_copy: str, tmp_path: Path, edition: ResolvedEdition
) -> None:
    before = keys_and_positions(seeded_copy)
    modified = edits.write_document(tmp_path, edits.modified_edition_text())
    report = seed_database(seeded_copy, [modified])
    after = keys_and_positions(seeded_copy)

    panama = key_of_line(edition, edits.PANAMA_INSTITUTIONS)
    removed = {
        "countries": {"PA"},
        "institutions": {"fr.pasteur-institute", "pa.related-universities"},
        "priorities": {panama},
    }
    for table in ENTITY_TABLES:
        kept = set(before[table]) - removed.get(table, set())
        assert set(after[table]) == kept, table
    for table in ("continents", "countries", "fields", "directions", "institutions"):
        assert after[table] == {key: before[table][key] for key in after[table]}, table
    assert report.counts == {
        **ENTITY_COUNTS,
        "countries": 43,
        "institutions": 100,
        "priorities": 114,
    }
    assert rows(
        seeded_copy, "SELECT COUNT(*) FROM priorities WHERE source_text LIKE '%巴拿马%'"
    ) == [(0,)]

    # Pasteur's row keeps its key and now names CNRS.
    pasteur_row = rows(
        seeded_copy,
        "SELECT i.key, pi.mention, p.source_line FROM priority_institutions pi"
        " JOIN institutions i ON i.id = pi.institution_id"
        " JOIN priorities p ON p.id = pi.priority_id WHERE p.key = :key",
        key=key_of_line(edition, edits.FRANCE_PASTEUR_INSTITUTIONS),
    )
    moved_up = edits.FRANCE_PASTEUR_INSTITUTIONS - len(edits.PANAMA_ROW)
    assert pasteur_row == [("fr.cnrs", "法国科研中心", moved_up)]
    assert rows(
        seeded_copy, "SELECT COUNT(*) FROM search_terms WHERE term = '法国巴斯德研究所'"
    ) == [(0,)]
    statistics = dict(rows(seeded_copy, "SELECT relation, parents FROM relation_statistics"))
    assert statistics["Institution.priorities"] == 100
    # Curated names go with their institution.
    assert rows(
        seeded_copy, "SELECT COUNT(*) FROM institution_names WHERE name = 'Institut Pasteur'"
    ) == [(0,)]
    assert statistics["Country.priorities"] == 43


def test_reseed_after_removing_a_row_keeps_the_priorities_in_document_order(
    seeded_copy: str, tmp_path: Path
) -> None:
    modified = edits.write_document(tmp_path, edits.modified_edition_text())
    seed_database(seeded_copy, [modified])
    lines = priority_lines_in_position_order(seeded_copy)
    assert len(lines) == 114
    assert lines == sorted(lines)


def test_reseed_with_an_inserted_row_keeps_keys_and_document_order(
    seeded_copy: str, tmp_path: Path, edition: ResolvedEdition
) -> None:
    before = keys_and_positions(seeded_copy)
    inserted = edits.write_document(tmp_path, edits.inserted_row_text())
    report = seed_database(seeded_copy, [inserted])
    after = keys_and_positions(seeded_copy)
    assert report.counts == {**ENTITY_COUNTS, "priorities": 116}
    assert set(after["priorities"]) == {*before["priorities"], "2020.pa.life-health.1"}
    for table in ("continents", "countries", "fields", "directions", "institutions"):
        assert after[table] == before[table], table
    lines = priority_lines_in_position_order(seeded_copy)
    assert len(lines) == 116
    assert lines == sorted(lines)
    # The row below the new one moved down six lines under the same key.
    inserm = key_of_line(edition, edits.FRANCE_INSERM_INSTITUTIONS)
    assert rows(seeded_copy, "SELECT source_line FROM priorities WHERE key = :key", key=inserm) == [
        (edits.FRANCE_INSERM_INSTITUTIONS + 6,)
    ]
