"""Counts: per parent for ``…Count`` fields, and per group for charts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import (
    Continent,
    Country,
    Field,
    Institution,
    Priority,
    PriorityInstitution,
)
from coopgraph.db.relations import Relation
from coopgraph.db.statistics import relation_fanouts


async def count_related(
    session: AsyncSession, relation: Relation, parent_ids: Sequence[int]
) -> list[int]:
    """Distinct children of each parent over a named relation, e.g. ``Country.priorities``."""
    _parent, fanout = relation_fanouts()[relation]
    parent_column = fanout.selected_columns[0]
    found = dict((await session.execute(fanout.where(parent_column.in_(parent_ids)))).all())
    return [int(found.get(identifier, 0)) for identifier in parent_ids]


@dataclass(frozen=True, slots=True)
class GroupTotals:
    """How much of the data falls in one group (a continent, a field, or a pair)."""

    field_id: int | None
    continent_id: int | None
    countries: int
    priorities: int
    institutions: int


async def totals(session: AsyncSession, *, by_field: bool, by_continent: bool) -> list[GroupTotals]:
    """Countries, priorities and distinct institutions per field, continent, or both."""
    groups: list[Any] = []
    order: list[Any] = []
    if by_field:
        groups.append(Priority.field_id)
        order.append(Field.position)
    if by_continent:
        groups.append(Country.continent_id)
        order.append(Continent.position)
    query = (
        select(
            *groups,
            func.count(func.distinct(Priority.country_id)),
            func.count(func.distinct(Priority.id)),
            func.count(func.distinct(PriorityInstitution.institution_id)),
        )
        .select_from(Priority)
        .join(Country, Country.id == Priority.country_id)
        .join(Field, Field.id == Priority.field_id)
        .join(Continent, Continent.id == Country.continent_id)
        .outerjoin(PriorityInstitution, PriorityInstitution.priority_id == Priority.id)
        .group_by(*groups, *order)
        .order_by(*order)
    )
    out: list[GroupTotals] = []
    for row in await session.execute(query):
        values = list(row)
        field_id = values.pop(0) if by_field else None
        continent_id = values.pop(0) if by_continent else None
        countries, priorities, institutions = values
        out.append(GroupTotals(field_id, continent_id, countries, priorities, institutions))
    return out


async def institution_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Institution)) or 0)
