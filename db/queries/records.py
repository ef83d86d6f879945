"""Read-only records that queries return, one per entity, mirroring the tables."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from coopgraph.db import models
from coopgraph.db.kinds import InstitutionKind, InstitutionNameKind


@dataclass(frozen=True, slots=True)
class EditionRecord:
    id: int
    year: int
    title: str
    source_name: str
    source_sha256: str
    field_basis: str | None


@dataclass(frozen=True, slots=True)
class ContinentRecord:
    id: int
    key: str
    name: str
    name_en: str
    position: int


@dataclass(frozen=True, slots=True)
class CountryRecord:
    id: int
    key: str
    iso_code: str | None
    name: str
    name_en: str
    continent_id: int
    position: int


@dataclass(frozen=True, slots=True)
class FieldRecord:
    id: int
    key: str
    name: str
    name_en: str
    position: int


@dataclass(frozen=True, slots=True)
class DirectionRecord:
    id: int
    key: str
    field_id: int
    name: str
    name_en: str
    position: int


@dataclass(frozen=True, slots=True)
class InstitutionRecord:
    id: int
    key: str
    country_id: int
    name: str
    name_en: str
    acronym: str | None
    kind: InstitutionKind
    position: int
    inferred_basis: str | None


@dataclass(frozen=True, slots=True)
class InstitutionNameRecord:
    """A name the curation adds to an institution."""

    name: str
    kind: InstitutionNameKind


@dataclass(frozen=True, slots=True)
class PriorityRecord:
    id: int
    key: str
    edition_id: int
    country_id: int
    field_id: int
    position: int
    source_line: int
    source_text: str
    directions_text: str | None


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """An institution as one priority names it."""

    priority_id: int
    institution_id: int
    ordinal: int
    mention: str
    and_others: bool
    qualified_by: list[dict[str, str]] | None


MODEL_OF: dict[type[Any], type[Any]] = {
    EditionRecord: models.Edition,
    ContinentRecord: models.Continent,
    CountryRecord: models.Country,
    FieldRecord: models.Field,
    DirectionRecord: models.Direction,
    InstitutionRecord: models.Institution,
    InstitutionNameRecord: models.InstitutionName,
    PriorityRecord: models.Priority,
    MentionRecord: models.PriorityInstitution,
}


def columns(record: type[Any]) -> list[Any]:
    """The table columns a record is built from, in the record's field order."""
    model = MODEL_OF[record]
    return [getattr(model, field.name) for field in fields(record)]
