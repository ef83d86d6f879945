"""Research directions inside a field."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from coopgraph.db.queries.records import DirectionRecord
from coopgraph.db.relations import Relation
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.ids import to_global_id
from coopgraph.graph.loaders import present
from coopgraph.graph.types.node import Node

if TYPE_CHECKING:
    from coopgraph.graph.types.country import Country
    from coopgraph.graph.types.field import Field
    from coopgraph.graph.types.priority import Priority


@strawberry.type(
    description="A research direction inside a field (现代农业, 生物多样性, 纳米, ...)."
)
class Direction(Node):
    name: str = strawberry.field(description="As written in the document: 现代农业.")
    name_en: str = strawberry.field(description="In English: Modern agriculture.")
    record: strawberry.Private[DirectionRecord]

    @classmethod
    def from_record(cls, record: DirectionRecord) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Direction", record.key)),
            name=record.name,
            name_en=record.name_en,
            record=record,
        )

    @strawberry.field(description="The field it belongs to.")
    async def field(
        self, info: ResolverInfo
    ) -> Annotated["Field", strawberry.lazy("coopgraph.graph.types.field")]:
        from coopgraph.graph.types.field import Field  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.field.load(self.record.field_id)
        return Field.from_record(present(record, "field"))

    @strawberry.field(description="Priorities that name this direction, in document order.")
    async def priorities(
        self, info: ResolverInfo
    ) -> list[Annotated["Priority", strawberry.lazy("coopgraph.graph.types.priority")]]:
        from coopgraph.graph.types.priority import Priority  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.DIRECTION_PRIORITIES, self.record.id)
        return [Priority.from_record(record) for record in records]

    @strawberry.field(description="How many priorities name this direction.")
    async def priority_count(self, info: ResolverInfo) -> int:
        return await info.context.loaders.count(Relation.DIRECTION_PRIORITIES).load(self.record.id)

    @strawberry.field(
        description="Distinct countries with a priority in this direction, in country order (the "
        "document order of each country's first row)."
    )
    async def countries(
        self, info: ResolverInfo
    ) -> list[Annotated["Country", strawberry.lazy("coopgraph.graph.types.country")]]:
        from coopgraph.graph.types.country import Country  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.DIRECTION_COUNTRIES, self.record.id)
        return [Country.from_record(record) for record in records]
