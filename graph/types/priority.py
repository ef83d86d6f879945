"""Priorities: the rows of a document."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from db.queries.records import PriorityRecord
from db.relations import Relation
from graph.context import ResolverInfo
from graph.ids import to_global_id
from graph.loaders import present
from graph.types.node import Node

if TYPE_CHECKING:
    from graph.types.continent import Continent
    from graph.types.country import Country
    from graph.types.direction import Direction
    from graph.types.edition import Edition
    from graph.types.field import Field
    from graph.types.institution import Institution
    from graph.types.institution_mention import InstitutionMention


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
    ) -> Annotated["Edition", strawberry.lazy("graph.types.edition")]:
        from graph.types.edition import Edition  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.edition.load(self.record.edition_id)
        return Edition.from_record(present(record, "edition"))

    @strawberry.field(description="The country or region of this row.")
    async def country(
        self, info: ResolverInfo
    ) -> Annotated["Country", strawberry.lazy("graph.types.country")]:
        from graph.types.country import Country  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.country.load(self.record.country_id)
        return Country.from_record(present(record, "country"))

    @strawberry.field(description="The continent or region of this row's country.")
    async def continent(
        self, info: ResolverInfo
    ) -> Annotated["Continent", strawberry.lazy("graph.types.continent")]:
        from graph.types.continent import Continent  # noqa: PLC0415 - types refer to each other

        country = await info.context.loaders.country.load(self.record.country_id)
        continent_id = present(country, "country").continent_id
        record = await info.context.loaders.continent.load(continent_id)
        return Continent.from_record(present(record, "continent"))

    @strawberry.field(description="The cooperation field of this row.")
    async def field(
        self, info: ResolverInfo
    ) -> Annotated["Field", strawberry.lazy("graph.types.field")]:
        from graph.types.field import Field  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.field.load(self.record.field_id)
        return Field.from_record(present(record, "field"))

    @strawberry.field(
        description="Empty where the document leaves the direction blank; several where it lists several."
    )
    async def directions(
        self, info: ResolverInfo
    ) -> list[Annotated["Direction", strawberry.lazy("graph.types.direction")]]:
        from graph.types.direction import Direction  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.PRIORITY_DIRECTIONS, self.record.id)
        return [Direction.from_record(record) for record in records]

    @strawberry.field(description="The institutions its cell names, in the cell's order.")
    async def institutions(
        self, info: ResolverInfo
    ) -> list[Annotated["Institution", strawberry.lazy("graph.types.institution")]]:
        from graph.types.institution import Institution  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.PRIORITY_INSTITUTIONS, self.record.id)
        return [Institution.from_record(record) for record in records]

    @strawberry.field(
        description="The institutions with the spelling this cell uses for each, and whether it means others too."
    )
    async def mentions(
        self, info: ResolverInfo
    ) -> list[Annotated["InstitutionMention", strawberry.lazy("graph.types.institution_mention")]]:
        from graph.types.institution_mention import InstitutionMention  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.mentions_by_priority.load(self.record.id)
        return [InstitutionMention.from_record(record) for record in records]
