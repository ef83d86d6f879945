"""Cross-reference questions: shared institutions, common fields, shared names."""

from __future__ import annotations

from typing import Annotated

import strawberry

from coopgraph.db.queries import crossref, institutions
from coopgraph.db.relations import lists
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.errors import BadUserInput
from coopgraph.graph.loaders import present
from coopgraph.graph.queries.arguments import row_id
from coopgraph.graph.types.country import Country
from coopgraph.graph.types.field import Field
from coopgraph.graph.types.field_overlap import FieldOverlap
from coopgraph.graph.types.institution import Institution
from coopgraph.graph.types.institution_kind import InstitutionKind, stored_kinds
from coopgraph.graph.types.institution_name_group import InstitutionNameGroup

DEFAULT_SHARED_KINDS = [InstitutionKind.from_stored(kind) for kind in lists.SHARED_KINDS]


def _at_least_one(value: int, argument: str) -> int:
    if value < 1:
        msg = f"{argument} must be at least 1, got {value}"
        raise BadUserInput(msg)
    return value


@strawberry.type
class CrossReferenceQueries:
    @strawberry.field(
        description="Cross-reference: institutions named in priorities of at least minFields distinct "
        "fields, most fields first. CATEGORY entries are left out unless kinds asks for them."
    )
    async def shared_institutions(
        self,
        info: ResolverInfo,
        min_fields: Annotated[
            int | None,
            strawberry.argument(description="Least number of distinct fields; null means 2."),
        ] = 2,
        kinds: Annotated[
            list[InstitutionKind] | None,
            strawberry.argument(description="Kinds to include; null means the default."),
        ] = DEFAULT_SHARED_KINDS,
    ) -> list[Institution]:
        chosen = DEFAULT_SHARED_KINDS if kinds is None else kinds
        records = await info.context.run(
            institutions.shared_institutions,
            _at_least_one(2 if min_fields is None else min_fields, "minFields"),
            stored_kinds(chosen),
        )
        return [Institution.from_record(record) for record in records]

    @strawberry.field(
        description="Fields in which every one of the given countries has a priority."
    )
    async def common_fields(
        self,
        info: ResolverInfo,
        countries: Annotated[
            list[strawberry.ID], strawberry.argument(description="Two or more Country IDs.")
        ],
    ) -> list[Field]:
        if len(set(countries)) < 2:
            msg = "commonFields needs at least two different countries"
            raise BadUserInput(msg)
        ids = [await row_id(info, value, "Country", "countries") for value in countries]
        records = await info.context.run(crossref.common_fields, [i for i in ids if i is not None])
        return [Field.from_record(record) for record in records]

    @strawberry.field(
        description="Countries that share at least minShared fields with a country, with the shared "
        "fields; most shared first."
    )
    async def countries_sharing_fields(
        self,
        info: ResolverInfo,
        country: Annotated[strawberry.ID, strawberry.argument(description="A Country ID.")],
        min_shared: Annotated[
            int, strawberry.argument(description="Least number of shared fields.")
        ] = 1,
    ) -> list[FieldOverlap]:
        country_id = present(await row_id(info, country, "Country", "country"), "country")
        overlaps = await info.context.run(
            crossref.countries_sharing_fields, country_id, _at_least_one(min_shared, "minShared")
        )
        return [
            FieldOverlap(
                country=Country.from_record(overlap.country),
                shared_fields=[Field.from_record(f) for f in overlap.fields],
                shared_field_count=len(overlap.fields),
            )
            for overlap in overlaps
        ]

    @strawberry.field(
        description="Institution names used by at least minCountries countries (国立研究机构, 大学, "
        "天主教大学), most countries first: what kinds of partner recur across the world."
    )
    async def institutions_across_countries(
        self,
        info: ResolverInfo,
        min_countries: Annotated[
            int, strawberry.argument(description="Least number of countries.")
        ] = 2,
        kinds: Annotated[
            list[InstitutionKind] | None,
            strawberry.argument(description="Only these kinds; all when omitted."),
        ] = None,
    ) -> list[InstitutionNameGroup]:
        groups = await info.context.run(
            crossref.institutions_across_countries,
            _at_least_one(min_countries, "minCountries"),
            stored_kinds(kinds),
        )
        return [InstitutionNameGroup.from_record(group) for group in groups]
