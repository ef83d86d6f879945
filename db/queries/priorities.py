"""Priorities: the rows of the documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import Priority
from coopgraph.db.queries.base import fetch_by, select_records
from coopgraph.db.queries.paging import Page, count_rows, fetch_page
from coopgraph.db.queries.records import PriorityRecord
from coopgraph.db.relations import lists


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


def _filtered(where: PriorityQuery) -> Select[Any]:
    query = select_records(PriorityRecord)
    for name, given in lists.FILTERS["Priority"].items():
        value = getattr(where, name)
        if value is not None:
            query = query.where(given.condition(value))
    return query


async def page_priorities(
    session: AsyncSession, where: PriorityQuery, first: int, after: int | None
) -> Page[PriorityRecord]:
    return await fetch_page(
        session, PriorityRecord, _filtered(where), Priority.position, first, after
    )


async def count_priorities(session: AsyncSession, where: PriorityQuery) -> int:
    return await count_rows(session, _filtered(where))
