"""Cross-reference questions analysts ask of the graph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import Country, Field, Institution, Priority
from coopgraph.db.queries.base import fetch_records, select_records
from coopgraph.db.queries.institutions import Kinds
from coopgraph.db.queries.records import CountryRecord, FieldRecord, InstitutionRecord, columns


async def common_fields(session: AsyncSession, country_ids: Sequence[int]) -> list[FieldRecord]:
    """Fields in which every one of the given countries has a priority, in field order."""
    query = select_records(FieldRecord).order_by(Field.position)
    for country_id in dict.fromkeys(country_ids):
        query = query.where(
            Field.id.in_(select(Priority.field_id).where(Priority.country_id == country_id))
        )
    return await fetch_records(session, FieldRecord, query)


@dataclass(frozen=True, slots=True)
class FieldOverlap:
    country: CountryRecord
    fields: list[FieldRecord]


async def countries_sharing_fields(
    session: AsyncSession, country_id: int, min_shared: int
) -> list[FieldOverlap]:
    """Other countries with priorities in the same fields, most shared fields first."""
    own_fields = select(Priority.field_id).where(Priority.country_id == country_id)
    query = (
        select(*columns(CountryRecord), *columns(FieldRecord))
        .distinct()
        .select_from(Priority)
        .join(Country, Country.id == Priority.country_id)
        .join(Field, Field.id == Priority.field_id)
        .where(Priority.field_id.in_(own_fields), Priority.country_id != country_id)
        .order_by(Country.position, Field.position)
    )
    width = len(columns(CountryRecord))
    overlaps: dict[int, FieldOverlap] = {}
    for row in await session.execute(query):
        country = CountryRecord(*row[:width])
        overlap = overlaps.setdefault(country.id, FieldOverlap(country, []))
        overlap.fields.append(FieldRecord(*row[width:]))
    kept = [o for o in overlaps.values() if len(o.fields) >= min_shared]
    return sorted(kept, key=lambda o: (-len(o.fields), o.country.position))


@dataclass(frozen=True, slots=True)
class NameAcrossCountries:
    """One institution name that several countries' priorities use (国立研究机构, 天主教大学)."""

    name: str
    institutions: list[InstitutionRecord]


async def institutions_across_countries(
    session: AsyncSession, min_countries: int, kinds: Kinds
) -> list[NameAcrossCountries]:
    """Institution names used in at least ``min_countries`` countries, most countries first."""
    spread = (
        select(Institution.name)
        .group_by(Institution.name)
        .having(func.count(func.distinct(Institution.country_id)) >= min_countries)
    )
    query = select_records(InstitutionRecord).where(Institution.name.in_(spread))
    if kinds is not None:
        query = query.where(Institution.kind.in_(kinds))
    query = query.join(Country, Country.id == Institution.country_id).order_by(Country.position)
    groups: dict[str, NameAcrossCountries] = {}
    for record in await fetch_records(session, InstitutionRecord, query):
        groups.setdefault(record.name, NameAcrossCountries(record.name, [])).institutions.append(
            record
        )
    kept = [
        g for g in groups.values() if len({i.country_id for i in g.institutions}) >= min_countries
    ]
    return sorted(
        kept, key=lambda g: (-len(g.institutions), min(i.position for i in g.institutions))
    )
