"""Counts per group, shaped for charts and heatmaps."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from coopgraph.db.queries.aggregates import GroupTotals
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.loaders import present

if TYPE_CHECKING:
    from coopgraph.graph.types.continent import Continent
    from coopgraph.graph.types.field import Field


@strawberry.type(
    description="How much of the data falls in one group: a continent, a field, or one field in one "
    "continent (a heatmap cell). The group's other dimension is null."
)
class Totals:
    country_count: int = strawberry.field(
        description="Distinct countries with priorities in the group."
    )
    priority_count: int = strawberry.field(description="Priorities in the group.")
    institution_count: int = strawberry.field(
        description="Distinct institutions named in the group."
    )
    record: strawberry.Private[GroupTotals]

    @classmethod
    def from_record(cls, record: GroupTotals) -> Self:
        return cls(
            country_count=record.countries,
            priority_count=record.priorities,
            institution_count=record.institutions,
            record=record,
        )

    @strawberry.field(description="The continent of the group; null when grouped by field only.")
    async def continent(
        self, info: ResolverInfo
    ) -> Annotated["Continent", strawberry.lazy("coopgraph.graph.types.continent")] | None:
        from coopgraph.graph.types.continent import Continent  # noqa: PLC0415 - types refer to each other

        if self.record.continent_id is None:
            return None
        record = await info.context.loaders.continent.load(self.record.continent_id)
        return Continent.from_record(present(record, "continent"))

    @strawberry.field(description="The field of the group; null when grouped by continent only.")
    async def field(
        self, info: ResolverInfo
    ) -> Annotated["Field", strawberry.lazy("coopgraph.graph.types.field")] | None:
        from coopgraph.graph.types.field import Field  # noqa: PLC0415 - types refer to each other

        if self.record.field_id is None:
            return None
        record = await info.context.loaders.field.load(self.record.field_id)
        return Field.from_record(present(record, "field"))
