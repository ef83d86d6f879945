"""Counts shaped for charts: per continent, per field, per field and continent."""

from __future__ import annotations

import strawberry

from coopgraph.db.queries.aggregates import totals
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.types.totals import Totals


@strawberry.type
class StatisticsQueries:
    @strawberry.field(
        description="Countries, priorities and institutions per continent, in document order."
    )
    async def totals_by_continent(self, info: ResolverInfo) -> list[Totals]:
        records = await info.context.run(totals, by_field=False, by_continent=True)
        return [Totals.from_record(record) for record in records]

    @strawberry.field(description="Countries, priorities and institutions per field.")
    async def totals_by_field(self, info: ResolverInfo) -> list[Totals]:
        records = await info.context.run(totals, by_field=True, by_continent=False)
        return [Totals.from_record(record) for record in records]

    @strawberry.field(
        description="One cell per field and continent that have priorities together: the shape of a "
        "heatmap (fields × continents). Pairs without priorities are left out."
    )
    async def totals_by_field_and_continent(self, info: ResolverInfo) -> list[Totals]:
        records = await info.context.run(totals, by_field=True, by_continent=True)
        return [Totals.from_record(record) for record in records]
