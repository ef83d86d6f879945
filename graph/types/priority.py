"""Priorities: the rows of a document."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from coopgraph.db.queries.records import PriorityRecord
from coopgraph.db.relations import Relation
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.ids import to_global_id
from coopgraph.graph.loaders import present
from coopgraph.graph.types.node import Node

if TYPE_CHECKING:
    from coopgraph.graph.types.continent import Continent
    from coopgraph.graph.types.country import Country
    from coopgraph.graph.types.direction import Direction
    from coopgraph.graph.types.edition import Edition
    from coopgraph.graph.types.field import Field
    from coopgraph.graph.types.institution import Institution
    from coopgraph.graph.types.institution_mention import InstitutionMention


@strawberry.type(
    description="One row of a document: a country, a field, its directions and its key partner institutions."
)
class Priority(Node):
    source_line: int = strawberry.field(
        description="1-based line of the source document where this row's institutions cell is written."
    )
    source_text: str = strawberry.field(description="The institutions cell exactly as written.")
    directions_text: str | None = strawberry.field(
        description="The directions cell as written (现代农业、健康); null where it is blank."
    )
    record: strawberry.Private[PriorityRecord]

    @classmethod
    def from_record(cls, record: PriorityRecord) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Priority", record.key)),
            source_line=record.source_line,
            source_text=record.source_text,
            directions_text=record.directions_text,
            record=record,
        )

    @strawberry.field(description="The document this row is from.")
    async def edition(
        self, info: ResolverInfo
    ) -> Annotated["Edition", strawberry.lazy("coopgraph.graph.types.edition")]:
        from coopgraph.graph.types.edition import Edition  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.edition.load(self.record.edition_id)
        return Edition.from_record(present(record, "edition"))

    @strawberry.field(description="The country or region of this row.")
    async def country(
        self, info: ResolverInfo
    ) -> Annotated["Country", strawberry.lazy("coopgraph.graph.types.country")]:
        from coopgraph.graph.types.country import Country  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.country.load(self.record.country_id)
        return Country.from_record(present(record, "country"))

    @strawberry.field(description="The continent or region of this row's country.")
    async def continent(
        self, info: ResolverInfo
    ) -> Annotated["Continent", strawberry.lazy("coopgraph.graph.types.continent")]:
        from coopgraph.graph.types.continent import Continent  # noqa: PLC0415 - types refer to each other

        country = await info.context.loaders.country.load(self.record.country_id)
        continent_id = present(country, "country").continent_id
        record = await info.context.loaders.continent.load(continent_id)
        return Continent.from_record(present(record, "continent"))

    @strawberry.field(description="The cooperation field of this row.")
    async def field(
        self, info: ResolverInfo
    ) -> Annotated["Field", strawberry.lazy("coopgraph.graph.types.field")]:
        from coopgraph.graph.types.field import Field  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.field.load(self.record.field_id)
        return Field.from_record(present(record, "field"))

    @strawberry.field(
        description="Empty where the document leaves the direction blank; several where it lists several."
    )
    async def directions(
        self, info: ResolverInfo
    ) -> list[Annotated["Direction", strawberry.lazy("coopgraph.graph.types.direction")]]:
        from coopgraph.graph.types.direction import Direction  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.PRIORITY_DIRECTIONS, self.record.id)
        return [Direction.from_record(record) for record in records]

    @strawberry.field(description="The institutions its cell names, in the cell's order.")
    async def institutions(
        self, info: ResolverInfo
    ) -> list[Annotated["Institution", strawberry.lazy("coopgraph.graph.types.institution")]]:
        from coopgraph.graph.types.institution import Institution  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.PRIORITY_INSTITUTIONS, self.record.id)
        return [Institution.from_record(record) for record in records]

    @strawberry.field(
        description="The institutions with the spelling this cell uses for each, and whether it means others too."
    )
    async def mentions(
        self, info: ResolverInfo
    ) -> list[
        Annotated[
            "InstitutionMention", strawberry.lazy("coopgraph.graph.types.institution_mention")
        ]
    ]:
        from coopgraph.graph.types.institution_mention import InstitutionMention  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.mentions_by_priority.load(self.record.id)
        return [InstitutionMention.from_record(record) for record in records]
