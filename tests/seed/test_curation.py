"""The curated tables and the document cover each other exactly, and stay consistent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import coopgraph.seed.curation as curation_module
from coopgraph.seed.curation import Curation, CurationError, load_curation
from coopgraph.seed.institutions import InstitutionResolver
from coopgraph.seed.parse import ParsedDocument, parse_document
from coopgraph.seed.resolve import ResolvedEdition, resolve_document

CURATION_DIR = Path(curation_module.__file__).parent


@pytest.fixture(scope="module")
def curation() -> Curation:
    return load_curation()


@pytest.fixture(scope="module")
def document(document_path: Path) -> ParsedDocument:
    return parse_document(document_path.read_bytes(), str(document_path))


@pytest.fixture(scope="module")
def edition(document: ParsedDocument, curation: Curation, document_path: Path) -> ResolvedEdition:
    return resolve_document(document, curation, document_path.read_bytes())


@pytest.fixture(scope="module")
def document_text(document_path: Path) -> str:
    return document_path.read_text(encoding="utf-8")


def mention_texts(edition: ResolvedEdition) -> dict[tuple[str, str], set[str]]:
    """(country name, curated name) → every spelling the document uses for it."""
    countries = {c.key: c.name for c in edition.countries}
    institutions = {i.key: (countries[i.country_key], i.name) for i in edition.institutions}
    texts: dict[tuple[str, str], set[str]] = {}
    for priority in edition.priorities:
        for mention in priority.mentions:
            texts.setdefault(institutions[mention.institution_key], set()).add(mention.text)
    return texts


def data_rows(filename: str) -> int:
    lines = (CURATION_DIR / filename).read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines[1:] if line.strip())


# The document against the tables.


def test_every_institutions_cell_resolves(document: ParsedDocument, curation: Curation) -> None:
    resolver = InstitutionResolver(curation)
    for row in document.rows:
        assert resolver.resolve_cell(row.country, row.institutions), row.institutions_line


def test_every_curated_institution_is_named_by_the_document(
    edition: ResolvedEdition, curation: Curation
) -> None:
    curated = {(entry.country, entry.name) for entry in curation.institutions}
    assert len(curated) == data_rows("institutions.csv") == 102
    assert set(mention_texts(edition)) == curated


def test_every_alias_occurs_in_the_document(curation: Curation, document_text: str) -> None:
    aliases = [alias for entry in curation.institutions for alias in entry.aliases]
    assert len(aliases) == 11
    assert [alias for alias in aliases if alias not in document_text] == []


def test_every_alias_is_a_spelling_the_document_uses(
    edition: ResolvedEdition, curation: Curation
) -> None:
    texts = mention_texts(edition)
    for entry in curation.institutions:
        for alias in entry.aliases:
            assert alias in texts[entry.country, entry.name], (entry.name, alias)


def test_every_acronym_is_a_unique_spelling_within_its_country(curation: Curation) -> None:
    spellings: dict[tuple[str, str], str] = {}
    for entry in curation.institutions:
        for spelling in (entry.name, *entry.aliases, *filter(None, [entry.acronym])):
            key = (entry.country, spelling.casefold())
            assert spellings.setdefault(key, entry.name) == entry.name, key


def test_every_curated_direction_is_used(edition: ResolvedEdition, curation: Curation) -> None:
    used = {(d.field_key, d.name) for d in edition.directions}
    field_keys = {name: entry.key for name, entry in curation.fields.items()}
    curated = {(field_keys[field], name) for field, name in curation.directions}
    assert len(curated) == data_rows("directions.csv") == 14
    assert used == curated


def test_every_curated_field_is_used(edition: ResolvedEdition, curation: Curation) -> None:
    assert len(curation.fields) == data_rows("fields.csv") == 9
    assert {f.name for f in edition.fields} == set(curation.fields)


def test_every_curated_continent_is_used(edition: ResolvedEdition, curation: Curation) -> None:
    assert {c.name for c in edition.continents} == set(curation.continents)


def test_every_country_override_is_used(edition: ResolvedEdition, curation: Curation) -> None:
    names = {c.name for c in edition.countries}
    assert set(curation.countries) <= names
    for name, override in curation.countries.items():
        (country,) = (c for c in edition.countries if c.name == name)
        assert (country.key, country.name_en) == (override.iso_code, override.name_en)


def test_every_search_alias_names_an_entity_of_the_document(
    edition: ResolvedEdition, curation: Curation
) -> None:
    countries = {c.key: c.name for c in edition.countries}
    institutions = {(countries[i.country_key], i.name) for i in edition.institutions}
    entries = [entry for entries in curation.search_aliases.values() for entry in entries]
    assert len(entries) == data_rows("search_aliases.csv") == 12
    for entry in entries:
        assert entry.country in countries.values(), entry
        if entry.institution is not None:
            assert (entry.country, entry.institution) in institutions, entry
        assert entry.basis, entry
    owners = {(e.alias, e.country, e.institution) for e in entries}
    assert {("UK", "英国", None), ("USA", "美国", None), ("Macau", "中国澳门", None)} <= owners
    assert ("Tsinghua", "中国台湾", "台湾清华大学") in owners


def test_every_qualifier_ends_an_entry_of_the_document(
    curation: Curation, document_text: str
) -> None:
    assert curation.qualifiers == ("等",)
    entries = {
        entry.strip()
        for line in document_text.splitlines()
        for entry in line.replace("，", "、").replace(",", "、").split("、")
    }
    for qualifier in curation.qualifiers:
        assert any(entry.endswith(qualifier) for entry in entries), qualifier


# The loader's own checks.

RowsReader = Callable[[str], Iterator[tuple[int, dict[str, str]]]]


def duplicating(filename: str, original: RowsReader) -> RowsReader:
    """A ``_rows`` that repeats the first row of one file at its end."""

    def rows(name: str) -> Iterator[tuple[int, dict[str, str]]]:
        items = list(original(name))
        if name == filename:
            items.append((items[-1][0] + 1, dict(items[0][1])))
        yield from items

    return rows


@pytest.mark.parametrize(
    ("filename", "phrase"),
    [
        ("continents.csv", "'亚洲' is listed twice"),
        ("countries.csv", "'欧盟' is listed twice"),
        ("fields.csv", "'基础前沿交叉领域' is listed twice"),
        ("directions.csv", "('光电空间领域', '光电空间') is listed twice"),
        ("institutions.csv", "'国立研究机构' of 日本 is listed twice"),
    ],
)
def test_duplicated_row_is_rejected_with_file_and_line(
    monkeypatch: pytest.MonkeyPatch, filename: str, phrase: str
) -> None:
    monkeypatch.setattr(curation_module, "_rows", duplicating(filename, curation_module._rows))
    with pytest.raises(CurationError) as caught:
        load_curation.__wrapped__()
    assert str(caught.value).startswith(f"seed/curation/{filename}:{data_rows(filename) + 2}: ")
    assert phrase in str(caught.value)


def test_unknown_institution_kind_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    original = curation_module._rows

    def rows(name: str) -> Iterator[tuple[int, dict[str, str]]]:
        for line, row in original(name):
            yield (
                line,
                ({**row, "kind": "SOCIETY"} if line == 2 and name == "institutions.csv" else row),
            )

    monkeypatch.setattr(curation_module, "_rows", rows)
    with pytest.raises(CurationError, match=r"institutions\.csv:2: kind 'SOCIETY' is not one of"):
        load_curation.__wrapped__()


def test_direction_of_an_unknown_field_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    original = curation_module._rows

    def rows(name: str) -> Iterator[tuple[int, dict[str, str]]]:
        for line, row in original(name):
            yield (
                line,
                ({**row, "field": "天文领域"} if line == 2 and name == "directions.csv" else row),
            )

    monkeypatch.setattr(curation_module, "_rows", rows)
    with pytest.raises(CurationError, match="names unknown field '天文领域'"):
        load_curation.__wrapped__()


def replacing(
    filename: str, line: int, changes: dict[str, str], original: RowsReader
) -> RowsReader:
    """A ``_rows`` with some cells of one line of one file changed."""

    def rows(name: str) -> Iterator[tuple[int, dict[str, str]]]:
        for number, row in original(name):
            yield number, ({**row, **changes} if (name, number) == (filename, line) else row)

    return rows


@pytest.mark.parametrize(
    ("changes", "phrase"),
    [
        ({"alias": "uk"}, "'uk' is listed twice (first for 英国)"),
        (
            {"alias": "ＵＳＡ", "country": "英国", "institution": ""},
            "'ＵＳＡ' is listed twice (first for 美国)",
        ),
        ({"basis": ""}, "the basis is empty"),
        ({"alias": ""}, "the alias is empty"),
        ({"institution": "清华大学"}, "'清华大学' of 中国台湾 is not a row of institutions.csv"),
    ],
)
def test_a_bad_search_alias_is_rejected_with_file_and_line(
    monkeypatch: pytest.MonkeyPatch, changes: dict[str, str], phrase: str
) -> None:
    last = data_rows("search_aliases.csv") + 1
    monkeypatch.setattr(
        curation_module,
        "_rows",
        replacing("search_aliases.csv", last, changes, curation_module._rows),
    )
    with pytest.raises(CurationError) as caught:
        load_curation.__wrapped__()
    assert str(caught.value).startswith(f"seed/curation/search_aliases.csv:{last}: ")
    assert phrase in str(caught.value)


def test_unpatched_loader_reads_the_shipped_tables() -> None:
    fresh = load_curation.__wrapped__()
    assert fresh == load_curation()
    assert len(fresh.institutions) == 102
