"""Run a select and shape its rows into records, flat or grouped by parent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.queries.records import columns

R = TypeVar("R")


async def fetch_records(session: AsyncSession, record: type[R], query: Select[Any]) -> list[R]:
    """Rows of ``query`` (which selects ``columns(record)``) as records."""
    result = await session.execute(query)
    return [record(*row) for row in result]


def select_records(record: type[Any]) -> Select[Any]:
    return select(*columns(record))


def select_grouped(parent: ColumnElement[Any], record: type[Any]) -> Select[Any]:
    """Select a parent key followed by a record's columns, for ``fetch_grouped``."""
    return select(parent.label("parent_key"), *columns(record))


async def fetch_grouped(
    session: AsyncSession,
    record: type[R],
    query: Select[Any],
    parents: Iterable[Hashable],
) -> dict[Any, list[R]]:
    """Rows of a ``select_grouped`` query as records, listed under their parent key.

    Every requested parent gets a list, empty when it has no rows, so a loader can
    answer each key it was asked for.
    """
    grouped: dict[Any, list[R]] = defaultdict(list)
    result = await session.execute(query)
    for row in result:
        grouped[row[0]].append(record(*row[1:]))
    return {parent: grouped.get(parent, []) for parent in parents}


def by_id(records: Sequence[Any], ids: Iterable[int]) -> list[Any]:
    """Order records as ``ids`` asks, None where an ID has no row."""
    table = {record.id: record for record in records}
    return [table.get(identifier) for identifier in ids]


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character ``\\``) for a case-folded substring of ``text``.

    ``%`` and ``_`` typed by a user match themselves, not any text.
    """
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
