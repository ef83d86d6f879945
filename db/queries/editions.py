"""Editions: one per seeded yearly document."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import Edition
from coopgraph.db.queries.base import fetch_by, fetch_records, select_records
from coopgraph.db.queries.records import EditionRecord


async def all_editions(session: AsyncSession) -> list[EditionRecord]:
    query = select_records(EditionRecord).order_by(Edition.year)
    return await fetch_records(session, EditionRecord, query)


async def editions_by_id(session: AsyncSession, ids: Sequence[int]) -> list[EditionRecord | None]:
    return await fetch_by(session, EditionRecord, Edition.id, ids)


async def editions_by_year(
    session: AsyncSession, years: Sequence[int]
) -> list[EditionRecord | None]:
    return await fetch_by(session, EditionRecord, Edition.year, years)
