"""The Strawberry schema: the root Query merged from its parts, and its SDL."""

from __future__ import annotations

from functools import cache

import strawberry
from strawberry.tools import merge_types

from graph.errors import ErrorCodes
from graph.queries.catalog import CatalogQueries
from graph.queries.connections import ConnectionQueries
from graph.queries.crossref import CrossReferenceQueries
from graph.queries.nodes import NodeQueries
from graph.queries.search import SearchQueries
from graph.queries.statistics import StatisticsQueries
from graph.types.continent import Continent
from graph.types.country import Country
from graph.types.direction import Direction
from graph.types.edition import Edition
from graph.types.field import Field
from graph.types.institution import Institution
from graph.types.priority import Priority

Query = merge_types(
    "Query",
    (
        NodeQueries,
        CatalogQueries,
        ConnectionQueries,
        SearchQueries,
        CrossReferenceQueries,
        StatisticsQueries,
    ),
)


@cache
def build_schema() -> strawberry.Schema:
    """The one schema of the API; built once per process."""
    return strawberry.Schema(
        query=Query,
        # Node implementations are reached only through the interface from node(id:),
        # so they are listed for the schema to know them.
        types=[Edition, Continent, Country, Field, Direction, Institution, Priority],
        extensions=[ErrorCodes],
    )


def schema_sdl() -> str:
    """The schema in SDL, as ``coopgraph export-schema`` prints and ``schema.graphql`` stores."""
    return build_schema().as_str() + "\n"
