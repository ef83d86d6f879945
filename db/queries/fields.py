"""Cooperation fields, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Field, Priority, PriorityInstitution
from db.queries.base import fetch_by, fetch_grouped, fetch_records, select_grouped, select_records
from db.queries.records import FieldRecord


async def all_fields(session: AsyncSession) -> list[FieldRecord]:
    return await fetch_records(
        session, FieldRecord, select_records(FieldRecord).order_by(Field.position)
    )


async def fields_by_id(session: AsyncSession, ids: Sequence[int]) -> list[FieldRecord | None]:
    return await fetch_by(session, FieldRecord, Field.id, ids)


async def fields_by_key(session: AsyncSession, keys: Sequence[str]) -> list[FieldRecord | None]:
    return await fetch_by(session, FieldRecord, Field.key, keys)


async def fields_by_country(
    session: AsyncSession, country_ids: Sequence[int]
) -> dict[int, list[FieldRecord]]:
    """Distinct fields of each country's priorities, in field order."""
    query = (
        select_grouped(Priority.country_id, FieldRecord)
        .distinct()
        .join(Priority, Priority.field_id == Field.id)
        .where(Priority.country_id.in_(country_ids))
        .order_by(Priority.country_id, Field.position)
    )
    return await fetch_grouped(session, FieldRecord, query, country_ids)


async def fields_by_institution(
    session: AsyncSession, institution_ids: Sequence[int]
) -> dict[int, list[FieldRecord]]:
    """Distinct fields of the priorities naming each institution, in field order."""
    query = (
        select_grouped(PriorityInstitution.institution_id, FieldRecord)
        .distinct()
        .join(Priority, Priority.field_id == Field.id)
        .join(PriorityInstitution, PriorityInstitution.priority_id == Priority.id)
        .where(PriorityInstitution.institution_id.in_(institution_ids))
        .order_by(PriorityInstitution.institution_id, Field.position)
    )
    return await fetch_grouped(session, FieldRecord, query, institution_ids)
