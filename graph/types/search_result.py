"""What a search hit can be."""

from typing import Annotated

import strawberry

from coopgraph.graph.types.continent import Continent
from coopgraph.graph.types.country import Country
from coopgraph.graph.types.direction import Direction
from coopgraph.graph.types.field import Field
from coopgraph.graph.types.institution import Institution

SearchResult = Annotated[
    Continent | Country | Field | Direction | Institution,
    strawberry.union("SearchResult", description="What a search matched."),
]
