"""Countries and regions, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import Country
from coopgraph.db.queries.base import (
    fetch_by,
    fetch_records,
    name_contains,
    select_records,
)
from coopgraph.db.queries.paging import Page, count_rows, fetch_page
from coopgraph.db.queries.records import CountryRecord
from coopgraph.db.relations import lists


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
    conditions = lists.country_named(lists.country_lookup(iso_code, name))
    query = select_records(CountryRecord).where(*conditions).order_by(Country.position).limit(1)
    rows = await fetch_records(session, CountryRecord, query)
    return rows[0] if rows else None


def _filtered(where: CountryQuery) -> Select[Any]:
    query = select_records(CountryRecord)
    for name, given in lists.FILTERS["Country"].items():
        value = getattr(where, name)
        if value is not None:
            query = query.where(given.condition(value))
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
