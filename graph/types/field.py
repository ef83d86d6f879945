"""Cooperation fields of the 8+2 scheme."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from coopgraph.db.queries.records import FieldRecord
from coopgraph.db.relations import Relation
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.ids import to_global_id
from coopgraph.graph.types.institution_kind import KindsArgument, stored_kinds
from coopgraph.graph.types.node import Node

if TYPE_CHECKING:
    from coopgraph.graph.types.country import Country
    from coopgraph.graph.types.direction import Direction
    from coopgraph.graph.types.institution import Institution
    from coopgraph.graph.types.priority import Priority


@strawberry.type(
    description="A cooperation field of the 8+2 scheme (能源领域, 海洋领域, 重大科技基础设施平台, ...)."
)
class Field(Node):
    name: str = strawberry.field(description="As written in the document: 能源领域.")
    name_en: str = strawberry.field(description="In English: Energy.")
    record: strawberry.Private[FieldRecord]

    @classmethod
    def from_record(cls, record: FieldRecord) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Field", record.key)),
            name=record.name,
            name_en=record.name_en,
            record=record,
        )

    @strawberry.field(
        description="Research directions the document names in this field (现代农业, 健康, ...)."
    )
    async def directions(
        self, info: ResolverInfo
    ) -> list[Annotated["Direction", strawberry.lazy("coopgraph.graph.types.direction")]]:
        from coopgraph.graph.types.direction import Direction  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.FIELD_DIRECTIONS, self.record.id)
        return [Direction.from_record(record) for record in records]

    @strawberry.field(description="Priorities in this field, in document order.")
    async def priorities(
        self, info: ResolverInfo
    ) -> list[Annotated["Priority", strawberry.lazy("coopgraph.graph.types.priority")]]:
        from coopgraph.graph.types.priority import Priority  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.FIELD_PRIORITIES, self.record.id)
        return [Priority.from_record(record) for record in records]

    @strawberry.field(description="How many priorities are in this field.")
    async def priority_count(self, info: ResolverInfo) -> int:
        return await info.context.loaders.count(Relation.FIELD_PRIORITIES).load(self.record.id)

    @strawberry.field(
        description="Distinct countries with a priority in this field, in country order (the "
        "document order of each country's first row)."
    )
    async def countries(
        self, info: ResolverInfo
    ) -> list[Annotated["Country", strawberry.lazy("coopgraph.graph.types.country")]]:
        from coopgraph.graph.types.country import Country  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.FIELD_COUNTRIES, self.record.id)
        return [Country.from_record(record) for record in records]

    @strawberry.field(description="How many distinct countries have a priority in this field.")
    async def country_count(self, info: ResolverInfo) -> int:
        return await info.context.loaders.count(Relation.FIELD_COUNTRIES).load(self.record.id)

    @strawberry.field(
        description="Distinct institutions named in this field's priorities, in document order; "
        "all kinds when kinds is omitted."
    )
    async def institutions(
        self,
        info: ResolverInfo,
        kinds: KindsArgument = None,
    ) -> list[Annotated["Institution", strawberry.lazy("coopgraph.graph.types.institution")]]:
        from coopgraph.graph.types.institution import Institution  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(
            Relation.FIELD_INSTITUTIONS, self.record.id, kinds=stored_kinds(kinds)
        )
        return [Institution.from_record(record) for record in records]
