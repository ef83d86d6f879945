"""Priorities: the rows of the documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Country, Edition, Priority, PriorityDirection, PriorityInstitution
from db.queries.base import fetch_by, fetch_grouped, select_grouped, select_records
from db.queries.paging import Page, count_rows, fetch_page
from db.queries.records import PriorityRecord


@dataclass(frozen=True, slots=True)
class PriorityQuery:
    """Row filters of the ``priorities`` connection; IDs are database IDs."""

    year: int | None = None
    continent_id: int | None = None
    country_id: int | None = None
    field_id: int | None = None
    direction_id: int | None = None
    institution_id: int | None = None


async def priorities_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[PriorityRecord | None]:
    return await fetch_by(session, PriorityRecord, Priority.id, ids)


async def priorities_by_key(
    session: AsyncSession, keys: Sequence[str]
) -> list[PriorityRecord | None]:
    return await fetch_by(session, PriorityRecord, Priority.key, keys)


async def _grouped_by(
    session: AsyncSession, parent: Any, parent_ids: Sequence[int], *joins: Any
) -> dict[int, list[PriorityRecord]]:
    query = select_grouped(parent, PriorityRecord)
    for target, condition in joins:
        query = query.join(target, condition)
    query = query.where(parent.in_(parent_ids)).order_by(parent, Priority.position)
    return await fetch_grouped(session, PriorityRecord, query, parent_ids)


async def priorities_by_edition(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[PriorityRecord]]:
    return await _grouped_by(session, Priority.edition_id, ids)


async def priorities_by_country(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[PriorityRecord]]:
    return await _grouped_by(session, Priority.country_id, ids)


async def priorities_by_field(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[PriorityRecord]]:
    return await _grouped_by(session, Priority.field_id, ids)


async def priorities_by_direction(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[PriorityRecord]]:
    joined = (PriorityDirection, PriorityDirection.priority_id == Priority.id)
    return await _grouped_by(session, PriorityDirection.direction_id, ids, joined)


async def priorities_by_institution(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[PriorityRecord]]:
    joined = (PriorityInstitution, PriorityInstitution.priority_id == Priority.id)
    return await _grouped_by(session, PriorityInstitution.institution_id, ids, joined)


def _filtered(where: PriorityQuery) -> Select[Any]:
    query = select_records(PriorityRecord)
    if where.year is not None:
        query = query.where(
            Priority.edition_id.in_(select(Edition.id).where(Edition.year == where.year))
        )
    if where.continent_id is not None:
        in_continent = select(Country.id).where(Country.continent_id == where.continent_id)
        query = query.where(Priority.country_id.in_(in_continent))
    if where.country_id is not None:
        query = query.where(Priority.country_id == where.country_id)
    if where.field_id is not None:
        query = query.where(Priority.field_id == where.field_id)
    if where.direction_id is not None:
        with_direction = select(PriorityDirection.priority_id).where(
            PriorityDirection.direction_id == where.direction_id
        )
        query = query.where(Priority.id.in_(with_direction))
    if where.institution_id is not None:
        naming = select(PriorityInstitution.priority_id).where(
            PriorityInstitution.institution_id == where.institution_id
        )
        query = query.where(Priority.id.in_(naming))
    return query


async def page_priorities(
    session: AsyncSession, where: PriorityQuery, first: int, after: int | None
) -> Page[PriorityRecord]:
    return await fetch_page(
        session, PriorityRecord, _filtered(where), Priority.position, first, after
    )


async def count_priorities(session: AsyncSession, where: PriorityQuery) -> int:
    return await count_rows(session, _filtered(where))
