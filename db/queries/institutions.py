"""Institutions, and what is reached from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Select, Subquery, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.kinds import InstitutionKind
from db.models import (
    Institution,
    InstitutionName,
    Priority,
    PriorityInstitution,
)
from db.queries.base import (
    fetch_by,
    fetch_grouped,
    fetch_records,
    name_contains,
    select_grouped,
    select_records,
)
from db.queries.paging import Page, count_rows, fetch_page
from db.queries.records import InstitutionNameRecord, InstitutionRecord, MentionRecord, columns

Kinds = tuple[InstitutionKind, ...] | None


@dataclass(frozen=True, slots=True)
class InstitutionQuery:
    """Row filters of the ``institutions`` connection; IDs are database IDs."""

    kinds: Kinds = None
    country_id: int | None = None
    field_id: int | None = None
    min_field_count: int | None = None
    name_contains: str | None = None


def field_counts() -> Subquery:
    """Distinct fields per institution, as a subquery to join or filter on."""
    return (
        select(
            PriorityInstitution.institution_id.label("institution_id"),
            func.count(func.distinct(Priority.field_id)).label("field_count"),
        )
        .join(Priority, Priority.id == PriorityInstitution.priority_id)
        .group_by(PriorityInstitution.institution_id)
        .subquery("field_counts")
    )


def _of_kinds(query: Select[Any], kinds: Kinds) -> Select[Any]:
    return query if kinds is None else query.where(Institution.kind.in_(kinds))


async def institutions_by_id(
    session: AsyncSession, ids: Sequence[int]
) -> list[InstitutionRecord | None]:
    return await fetch_by(session, InstitutionRecord, Institution.id, ids)


async def institutions_by_key(
    session: AsyncSession, keys: Sequence[str]
) -> list[InstitutionRecord | None]:
    return await fetch_by(session, InstitutionRecord, Institution.key, keys)


async def institutions_by_country(
    session: AsyncSession, country_ids: Sequence[int], kinds: Kinds
) -> dict[int, list[InstitutionRecord]]:
    """Each country's institutions of the given kinds (all when None), in document order."""
    query = (
        select_grouped(Institution.country_id, InstitutionRecord)
        .where(Institution.country_id.in_(country_ids))
        .order_by(Institution.position)
    )
    return await fetch_grouped(session, InstitutionRecord, _of_kinds(query, kinds), country_ids)


async def institutions_by_field(
    session: AsyncSession, field_ids: Sequence[int], kinds: Kinds
) -> dict[int, list[InstitutionRecord]]:
    """Distinct institutions named in each field's priorities, in document order."""
    query = (
        select_grouped(Priority.field_id, InstitutionRecord)
        .distinct()
        .join(PriorityInstitution, PriorityInstitution.institution_id == Institution.id)
        .join(Priority, Priority.id == PriorityInstitution.priority_id)
        .where(Priority.field_id.in_(field_ids))
        .order_by(Priority.field_id, Institution.position)
    )
    return await fetch_grouped(session, InstitutionRecord, _of_kinds(query, kinds), field_ids)


async def institutions_by_priority(
    session: AsyncSession, priority_ids: Sequence[int]
) -> dict[int, list[InstitutionRecord]]:
    """Each priority's institutions in the order its cell names them."""
    query = (
        select_grouped(PriorityInstitution.priority_id, InstitutionRecord)
        .join(PriorityInstitution, PriorityInstitution.institution_id == Institution.id)
        .where(PriorityInstitution.priority_id.in_(priority_ids))
        .order_by(PriorityInstitution.priority_id, PriorityInstitution.ordinal)
    )
    return await fetch_grouped(session, InstitutionRecord, query, priority_ids)


async def mentions_by_priority(
    session: AsyncSession, priority_ids: Sequence[int]
) -> dict[int, list[MentionRecord]]:
    """How each priority's cell spells each institution, in cell order."""
    query = (
        select(PriorityInstitution.priority_id, *columns(MentionRecord))
        .where(PriorityInstitution.priority_id.in_(priority_ids))
        .order_by(PriorityInstitution.priority_id, PriorityInstitution.ordinal)
    )
    return await fetch_grouped(session, MentionRecord, query, priority_ids)


async def aliases_by_institution(
    session: AsyncSession, institution_ids: Sequence[int]
) -> dict[int, list[str]]:
    """Distinct spellings of each institution as written, in order of first appearance."""
    # 64-bit: positions are year × 10 000 + row, too large to scale in a 32-bit integer.
    first_seen = func.min(cast(Priority.position, BigInteger) * 1000 + PriorityInstitution.ordinal)
    query = (
        select(PriorityInstitution.institution_id, PriorityInstitution.mention)
        .join(Priority, Priority.id == PriorityInstitution.priority_id)
        .where(PriorityInstitution.institution_id.in_(institution_ids))
        .group_by(PriorityInstitution.institution_id, PriorityInstitution.mention)
        .order_by(PriorityInstitution.institution_id, first_seen)
    )
    aliases: dict[int, list[str]] = {identifier: [] for identifier in institution_ids}
    for institution_id, mention in await session.execute(query):
        aliases[institution_id].append(mention)
    return aliases


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


async def field_count_by_institution(
    session: AsyncSession, institution_ids: Sequence[int]
) -> list[int]:
    counts = field_counts()
    query = select(counts.c.institution_id, counts.c.field_count).where(
        counts.c.institution_id.in_(institution_ids)
    )
    found = dict((await session.execute(query)).all())
    return [int(found.get(identifier, 0)) for identifier in institution_ids]


def _filtered(where: InstitutionQuery) -> Select[Any]:
    query = _of_kinds(select_records(InstitutionRecord), where.kinds)
    if where.country_id is not None:
        query = query.where(Institution.country_id == where.country_id)
    if where.field_id is not None:
        in_field = (
            select(PriorityInstitution.institution_id)
            .join(Priority, Priority.id == PriorityInstitution.priority_id)
            .where(Priority.field_id == where.field_id)
        )
        query = query.where(Institution.id.in_(in_field))
    if where.min_field_count is not None:
        counts = field_counts()
        enough = select(counts.c.institution_id).where(
            counts.c.field_count >= where.min_field_count
        )
        query = query.where(Institution.id.in_(enough))
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
    counts = field_counts()
    query = (
        select_records(InstitutionRecord)
        .join(counts, counts.c.institution_id == Institution.id)
        .where(counts.c.field_count >= min_fields)
        .order_by(counts.c.field_count.desc(), Institution.position)
    )
    return await fetch_records(session, InstitutionRecord, _of_kinds(query, kinds))
