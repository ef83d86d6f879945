"""Keyset paging: the database does the slicing, never a Python list.

Each pageable entity has a unique ``position``; a cursor carries the position of the
last row a client saw, so the next page is ``WHERE position > :after LIMIT first + 1``.
The extra row tells whether a next page exists without a second query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.queries.base import Column, fetch_records

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Page(Generic[R]):
    records: list[R]
    has_next: bool


async def fetch_page(
    session: AsyncSession,
    record: type[R],
    query: Select[Any],
    position: Column,
    first: int,
    after: int | None,
) -> Page[R]:
    """One page of ``query`` ordered by ``position``, after the given position."""
    if after is not None:
        query = query.where(position > after)
    rows = await fetch_records(session, record, query.order_by(position).limit(first + 1))
    return Page(rows[:first], has_next=len(rows) > first)


async def count_rows(session: AsyncSession, query: Select[Any]) -> int:
    """How many rows ``query`` selects, for a connection's ``totalCount``."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return int(total or 0)
