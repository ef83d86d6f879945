"""One institution name used by several countries."""

import asyncio
from typing import Self

import strawberry

from coopgraph.db.queries.crossref import NameAcrossCountries
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.loaders import present
from coopgraph.graph.types.country import Country
from coopgraph.graph.types.institution import Institution
from coopgraph.graph.types.institution_kind import InstitutionKind


@strawberry.type(
    description="One institution name that priorities of several countries use: 国立研究机构 in "
    "日本, 韩国, ...; 天主教大学 in 智利 and 厄瓜多尔. Each country's is its own institution."
)
class InstitutionNameGroup:
    name: str = strawberry.field(description="The shared canonical name: 国立研究机构.")
    name_en: str | None = strawberry.field(
        description="The English name they share (National research institutes); null where "
        "they are different organisations with different names (天主教大学)."
    )
    kinds: list[InstitutionKind] = strawberry.field(description="The distinct kinds among them.")
    country_count: int = strawberry.field(description="How many countries use the name.")
    record: strawberry.Private[NameAcrossCountries]

    @classmethod
    def from_record(cls, record: NameAcrossCountries) -> Self:
        english = {institution.name_en for institution in record.institutions}
        return cls(
            name=record.name,
            name_en=english.pop() if len(english) == 1 else None,
            kinds=list(
                dict.fromkeys(InstitutionKind.from_stored(i.kind) for i in record.institutions)
            ),
            country_count=len({i.country_id for i in record.institutions}),
            record=record,
        )

    @strawberry.field(
        description="The institutions of that name, one per country, in document order."
    )
    def institutions(self) -> list[Institution]:
        return [Institution.from_record(record) for record in self.record.institutions]

    @strawberry.field(description="The countries that use the name, in document order.")
    async def countries(self, info: ResolverInfo) -> list[Country]:
        loader = info.context.loaders.country
        records = await asyncio.gather(
            *(loader.load(i.country_id) for i in self.record.institutions)
        )
        return [Country.from_record(present(record, "country")) for record in records]
