"""Research directions, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import Direction
from coopgraph.db.queries.base import fetch_by, fetch_records, select_records
from coopgraph.db.queries.records import DirectionRecord
from coopgraph.db.relations import lists


async def all_directions(
    session: AsyncSession, field_id: int | None = None
) -> list[DirectionRecord]:
    query = select_records(DirectionRecord).order_by(Direction.position)
    if field_id is not None:
        query = query.where(lists.FILTERS["Direction"]["field_id"].condition(field_id))
    return await fetch_records(session, DirectionRecord, query)


async def directions_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[DirectionRecord | None]:
    return await fetch_by(session, DirectionRecord, Direction.id, ids)


async def directions_by_key(
    session: AsyncSession, keys: Sequence[str]
) -> list[DirectionRecord | None]:
    return await fetch_by(session, DirectionRecord, Direction.key, keys)
