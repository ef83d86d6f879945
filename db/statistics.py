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

from coopgraph.db.models import RelationStatistic
from coopgraph.db.relations import Relation
from coopgraph.db.relations.registry import CHILDREN, MODELS


@cache
def relation_fanouts() -> dict[Relation, tuple[type[Any], Select[Any]]]:
    """Each relation the API traverses: its parent table and its fan-out query.

    The fan-out query's first column is the parent's ID and its second the number of
    children; the API's count fields filter the same queries to the parents they need.
    Built once: statements are immutable, and count fields are on requests' hot path.
    """
    return {
        relation: (MODELS[relation.parent_type], children.fanout())
        for relation, children in CHILDREN.items()
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
