"""Editions: one per yearly document."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from coopgraph.db.queries.records import EditionRecord
from coopgraph.db.relations import Relation
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.ids import to_global_id
from coopgraph.graph.types.node import Node

if TYPE_CHECKING:
    from coopgraph.graph.types.priority import Priority


@strawberry.type(
    description="One yearly document of cooperation priorities, e.g. 2020年度对外合作重点项目资助重点."
)
class Edition(Node):
    year: int = strawberry.field(description="The year its title names: 2020.")
    title: str = strawberry.field(description="The document's title as written.")
    source_name: str = strawberry.field(description="The file it was seeded from.")
    source_sha256: str = strawberry.field(
        description="SHA-256 of that file, to tell which copy of the document the data comes from."
    )
    field_basis: str | None = strawberry.field(
        description="The basis the header gives for the cooperation fields, as written: "
        "以8+2为依据 (the 8+2 scheme)."
    )
    record: strawberry.Private[EditionRecord]

    @classmethod
    def from_record(cls, record: EditionRecord) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Edition", record.year)),
            year=record.year,
            title=record.title,
            source_name=record.source_name,
            source_sha256=record.source_sha256,
            field_basis=record.field_basis,
            record=record,
        )

    @strawberry.field(description="Its rows, in document order.")
    async def priorities(
        self, info: ResolverInfo
    ) -> list[Annotated["Priority", strawberry.lazy("coopgraph.graph.types.priority")]]:
        from coopgraph.graph.types.priority import Priority  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.EDITION_PRIORITIES, self.record.id)
        return [Priority.from_record(record) for record in records]

    @strawberry.field(description="How many rows it has.")
    async def priority_count(self, info: ResolverInfo) -> int:
        return await info.context.loaders.count(Relation.EDITION_PRIORITIES).load(self.record.id)
