"""Run a select and shape its rows into records, flat or grouped by parent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from coopgraph.db.models import SearchTerm
from coopgraph.db.queries.records import columns
from coopgraph.db.text import normalize_search_text

R = TypeVar("R")
#: A column as queries name it: a mapped attribute (``Country.id``) or an expression.
Column = ColumnElement[Any] | InstrumentedAttribute[Any]


async def fetch_records(session: AsyncSession, record: type[R], query: Select[Any]) -> list[R]:
    """Rows of ``query`` (which selects ``columns(record)``) as records."""
    result = await session.execute(query)
    return [record(*row) for row in result]


def select_records(record: type[Any]) -> Select[Any]:
    return select(*columns(record))


def select_grouped(parent: Column, record: type[Any]) -> Select[Any]:
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


async def fetch_by(
    session: AsyncSession,
    record: type[R],
    column: InstrumentedAttribute[Any],
    values: Sequence[Any],
) -> list[R | None]:
    """The records whose ``column`` is each of ``values``, in that order; None where none is.

    A loader must answer its keys in order, one answer per key, whatever the rows are.
    """
    query = select_records(record).where(column.in_(values))
    found = {getattr(row, column.key): row for row in await fetch_records(session, record, query)}
    return [found.get(value) for value in values]


def escape_like(text: str) -> str:
    """Make ``%``, ``_`` and the escape character in user text match themselves in LIKE."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: The spellings a ``nameContains`` filter reads: the entity's own names, not the
#: document's other spellings or romanisations.
NAME_SOURCES = ("name", "nameEn", "acronym", "otherName")


def name_contains(text: str, entity_type: str, id_column: Column) -> ColumnElement[bool]:
    """The entity has a name containing ``text``, both normalised as search normalises them.

    Traditional characters, full width, case and spacing fold the same way as in
    ``search`` (``臺灣`` finds 中国台湾); typed wildcards match themselves.
    """
    pattern = f"%{escape_like(normalize_search_text(text))}%"
    named = select(SearchTerm.entity_id).where(
        SearchTerm.entity_type == entity_type,
        SearchTerm.source.in_(NAME_SOURCES),
        SearchTerm.normalized.like(pattern, escape="\\"),
    )
    return id_column.in_(named)
