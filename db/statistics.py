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
from db.relations import Relation


def _fanout(parent_column: Any, child_column: Any, *joins: Any) -> Select[Any]:
    """Children per parent: ``SELECT parent, COUNT(DISTINCT child) ... GROUP BY parent``."""
    query = select(
        parent_column.label("parent"), func.count(func.distinct(child_column)).label("n")
    )
    for join in joins:
        query = query.join(*join) if isinstance(join, tuple) else query.join(join)
    return query.group_by(parent_column)


@cache
def relation_fanouts() -> dict[Relation, tuple[type[Any], Select[Any]]]:
    """Each relation the API traverses: its parent table and its fan-out query.

    The fan-out query's first column is the parent's ID and its second the number of
    children; the API's count fields filter the same queries to the parents they need.
    Built once: statements are immutable, and count fields are on requests' hot path.
    """
    priority_institution = (PriorityInstitution, PriorityInstitution.priority_id == Priority.id)
    country_priority = Priority.country_id == Country.id
    direction_priority = Priority.id == PriorityDirection.priority_id
    return {
        Relation.EDITION_PRIORITIES: (
            Edition,
            _fanout(Priority.edition_id, Priority.id).select_from(Priority),
        ),
        Relation.CONTINENT_COUNTRIES: (
            Continent,
            _fanout(Country.continent_id, Country.id).select_from(Country),
        ),
        Relation.CONTINENT_FIELDS: (
            Continent,
            _fanout(
                Country.continent_id, Priority.field_id, (Priority, country_priority)
            ).select_from(Country),
        ),
        Relation.COUNTRY_PRIORITIES: (
            Country,
            _fanout(Priority.country_id, Priority.id).select_from(Priority),
        ),
        Relation.COUNTRY_FIELDS: (
            Country,
            _fanout(Priority.country_id, Priority.field_id).select_from(Priority),
        ),
        Relation.COUNTRY_INSTITUTIONS: (
            Country,
            _fanout(Institution.country_id, Institution.id).select_from(Institution),
        ),
        Relation.FIELD_PRIORITIES: (
            Field,
            _fanout(Priority.field_id, Priority.id).select_from(Priority),
        ),
        Relation.FIELD_DIRECTIONS: (
            Field,
            _fanout(Direction.field_id, Direction.id).select_from(Direction),
        ),
        Relation.FIELD_COUNTRIES: (
            Field,
            _fanout(Priority.field_id, Priority.country_id).select_from(Priority),
        ),
        Relation.FIELD_INSTITUTIONS: (
            Field,
            _fanout(
                Priority.field_id, PriorityInstitution.institution_id, priority_institution
            ).select_from(Priority),
        ),
        Relation.DIRECTION_COUNTRIES: (
            Direction,
            _fanout(
                PriorityDirection.direction_id, Priority.country_id, (Priority, direction_priority)
            ).select_from(PriorityDirection),
        ),
        Relation.DIRECTION_PRIORITIES: (
            Direction,
            _fanout(PriorityDirection.direction_id, PriorityDirection.priority_id).select_from(
                PriorityDirection
            ),
        ),
        Relation.INSTITUTION_PRIORITIES: (
            Institution,
            _fanout(
                PriorityInstitution.institution_id, PriorityInstitution.priority_id
            ).select_from(PriorityInstitution),
        ),
        Relation.INSTITUTION_FIELDS: (
            Institution,
            _fanout(
                PriorityInstitution.institution_id,
                Priority.field_id,
                (Priority, priority_institution[1]),
            ).select_from(PriorityInstitution),
        ),
        Relation.PRIORITY_DIRECTIONS: (
            Priority,
            _fanout(PriorityDirection.priority_id, PriorityDirection.direction_id).select_from(
                PriorityDirection
            ),
        ),
        Relation.PRIORITY_INSTITUTIONS: (
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
