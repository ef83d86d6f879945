"""Root lists and look-ups: editions, continents, fields, directions, one country."""

from __future__ import annotations

from typing import Annotated

import strawberry

from coopgraph.db.queries import continents, countries, directions, editions, fields
from coopgraph.db.queries.records import CountryRecord
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

    @strawberry.field(
        description="Look up by ISO code or by any name search knows of the country (Chinese, "
        "English, or a curated spelling users type). Given both, they must name the same "
        "country: arguments that name different countries, or one a country and the other "
        "none, are a BAD_USER_INPUT error."
    )
    async def country(
        self,
        info: ResolverInfo,
        iso_code: Annotated[
            str | None, strawberry.argument(description="ISO 3166-1 alpha-2, any case: AU, eu.")
        ] = None,
        name: Annotated[
            str | None,
            strawberry.argument(
                description="Any name search finds the country by exactly, in any case or "
                "width, simplified or traditional: 澳大利亚, Australia, 臺灣, UK, USA, Macau. "
                "Pinyin is not a name."
            ),
        ] = None,
    ) -> Country | None:
        if iso_code is None and name is None:
            msg = "country needs isoCode or name"
            raise BadUserInput(msg)
        iso_code, name = check_text(iso_code, "isoCode"), check_text(name, "name")
        if iso_code is None or name is None:
            record = await info.context.run(countries.find_country, iso_code=iso_code, name=name)
            return Country.from_record(record) if record else None
        by_code = await info.context.run(countries.find_country, iso_code=iso_code, name=None)
        by_name = await info.context.run(countries.find_country, iso_code=None, name=name)
        if (by_code and by_code.id) != (by_name and by_name.id):
            msg = (
                f"isoCode {iso_code!r} and name {name!r} must name the same country: "
                f"isoCode names {_named(by_code)}, name names {_named(by_name)}"
            )
            raise BadUserInput(msg)
        return Country.from_record(by_code) if by_code else None


def _named(record: CountryRecord | None) -> str:
    return record.name if record else "no country"
