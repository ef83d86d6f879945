"""Continents, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import Continent
from coopgraph.db.queries.base import fetch_by, fetch_records, select_records
from coopgraph.db.queries.records import ContinentRecord


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
