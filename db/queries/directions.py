"""Research directions, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Direction, PriorityDirection
from db.queries.base import fetch_by, fetch_grouped, fetch_records, select_grouped, select_records
from db.queries.records import DirectionRecord


async def all_directions(
    session: AsyncSession, field_id: int | None = None
) -> list[DirectionRecord]:
    query = select_records(DirectionRecord).order_by(Direction.position)
    if field_id is not None:
        query = query.where(Direction.field_id == field_id)
    return await fetch_records(session, DirectionRecord, query)


async def directions_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[DirectionRecord | None]:
    return await fetch_by(session, DirectionRecord, Direction.id, ids)


async def directions_by_key(
    session: AsyncSession, keys: Sequence[str]
) -> list[DirectionRecord | None]:
    return await fetch_by(session, DirectionRecord, Direction.key, keys)


async def directions_by_field(
    session: AsyncSession, field_ids: Sequence[int]
) -> dict[int, list[DirectionRecord]]:
    query = (
        select_grouped(Direction.field_id, DirectionRecord)
        .where(Direction.field_id.in_(field_ids))
        .order_by(Direction.position)
    )
    return await fetch_grouped(session, DirectionRecord, query, field_ids)


async def directions_by_priority(
    session: AsyncSession, priority_ids: Sequence[int]
) -> dict[int, list[DirectionRecord]]:
    """Each priority's directions in the order its cell lists them."""
    query = (
        select_grouped(PriorityDirection.priority_id, DirectionRecord)
        .join(PriorityDirection, PriorityDirection.direction_id == Direction.id)
        .where(PriorityDirection.priority_id.in_(priority_ids))
        .order_by(PriorityDirection.priority_id, PriorityDirection.ordinal)
    )
    return await fetch_grouped(session, DirectionRecord, query, priority_ids)
