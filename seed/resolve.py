"""Resolve a parsed document into the entities of the cooperation graph.

Resolution turns every name of the document into a curated entity with a natural key,
or fails with a ``DocumentError`` that names the line. Nothing is written here: the
result is a plain value that ``seed.load`` stores and ``coopgraph check`` reports.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from coopgraph.db.kinds import InstitutionKind
from coopgraph.seed.countries import CountryResolver
from coopgraph.seed.curation import Curation, OtherName, slugify
from coopgraph.seed.errors import DocumentError
from coopgraph.seed.institutions import InstitutionResolver, UnresolvedInstitutionError
from coopgraph.seed.parse import ParsedDocument, ParsedRow

DIRECTION_SEPARATORS = ("、", "，", ",")
#: Room for rows per edition in a priority's position (year × this + row number).
ROWS_PER_EDITION = 10_000


@dataclass(frozen=True, slots=True)
class NamedEntity:
    """A continent, field or country: its natural key and its names."""

    key: str
    name: str
    name_en: str


@dataclass(frozen=True, slots=True)
class ResolvedCountry:
    key: str
    name: str
    name_en: str
    continent_key: str


@dataclass(frozen=True, slots=True)
class ResolvedDirection:
    key: str
    name: str
    name_en: str
    field_key: str


@dataclass(frozen=True, slots=True)
class ResolvedInstitution:
    key: str
    name: str
    name_en: str
    acronym: str | None
    kind: InstitutionKind
    country_key: str
    inferred_basis: str | None = None
    other_names: tuple[OtherName, ...] = ()


@dataclass(frozen=True, slots=True)
class ResolvedMention:
    institution_key: str
    text: str
    and_others: bool
    #: (name, English name) of each body that qualifies a category in this mention.
    qualified_by: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ResolvedPriority:
    """One row; ``position`` orders rows by edition year, then document order."""

    key: str
    position: int
    row_line: int
    source_line: int
    source_text: str
    country_key: str
    field_key: str
    directions_text: str | None
    direction_keys: tuple[str, ...]
    mentions: tuple[ResolvedMention, ...]


@dataclass(frozen=True, slots=True)
class ResolvedEdition:
    """Everything one document contributes, in document order of first appearance."""

    year: int
    title: str
    source_name: str
    source_sha256: str
    field_basis: str | None
    continents: tuple[NamedEntity, ...]
    countries: tuple[ResolvedCountry, ...]
    fields: tuple[NamedEntity, ...]
    directions: tuple[ResolvedDirection, ...]
    institutions: tuple[ResolvedInstitution, ...]
    priorities: tuple[ResolvedPriority, ...]


class _EditionBuilder:
    """Collects entities once each, in order of first appearance."""

    def __init__(self, document: ParsedDocument, curation: Curation) -> None:
        self.document = document
        self.curation = curation
        self.countries_by_name = CountryResolver(curation)
        self.institutions_by_spelling = InstitutionResolver(curation)
        self.continents: dict[str, NamedEntity] = {}
        self.countries: dict[str, ResolvedCountry] = {}
        self.fields: dict[str, NamedEntity] = {}
        self.directions: dict[str, ResolvedDirection] = {}
        self.institutions: dict[str, ResolvedInstitution] = {}
        self.priorities: list[ResolvedPriority] = []
        self.rows_per_pair: dict[tuple[str, str], int] = {}

    def fail(self, line: int, problem: str) -> DocumentError:
        return DocumentError(self.document.source, line, problem)

    def continent(self, row: ParsedRow) -> NamedEntity:
        entry = self.curation.continents.get(row.continent)
        if entry is None:
            known = "、".join(self.curation.continents)
            raise self.fail(
                row.continent_line, f"unknown continent {row.continent!r} (known: {known})"
            )
        return self.continents.setdefault(
            entry.key, NamedEntity(entry.key, entry.name, entry.name_en)
        )

    def country(self, row: ParsedRow, continent: NamedEntity) -> ResolvedCountry:
        named = self.countries_by_name.resolve(row.country)
        if named is None:
            problem = (
                f"unknown country {row.country!r}: neither pycountry's Chinese names nor "
                "seed/curation/countries.csv name it"
            )
            raise self.fail(row.country_line, problem)
        country = self.countries.setdefault(
            named.iso_code,
            ResolvedCountry(named.iso_code, row.country, named.name_en, continent.key),
        )
        if country.continent_key != continent.key:
            earlier = self.continents[country.continent_key].name
            problem = (
                f"country {row.country} is listed under {row.continent} here but under "
                f"{earlier} earlier"
            )
            raise self.fail(row.country_line, problem)
        return country

    def field(self, row: ParsedRow) -> NamedEntity:
        entry = self.curation.fields.get(row.field)
        if entry is None:
            known = "、".join(self.curation.fields)
            raise self.fail(row.field_line, f"unknown field {row.field!r} (known: {known})")
        return self.fields.setdefault(entry.key, NamedEntity(entry.key, entry.name, entry.name_en))

    def directions_of(self, row: ParsedRow, field: NamedEntity) -> tuple[str, ...]:
        names = [row.directions]
        for separator in DIRECTION_SEPARATORS:
            names = [part.strip() for name in names for part in name.split(separator)]
        keys: list[str] = []
        for name in filter(None, names):
            entry = self.curation.directions.get((row.field, name))
            if entry is None:
                problem = (
                    f"unknown direction {name!r} in field {row.field} "
                    "(add it to seed/curation/directions.csv)"
                )
                raise self.fail(row.directions_line, problem)
            key = f"{field.key}.{entry.key}"
            self.directions.setdefault(
                key, ResolvedDirection(key, entry.name, entry.name_en, field.key)
            )
            if key not in keys:
                keys.append(key)
        return tuple(keys)

    def mentions_of(self, row: ParsedRow, country: ResolvedCountry) -> tuple[ResolvedMention, ...]:
        try:
            found = self.institutions_by_spelling.resolve_cell(row.country, row.institutions)
        except UnresolvedInstitutionError as error:
            raise self.fail(row.institutions_line, str(error)) from None
        mentions: list[ResolvedMention] = []
        for mention in found:
            entry = mention.entry
            slug = entry.key or slugify(entry.acronym or entry.name_en)
            key = f"{country.key.lower()}.{slug}"
            institution = ResolvedInstitution(
                key,
                entry.name,
                entry.name_en,
                entry.acronym,
                entry.kind,
                country.key,
                entry.inferred_basis,
                entry.other_names,
            )
            if self.institutions.setdefault(key, institution) != institution:
                problem = f"two curated institutions of {row.country} share the key {key!r}"
                raise self.fail(row.institutions_line, problem)
            qualified_by = tuple((body.name, body.name_en) for body in mention.qualified_by)
            mentions.append(ResolvedMention(key, mention.text, mention.and_others, qualified_by))
        return tuple(mentions)

    def add(self, row: ParsedRow) -> None:
        continent = self.continent(row)
        country = self.country(row, continent)
        field = self.field(row)
        # The key names the row by what it is (2020.us.energy.1: the first 能源领域 row of
        # 美国), not by where it is, so correcting or adding another row leaves it be.
        pair = (country.key, field.key)
        self.rows_per_pair[pair] = self.rows_per_pair.get(pair, 0) + 1
        self.priorities.append(
            ResolvedPriority(
                key=f"{self.document.year}.{country.key.lower()}.{field.key}.{self.rows_per_pair[pair]}",
                position=self.document.year * ROWS_PER_EDITION + len(self.priorities) + 1,
                row_line=row.line,
                source_line=row.institutions_line,
                source_text=row.institutions_text,
                country_key=country.key,
                field_key=field.key,
                directions_text=row.directions or None,
                direction_keys=self.directions_of(row, field),
                mentions=self.mentions_of(row, country),
            )
        )


def resolve_document(document: ParsedDocument, curation: Curation, data: bytes) -> ResolvedEdition:
    """Resolve every row of a parsed document against the curated tables.

    Args:
        document: The parsed rows.
        curation: The curated tables.
        data: The document's bytes, fingerprinted so an edition records what it was
            seeded from.

    Raises:
        DocumentError: A name that no curated table or pycountry resolves, or a
            country listed under two continents.
    """
    if len(document.rows) >= ROWS_PER_EDITION:
        problem = f"{len(document.rows)} rows: an edition can hold at most {ROWS_PER_EDITION - 1}"
        raise DocumentError(document.source, document.rows[-1].line, problem)
    builder = _EditionBuilder(document, curation)
    for row in document.rows:
        builder.add(row)
    return ResolvedEdition(
        year=document.year,
        title=document.title,
        source_name=document.source,
        source_sha256=hashlib.sha256(data).hexdigest(),
        field_basis=document.field_basis,
        continents=tuple(builder.continents.values()),
        countries=tuple(builder.countries.values()),
        fields=tuple(builder.fields.values()),
        directions=tuple(builder.directions.values()),
        institutions=tuple(builder.institutions.values()),
        priorities=tuple(builder.priorities),
    )
