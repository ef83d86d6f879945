"""One institution name used by several countries."""

import strawberry

from graph.types.country import Country
from graph.types.institution import Institution
from graph.types.institution_kind import InstitutionKind


@strawberry.type(
    description="One institution name that priorities of several countries use: 国立研究机构 in "
    "日本, 韩国, ...; 天主教大学 in 智利 and 厄瓜多尔. Each country's is its own institution."
)
class InstitutionNameGroup:
    name: str = strawberry.field(description="The shared canonical name: 国立研究机构.")
    name_en: str = strawberry.field(description="The English name of the first of them.")
    kinds: list[InstitutionKind] = strawberry.field(description="The distinct kinds among them.")
    country_count: int = strawberry.field(description="How many countries use the name.")
    countries: list[Country] = strawberry.field(description="Those countries, in document order.")
    institutions: list[Institution] = strawberry.field(
        description="The institutions of that name, one per country, in document order."
    )
