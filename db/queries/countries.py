"""Countries and regions, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Country, Priority, PriorityDirection
from db.queries.base import (
    fetch_by,
    fetch_grouped,
    fetch_records,
    name_contains,
    select_grouped,
    select_records,
)
from db.queries.paging import Page, count_rows, fetch_page
from db.queries.records import CountryRecord


@dataclass(frozen=True, slots=True)
class CountryQuery:
    """Row filters of the ``countries`` connection; IDs are database IDs."""

    continent_id: int | None = None
    field_id: int | None = None
    name_contains: str | None = None


async def countries_by_id(session: AsyncSession, ids: Sequence[int]) -> list[CountryRecord | None]:
    return await fetch_by(session, CountryRecord, Country.id, ids)


async def countries_by_key(
    session: AsyncSession, keys: Sequence[str]
) -> list[CountryRecord | None]:
    return await fetch_by(session, CountryRecord, Country.key, keys)


async def find_country(
    session: AsyncSession, *, iso_code: str | None, name: str | None
) -> CountryRecord | None:
    """The country with this ISO code or this Chinese or English name, case-insensitively."""
    conditions = []
    if iso_code is not None:
        conditions.append(func.upper(Country.iso_code) == iso_code.strip().upper())
    if name is not None:
        text = name.strip()
        conditions.append(or_(Country.name == text, func.lower(Country.name_en) == text.lower()))
    query = select_records(CountryRecord).where(*conditions).order_by(Country.position).limit(1)
    rows = await fetch_records(session, CountryRecord, query)
    return rows[0] if rows else None


async def countries_by_continent(
    session: AsyncSession, continent_ids: Sequence[int]
) -> dict[int, list[CountryRecord]]:
    query = (
        select_grouped(Country.continent_id, CountryRecord)
        .where(Country.continent_id.in_(continent_ids))
        .order_by(Country.position)
    )
    return await fetch_grouped(session, CountryRecord, query, continent_ids)


async def countries_by_field(
    session: AsyncSession, field_ids: Sequence[int]
) -> dict[int, list[CountryRecord]]:
    """Distinct countries with a priority in each field, in country order."""
    query = (
        select_grouped(Priority.field_id, CountryRecord)
        .distinct()
        .join(Priority, Priority.country_id == Country.id)
        .where(Priority.field_id.in_(field_ids))
        .order_by(Priority.field_id, Country.position)
    )
    return await fetch_grouped(session, CountryRecord, query, field_ids)


async def countries_by_direction(
    session: AsyncSession, direction_ids: Sequence[int]
) -> dict[int, list[CountryRecord]]:
    query = (
        select_grouped(PriorityDirection.direction_id, CountryRecord)
        .distinct()
        .join(Priority, Priority.country_id == Country.id)
        .join(PriorityDirection, PriorityDirection.priority_id == Priority.id)
        .where(PriorityDirection.direction_id.in_(direction_ids))
        .order_by(PriorityDirection.direction_id, Country.position)
    )
    return await fetch_grouped(session, CountryRecord, query, direction_ids)


def _filtered(where: CountryQuery) -> Select[Any]:
    query = select_records(CountryRecord)
    if where.continent_id is not None:
        query = query.where(Country.continent_id == where.continent_id)
    if where.field_id is not None:
        with_field = select(Priority.country_id).where(Priority.field_id == where.field_id)
        query = query.where(Country.id.in_(with_field))
    if where.name_contains:
        query = query.where(name_contains(where.name_contains, "Country", Country.id))
    return query


async def page_countries(
    session: AsyncSession, where: CountryQuery, first: int, after: int | None
) -> Page[CountryRecord]:
    return await fetch_page(
        session, CountryRecord, _filtered(where), Country.position, first, after
    )


async def count_countries(session: AsyncSession, where: CountryQuery) -> int:
    return await count_rows(session, _filtered(where))
