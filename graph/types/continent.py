"""Continents and regions as the document groups countries."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from coopgraph.db.queries.records import ContinentRecord
from coopgraph.db.relations import Relation
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.ids import to_global_id
from coopgraph.graph.types.node import Node

if TYPE_CHECKING:
    from coopgraph.graph.types.country import Country
    from coopgraph.graph.types.field import Field


@strawberry.type(
    description="A continent or region as the document groups countries (亚洲, 拉丁美洲, 港澳台, ...)."
)
class Continent(Node):
    name: str = strawberry.field(description="As written in the document: 亚洲.")
    name_en: str = strawberry.field(description="In English: Asia.")
    record: strawberry.Private[ContinentRecord]

    @classmethod
    def from_record(cls, record: ContinentRecord) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Continent", record.key)),
            name=record.name,
            name_en=record.name_en,
            record=record,
        )

    @strawberry.field(description="Its countries and regions, in document order.")
    async def countries(
        self, info: ResolverInfo
    ) -> list[Annotated["Country", strawberry.lazy("coopgraph.graph.types.country")]]:
        from coopgraph.graph.types.country import Country  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.CONTINENT_COUNTRIES, self.record.id)
        return [Country.from_record(record) for record in records]

    @strawberry.field(description="How many countries and regions it groups.")
    async def country_count(self, info: ResolverInfo) -> int:
        return await info.context.loaders.count(Relation.CONTINENT_COUNTRIES).load(self.record.id)

    @strawberry.field(description="Distinct fields of its countries' priorities, in field order.")
    async def fields(
        self, info: ResolverInfo
    ) -> list[Annotated["Field", strawberry.lazy("coopgraph.graph.types.field")]]:
        from coopgraph.graph.types.field import Field  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.CONTINENT_FIELDS, self.record.id)
        return [Field.from_record(record) for record in records]
