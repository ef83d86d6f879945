"""Fan-out statistics of each relation, kept in ``relation_statistics``.

A cost estimate for a nested query multiplies, level by level, how many children a
parent can have. The seed refreshes these numbers in the same transaction as the data,
so they are never stale and are available to every server process.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from db.models import (
    Continent,
    Country,
    Direction,
    Edition,
    Field,
    Institution,
    Priority,
    PriorityDirection,
    PriorityInstitution,
    RelationStatistic,
)


def _fanout(parent_column: Any, child_column: Any, *joins: Any) -> Select[Any]:
    """Children per parent: ``SELECT parent, COUNT(DISTINCT child) ... GROUP BY parent``."""
    query = select(
        parent_column.label("parent"), func.count(func.distinct(child_column)).label("n")
    )
    for join in joins:
        query = query.join(*join) if isinstance(join, tuple) else query.join(join)
    return query.group_by(parent_column)


@cache
def relation_fanouts() -> dict[str, tuple[type[Any], Select[Any]]]:
    """Each relation the API traverses: its parent table and its fan-out query.

    The fan-out query's first column is the parent's ID and its second the number of
    children; the API's count fields filter the same queries to the parents they need.
    Built once: statements are immutable, and count fields are on requests' hot path.
    """
    priority_institution = (PriorityInstitution, PriorityInstitution.priority_id == Priority.id)
    return {
        "Edition.priorities": (
            Edition,
            _fanout(Priority.edition_id, Priority.id).select_from(Priority),
        ),
        "Continent.countries": (
            Continent,
            _fanout(Country.continent_id, Country.id).select_from(Country),
        ),
        "Country.priorities": (
            Country,
            _fanout(Priority.country_id, Priority.id).select_from(Priority),
        ),
        "Country.fields": (
            Country,
            _fanout(Priority.country_id, Priority.field_id).select_from(Priority),
        ),
        "Country.institutions": (
            Country,
            _fanout(Institution.country_id, Institution.id).select_from(Institution),
        ),
        "Field.priorities": (Field, _fanout(Priority.field_id, Priority.id).select_from(Priority)),
        "Field.directions": (
            Field,
            _fanout(Direction.field_id, Direction.id).select_from(Direction),
        ),
        "Field.countries": (
            Field,
            _fanout(Priority.field_id, Priority.country_id).select_from(Priority),
        ),
        "Field.institutions": (
            Field,
            _fanout(
                Priority.field_id, PriorityInstitution.institution_id, priority_institution
            ).select_from(Priority),
        ),
        "Direction.priorities": (
            Direction,
            _fanout(PriorityDirection.direction_id, PriorityDirection.priority_id).select_from(
                PriorityDirection
            ),
        ),
        "Institution.priorities": (
            Institution,
            _fanout(
                PriorityInstitution.institution_id, PriorityInstitution.priority_id
            ).select_from(PriorityInstitution),
        ),
        "Institution.fields": (
            Institution,
            _fanout(
                PriorityInstitution.institution_id,
                Priority.field_id,
                (Priority, priority_institution[1]),
            ).select_from(PriorityInstitution),
        ),
        "Priority.directions": (
            Priority,
            _fanout(PriorityDirection.priority_id, PriorityDirection.direction_id).select_from(
                PriorityDirection
            ),
        ),
        "Priority.institutions": (
            Priority,
            _fanout(
                PriorityInstitution.priority_id, PriorityInstitution.institution_id
            ).select_from(PriorityInstitution),
        ),
    }


def refresh_relation_statistics(session: Session) -> None:
    """Recompute every relation's parents, links and largest fan-out."""
    session.execute(delete(RelationStatistic))
    for relation, (parent, fanout) in relation_fanouts().items():
        counts = [row.n for row in session.execute(fanout)]
        parents = session.scalar(select(func.count()).select_from(parent)) or 0
        session.add(
            RelationStatistic(
                relation=relation,
                parents=parents,
                links=sum(counts),
                max_fanout=max(counts, default=0),
            )
        )
    session.flush()
