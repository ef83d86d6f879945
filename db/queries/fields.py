"""Cooperation fields, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import Field
from coopgraph.db.queries.base import fetch_by, fetch_records, select_records
from coopgraph.db.queries.records import FieldRecord


async def all_fields(session: AsyncSession) -> list[FieldRecord]:
    return await fetch_records(
        session, FieldRecord, select_records(FieldRecord).order_by(Field.position)
    )


async def fields_by_id(session: AsyncSession, ids: Sequence[int]) -> list[FieldRecord | None]:
    return await fetch_by(session, FieldRecord, Field.id, ids)


async def fields_by_key(session: AsyncSession, keys: Sequence[str]) -> list[FieldRecord | None]:
    return await fetch_by(session, FieldRecord, Field.key, keys)
