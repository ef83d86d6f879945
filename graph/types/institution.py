"""Partner institutions, resolved across their spellings."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from coopgraph.db.queries.records import InstitutionRecord
from coopgraph.db.relations import Relation
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.ids import to_global_id
from coopgraph.graph.loaders import present
from coopgraph.graph.types.institution_kind import InstitutionKind
from coopgraph.graph.types.institution_name import InstitutionName
from coopgraph.graph.types.node import Node

if TYPE_CHECKING:
    from coopgraph.graph.types.country import Country
    from coopgraph.graph.types.field import Field
    from coopgraph.graph.types.priority import Priority


@strawberry.type(
    description="A partner institution, resolved across its spellings: DOE and 美国能源部（DOE） are "
    "one. Institutions are scoped by country: 天主教大学 of 智利 and of 厄瓜多尔 are two."
)
class Institution(Node):
    name: str = strawberry.field(
        description="Canonical Chinese name, without the acronym: 美国能源部."
    )
    name_en: str = strawberry.field(
        description="United States Department of Energy; for a CATEGORY, an English label "
        "(National research institutes)."
    )
    acronym: str | None = strawberry.field(
        description="DOE, CSIRO, KISR; null where the organisation has none."
    )
    kind: InstitutionKind = strawberry.field(
        description="Whether it is one organisation, a named group, or a generic category."
    )
    inferred: bool = strawberry.field(
        description="True where the document does not spell the identification out and the "
        "curation inferred it (基督城大学 → University of Canterbury); `inferredBasis` says why."
    )
    inferred_basis: str | None = strawberry.field(
        description="Why an inferred identification was made; null when the document's own "
        "words identify the institution."
    )
    record: strawberry.Private[InstitutionRecord]

    @classmethod
    def from_record(cls, record: InstitutionRecord) -> Self:
        return cls(
            id=strawberry.ID(to_global_id("Institution", record.key)),
            name=record.name,
            name_en=record.name_en,
            acronym=record.acronym,
            kind=InstitutionKind.from_stored(record.kind),
            inferred=record.inferred_basis is not None,
            inferred_basis=record.inferred_basis,
            record=record,
        )

    @strawberry.field(
        description="Every distinct spelling of it in the documents, as written, in order of first "
        "appearance: 美国能源部（DOE）, DOE."
    )
    async def aliases(self, info: ResolverInfo) -> list[str]:
        return await info.context.loaders.aliases_by_institution.load(self.record.id)

    @strawberry.field(
        description="Names the curation adds, which the document does not write: standard names, "
        "short forms and names in the institution's own language (坎特伯雷大学, 中研院). Search "
        "finds the institution by each."
    )
    async def other_names(self, info: ResolverInfo) -> list[InstitutionName]:
        records = await info.context.loaders.other_names_by_institution.load(self.record.id)
        return [InstitutionName.from_record(record) for record in records]

    @strawberry.field(
        description="The country or region it belongs to; two same-named institutions of two "
        "countries are two institutions."
    )
    async def country(
        self, info: ResolverInfo
    ) -> Annotated["Country", strawberry.lazy("coopgraph.graph.types.country")]:
        from coopgraph.graph.types.country import Country  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.country.load(self.record.country_id)
        return Country.from_record(present(record, "country"))

    @strawberry.field(
        description="Countries whose priorities name it: its own country, as a list for symmetry "
        "with Field.countries."
    )
    async def countries(
        self, info: ResolverInfo
    ) -> list[Annotated["Country", strawberry.lazy("coopgraph.graph.types.country")]]:
        return [await self.country(info)]

    @strawberry.field(description="Priorities that name it, in document order.")
    async def priorities(
        self, info: ResolverInfo
    ) -> list[Annotated["Priority", strawberry.lazy("coopgraph.graph.types.priority")]]:
        from coopgraph.graph.types.priority import Priority  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(
            Relation.INSTITUTION_PRIORITIES, self.record.id
        )
        return [Priority.from_record(record) for record in records]

    @strawberry.field(description="How many priorities name it.")
    async def priority_count(self, info: ResolverInfo) -> int:
        return await info.context.loaders.count(Relation.INSTITUTION_PRIORITIES).load(
            self.record.id
        )

    @strawberry.field(description="Distinct fields of its priorities, in field order.")
    async def fields(
        self, info: ResolverInfo
    ) -> list[Annotated["Field", strawberry.lazy("coopgraph.graph.types.field")]]:
        from coopgraph.graph.types.field import Field  # noqa: PLC0415 - types refer to each other

        records = await info.context.loaders.related(Relation.INSTITUTION_FIELDS, self.record.id)
        return [Field.from_record(record) for record in records]

    @strawberry.field(description="How many distinct fields its priorities are in.")
    async def field_count(self, info: ResolverInfo) -> int:
        return await info.context.loaders.count(Relation.INSTITUTION_FIELDS).load(self.record.id)
