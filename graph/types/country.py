"""Countries and regions with cooperation priorities."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from coopgraph.db.queries.records import CountryRecord
from coopgraph.db.relations import Relation
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.ids import to_global_id
from coopgraph.graph.loaders import present
from coopgraph.graph.types.institution_kind import KindsArgument, stored_kinds
from coopgraph.graph.types.node import Node

if TYPE_CHECKING:
    from coopgraph.graph.types.continent import Continent
    from coopgraph.graph.types.field import Field
    from coopgraph.graph.types.institution import Institution
    from coopgraph.graph.types.priority import Priority


@strawberry.type(
    description="A country or region with cooperation priorities (日本, 欧盟, 中国香港, ...)."
)
class Country(Node):
    name: str = strawberry.field(description="As written in the document: 日本, 欧盟, 中国香港.")
    name_en: str = strawberry.field(
        description="In English: Japan, European Union, Hong Kong, China."
    )
    iso_code: str | None = strawberry.field(
        description="ISO 3166-1 alpha-2 (JP, HK, TW); EU for the European Union."
    )
    record: strawberry.Private[CountryRecord]

    @classmethod
    def from_record(cls, record: CountryRecord) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Country", record.key)),
            name=record.name,
            name_en=record.name_en,
            iso_code=record.iso_code,
            record=record,
        )

    @strawberry.field(description="The continent or region the document lists it under.")
    async def continent(
        self, info: ResolverInfo
    ) -> Annotated["Continent", strawberry.lazy("coopgraph.graph.types.continent")]:
        from coopgraph.graph.types.continent import Continent  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.continent.load(self.record.continent_id)
        return Continent.from_record(present(record, "continent"))

    @strawberry.field(description="Its priorities, in document order.")
    async def priorities(
        self, info: ResolverInfo
    ) -> list[Annotated["Priority", strawberry.lazy("coopgraph.graph.types.priority")]]:
        from coopgraph.graph.types.priority import Priority  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.COUNTRY_PRIORITIES, self.record.id)
        return [Priority.from_record(record) for record in records]

    @strawberry.field(description="How many priorities it has.")
    async def priority_count(self, info: ResolverInfo) -> int:
        return await info.context.loaders.count(Relation.COUNTRY_PRIORITIES).load(self.record.id)

    @strawberry.field(description="Distinct fields of its priorities, in field order.")
    async def fields(
        self, info: ResolverInfo
    ) -> list[Annotated["Field", strawberry.lazy("coopgraph.graph.types.field")]]:
        from coopgraph.graph.types.field import Field  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.COUNTRY_FIELDS, self.record.id)
        return [Field.from_record(record) for record in records]

    @strawberry.field(
        description="Distinct institutions named in its priorities, in document order; all kinds "
        "when kinds is omitted."
    )
    async def institutions(
        self,
        info: ResolverInfo,
        kinds: KindsArgument = None,
    ) -> list[Annotated["Institution", strawberry.lazy("coopgraph.graph.types.institution")]]:
        from coopgraph.graph.types.institution import Institution  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(
            Relation.COUNTRY_INSTITUTIONS, self.record.id, kinds=stored_kinds(kinds)
        )
        return [Institution.from_record(record) for record in records]
