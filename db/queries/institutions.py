"""Institutions, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.kinds import InstitutionKind
from coopgraph.db.models import Institution, InstitutionName, PriorityInstitution
from coopgraph.db.queries.base import (
    fetch_by,
    fetch_grouped,
    fetch_records,
    name_contains,
    select_grouped,
    select_records,
)
from coopgraph.db.queries.paging import Page, count_rows, fetch_page
from coopgraph.db.queries.records import (
    InstitutionNameRecord,
    InstitutionRecord,
    MentionRecord,
    columns,
)
from coopgraph.db.relations import lists

Kinds = tuple[InstitutionKind, ...] | None


@dataclass(frozen=True, slots=True)
class InstitutionQuery:
    """Row filters of the ``institutions`` connection; IDs are database IDs."""

    kinds: Kinds = None
    country_id: int | None = None
    field_id: int | None = None
    min_field_count: int | None = None
    name_contains: str | None = None


def _of_kinds(query: Select[Any], kinds: Kinds) -> Select[Any]:
    return query if kinds is None else query.where(lists.KIND.in_(kinds))


async def institutions_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[InstitutionRecord | None]:
    return await fetch_by(session, InstitutionRecord, Institution.id, ids)


async def institutions_by_key(
    session: AsyncSession, keys: Sequence[str]
) -> list[InstitutionRecord | None]:
    return await fetch_by(session, InstitutionRecord, Institution.key, keys)


async def mentions_by_priority(
    session: AsyncSession, priority_ids: Sequence[int]
) -> dict[int, list[MentionRecord]]:
    """How each priority's cell spells each institution, in cell order."""
    query = (
        select_grouped(PriorityInstitution.priority_id, MentionRecord)
        .where(PriorityInstitution.priority_id.in_(priority_ids))
        .order_by(PriorityInstitution.priority_id, PriorityInstitution.ordinal)
    )
    return await fetch_grouped(session, MentionRecord, query, priority_ids)


async def other_names_by_institution(
    session: AsyncSession, institution_ids: Sequence[int]
) -> dict[int, list[InstitutionNameRecord]]:
    """The names the curation adds to each institution, in curated order."""
    query = (
        select_grouped(InstitutionName.institution_id, InstitutionNameRecord)
        .where(InstitutionName.institution_id.in_(institution_ids))
        .order_by(InstitutionName.institution_id, InstitutionName.ordinal)
    )
    return await fetch_grouped(session, InstitutionNameRecord, query, institution_ids)


def _filtered(where: InstitutionQuery) -> Select[Any]:
    query = _of_kinds(select_records(InstitutionRecord), where.kinds)
    for name, given in lists.FILTERS["Institution"].items():
        value = getattr(where, name)
        if value is not None:
            query = query.where(given.condition(value))
    if where.name_contains:
        query = query.where(name_contains(where.name_contains, "Institution", Institution.id))
    return query


async def page_institutions(
    session: AsyncSession, where: InstitutionQuery, first: int, after: int | None
) -> Page[InstitutionRecord]:
    query = _filtered(where)
    return await fetch_page(session, InstitutionRecord, query, Institution.position, first, after)


async def count_institutions(session: AsyncSession, where: InstitutionQuery) -> int:
    return await count_rows(session, _filtered(where))


async def shared_institutions(
    session: AsyncSession, min_fields: int, kinds: Kinds
) -> list[InstitutionRecord]:
    """Institutions named in at least ``min_fields`` distinct fields, most fields first."""
    query = lists.shared_institutions(columns(InstitutionRecord), min_fields)
    return await fetch_records(session, InstitutionRecord, _of_kinds(query, kinds))
