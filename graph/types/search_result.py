"""What a search hit can be."""

from typing import Annotated

import strawberry

from graph.types.continent import Continent
from graph.types.country import Country
from graph.types.direction import Direction
from graph.types.field import Field
from graph.types.institution import Institution

SearchResult = Annotated[
    Continent | Country | Field | Direction | Institution,
    strawberry.union("SearchResult", description="What a search matched."),
]
