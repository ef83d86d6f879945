"""Continents, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Continent, Country, Field, Priority
from db.queries.base import fetch_by, fetch_grouped, fetch_records, select_grouped, select_records
from db.queries.records import ContinentRecord, FieldRecord


async def all_continents(session: AsyncSession) -> list[ContinentRecord]:
    query = select_records(ContinentRecord).order_by(Continent.position)
    return await fetch_records(session, ContinentRecord, query)


async def continents_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[ContinentRecord | None]:
    return await fetch_by(session, ContinentRecord, Continent.id, ids)


async def continents_by_key(
    session: AsyncSession, keys: Sequence[str]
) -> list[ContinentRecord | None]:
    return await fetch_by(session, ContinentRecord, Continent.key, keys)


async def fields_by_continent(
    session: AsyncSession, continent_ids: Sequence[int]
) -> dict[int, list[FieldRecord]]:
    """Distinct fields of the priorities of each continent's countries, in field order."""
    query = (
        select_grouped(Country.continent_id, FieldRecord)
        .distinct()
        .join(Priority, Priority.field_id == Field.id)
        .join(Country, Country.id == Priority.country_id)
        .where(Country.continent_id.in_(continent_ids))
        .order_by(Country.continent_id, Field.position)
    )
    return await fetch_grouped(session, FieldRecord, query, continent_ids)
