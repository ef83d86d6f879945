"""The relation statistics the seed keeps, read back for the query-cost estimate."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import RelationStatistic
from coopgraph.db.relations import Relation


@dataclass(frozen=True, slots=True)
class RelationBound:
    """How many parents the relation starts from, its links, and the most per parent."""

    parents: int
    links: int
    max_fanout: int


async def relation_bounds(session: AsyncSession) -> dict[Relation, RelationBound]:
    """Every relation's statistics; relations the seed did not count are absent."""
    rows = await session.execute(
        select(
            RelationStatistic.relation,
            RelationStatistic.parents,
            RelationStatistic.links,
            RelationStatistic.max_fanout,
        )
    )
    known = {relation.value: relation for relation in Relation}
    return {
        known[name]: RelationBound(parents=parents, links=links, max_fanout=max_fanout)
        for name, parents, links, max_fanout in rows
        if name in known
    }
