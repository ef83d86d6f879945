"""Root lists and look-ups: editions, continents, fields, directions, one country."""

from __future__ import annotations

from typing import Annotated

import strawberry

from coopgraph.db.queries import continents, countries, directions, editions, fields
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.errors import BadUserInput
from coopgraph.graph.queries.arguments import row_id
from coopgraph.graph.queries.values import check_text
from coopgraph.graph.types.continent import Continent
from coopgraph.graph.types.country import Country
from coopgraph.graph.types.direction import Direction
from coopgraph.graph.types.edition import Edition
from coopgraph.graph.types.field import Field


@strawberry.type
class CatalogQueries:
    @strawberry.field(description="Every seeded document, oldest first.")
    async def editions(self, info: ResolverInfo) -> list[Edition]:
        return [Edition.from_record(r) for r in await info.context.run(editions.all_editions)]

    @strawberry.field(description="The edition of a year; null when that year is not seeded.")
    async def edition(
        self, info: ResolverInfo, year: Annotated[int, strawberry.argument(description="2020.")]
    ) -> Edition | None:
        record = await info.context.loaders.edition_by_year.load(year)
        return Edition.from_record(record) if record else None

    @strawberry.field(description="Continents and regions, in document order.")
    async def continents(self, info: ResolverInfo) -> list[Continent]:
        return [Continent.from_record(r) for r in await info.context.run(continents.all_continents)]

    @strawberry.field(description="Cooperation fields, in document order of first appearance.")
    async def fields(self, info: ResolverInfo) -> list[Field]:
        return [Field.from_record(r) for r in await info.context.run(fields.all_fields)]

    @strawberry.field(
        description="Research directions, in document order; only one field's when field is given."
    )
    async def directions(
        self,
        info: ResolverInfo,
        field: Annotated[
            strawberry.ID | None, strawberry.argument(description="A Field ID.")
        ] = None,
    ) -> list[Direction]:
        field_id = await row_id(info, field, "Field", "field")
        records = await info.context.run(directions.all_directions, field_id)
        return [Direction.from_record(r) for r in records]

    @strawberry.field(description="Look up by ISO code or by name (Chinese or English).")
    async def country(
        self,
        info: ResolverInfo,
        iso_code: Annotated[
            str | None, strawberry.argument(description="ISO 3166-1 alpha-2, any case: AU, eu.")
        ] = None,
        name: Annotated[
            str | None,
            strawberry.argument(
                description="Chinese name as in the document, or English name: 澳大利亚, Australia."
            ),
        ] = None,
    ) -> Country | None:
        if iso_code is None and name is None:
            msg = "country needs isoCode or name"
            raise BadUserInput(msg)
        record = await info.context.run(
            countries.find_country,
            iso_code=check_text(iso_code, "isoCode"),
            name=check_text(name, "name"),
        )
        return Country.from_record(record) if record else None
