"""How the seed writes entity rows: batched inserts, and upserts by natural key.

Entities are matched by their natural key, so loading the same document twice leaves
the database as it was, and IDs derived from the keys never move.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Table, delete, func, select, update
from sqlalchemy.orm import Session

from coopgraph.db.models import (
    Base,
    Continent,
    Country,
    Direction,
    Field,
    Institution,
    InstitutionName,
    Priority,
    PriorityDirection,
    PriorityInstitution,
)
from coopgraph.seed.resolve import ResolvedEdition, ResolvedPriority

T = TypeVar("T")

#: Rows per executemany batch and IDs per IN list: SQLite caps bound parameters per
#: statement, and batches let the progress bar move.
BATCH = 5000


class LoadProgress(Protocol):
    """Told what the load is doing, so a terminal can show a bar and a log can show steps."""

    def phase(self, name: str, rows: int) -> None:
        """A phase begins that writes about ``rows`` rows."""

    def advance(self, rows: int) -> None:
        """``rows`` more rows of the current phase are written."""


class Silent:
    def phase(self, name: str, rows: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass


def table_of(model: type[Any]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def batches(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def insert_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], progress: LoadProgress
) -> None:
    # Core executemany: the ORM unit of work costs more per row than the database does,
    # which at x1000 (hundreds of thousands of rows) is the difference of minutes.
    for batch in batches(rows):
        session.execute(table.insert(), list(batch))
        progress.advance(len(batch))


def upsert(
    session: Session,
    model: type[Any],
    rows: Iterable[dict[str, Any]],
    progress: LoadProgress,
    phase: str,
    scope: ColumnElement[bool] | None = None,
) -> dict[str, int]:
    """Insert or update rows by ``key``; returns the stored ``key → id`` within ``scope``.

    A row without a ``position`` of its own goes after the existing ones, so entities
    keep the order in which documents first named them. ``scope`` limits the rows
    compared to those the new rows can match (one edition's priorities), so loading
    many editions does not read every earlier edition again.
    """
    table = table_of(model)
    stored_rows = select(table) if scope is None else select(table).where(scope)
    existing = {row["key"]: row for row in session.execute(stored_rows).mappings()}
    # After every stored row, not only those in scope.
    next_position = (session.scalar(select(func.max(table.c.position))) or 0) + 1
    inserts: dict[str, dict[str, Any]] = {}
    updates: dict[str, dict[str, Any]] = {}
    for values in rows:
        key = values["key"]
        stored = existing.get(key)
        if stored is None:
            placed = inserts.setdefault(key, {})
            placed.update(values)
            if "position" not in placed:
                placed["position"] = next_position
                next_position += 1
        elif any(stored[column] != value for column, value in values.items()):
            updates.setdefault(key, {"id": stored["id"]}).update(values)
    progress.phase(f"loading {phase}", len(inserts) + len(updates))
    for batch in batches(list(updates.values())):
        # ORM bulk UPDATE by primary key: one executemany per batch.
        session.execute(update(model), list(batch))
        progress.advance(len(batch))
    insert_rows(session, table, list(inserts.values()), progress)
    ids = select(table.c.key, table.c.id)
    # A Result has keys(), so dict() would read it as a mapping: materialise the rows.
    return dict(session.execute(ids if scope is None else ids.where(scope)).all())


def store_priorities(
    session: Session,
    edition: ResolvedEdition,
    edition_id: int,
    ids: dict[str, dict[str, int]],
    progress: LoadProgress,
) -> None:
    def values(priority: ResolvedPriority) -> dict[str, Any]:
        return {
            "key": priority.key,
            "position": priority.position,
            "edition_id": edition_id,
            "country_id": ids["countries"][priority.country_key],
            "field_id": ids["fields"][priority.field_key],
            "source_line": priority.source_line,
            "source_text": priority.source_text,
            "directions_text": priority.directions_text,
        }

    kept = {priority.key for priority in edition.priorities}
    stored = session.execute(
        select(Priority.key, Priority.id).where(Priority.edition_id == edition_id)
    )
    stale = [priority_id for key, priority_id in stored if key not in kept]
    for batch in batches(stale):
        session.execute(delete(Priority).where(Priority.id.in_(batch)))
    # Rows that shift (a row inserted above them) would collide on the unique source line
    # while they are updated one by one; parking the lines out of range first avoids it.
    session.execute(
        update(Priority)
        .where(Priority.edition_id == edition_id)
        .values(source_line=-Priority.source_line)
        .execution_options(synchronize_session=False)
    )
    priority_ids = upsert(
        session,
        Priority,
        (values(p) for p in edition.priorities),
        progress,
        "priorities",
        Priority.edition_id == edition_id,
    )
    own = select(Priority.id).where(Priority.edition_id == edition_id)
    session.execute(delete(PriorityDirection).where(PriorityDirection.priority_id.in_(own)))
    session.execute(delete(PriorityInstitution).where(PriorityInstitution.priority_id.in_(own)))
    directions = [
        {
            "priority_id": priority_ids[priority.key],
            "direction_id": ids["directions"][key],
            "ordinal": n,
        }
        for priority in edition.priorities
        for n, key in enumerate(priority.direction_keys)
    ]
    institutions = [
        {
            "priority_id": priority_ids[priority.key],
            "institution_id": ids["institutions"][mention.institution_key],
            "ordinal": n,
            "mention": mention.text,
            "and_others": mention.and_others,
            "qualified_by": [
                {"name": name, "nameEn": name_en} for name, name_en in mention.qualified_by
            ]
            or None,
        }
        for priority in edition.priorities
        for n, mention in enumerate(priority.mentions)
    ]
    progress.phase("loading links", len(directions) + len(institutions))
    insert_rows(session, table_of(PriorityDirection), directions, progress)
    insert_rows(session, table_of(PriorityInstitution), institutions, progress)


def remove_orphans(session: Session) -> None:
    # Children before parents, so no foreign key is left dangling.
    named = select(PriorityInstitution.institution_id)
    session.execute(delete(InstitutionName).where(InstitutionName.institution_id.not_in(named)))
    session.execute(delete(Institution).where(Institution.id.not_in(named)))
    used = select(PriorityDirection.direction_id)
    session.execute(delete(Direction).where(Direction.id.not_in(used)))
    session.execute(delete(Country).where(Country.id.not_in(select(Priority.country_id))))
    session.execute(
        delete(Field).where(
            Field.id.not_in(select(Priority.field_id)), Field.id.not_in(select(Direction.field_id))
        )
    )
    session.execute(delete(Continent).where(Continent.id.not_in(select(Country.continent_id))))


def store_other_names(
    session: Session, edition: ResolvedEdition, institution_ids: dict[str, int]
) -> None:
    own = [institution_ids[i.key] for i in edition.institutions]
    # In batches: at x1000 one IN list would pass PostgreSQL's 65,535 parameters.
    for batch in batches(own):
        session.execute(delete(InstitutionName).where(InstitutionName.institution_id.in_(batch)))
    session.add_all(
        InstitutionName(
            institution_id=institution_ids[i.key], name=other.name, kind=other.kind, ordinal=n
        )
        for i in edition.institutions
        for n, other in enumerate(i.other_names)
    )
    session.flush()
