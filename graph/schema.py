"""The Strawberry schema: the root Query merged from its parts, and its SDL."""

from __future__ import annotations

from functools import cache

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableValidation
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from coopgraph.graph.error_extension import ErrorCodes
from coopgraph.graph.located_documents import LocatedDocuments, LocatedParserCache
from coopgraph.graph.queries.catalog import CatalogQueries
from coopgraph.graph.queries.connections import ConnectionQueries
from coopgraph.graph.queries.crossref import CrossReferenceQueries
from coopgraph.graph.queries.nodes import NodeQueries
from coopgraph.graph.queries.search import SearchQueries
from coopgraph.graph.queries.statistics import StatisticsQueries
from coopgraph.graph.types.continent import Continent
from coopgraph.graph.types.country import Country
from coopgraph.graph.types.direction import Direction
from coopgraph.graph.types.edition import Edition
from coopgraph.graph.types.field import Field
from coopgraph.graph.types.institution import Institution
from coopgraph.graph.types.priority import Priority
from coopgraph.settings import Limits

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


class CoopgraphSchema(strawberry.Schema):
    """The schema, executed only behind ``graph.http``'s pipeline.

    The pipeline parses, validates and checks the limits before it calls ``execute``,
    so Strawberry's own validation is switched off rather than run twice, and errors
    are logged there, once per request with its ID, instead of here.

    Attributes:
        located_documents: The documents its executor runs, parsed with locations,
            bounded by ``COOPGRAPH_DOCUMENT_CACHE_BYTES``.
    """

    located_documents: LocatedDocuments

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry's default logs every error, client mistakes included, at ERROR
        # with a traceback; anyone could fill the log with bad queries.
        return


@cache
def build_schema(document_cache_bytes: int = Limits().document_cache_bytes) -> CoopgraphSchema:
    """The one schema of the API; built once per process (and per bound, in tests).

    Args:
        document_cache_bytes: The bound of the documents its executor keeps parsed
            with locations (``COOPGRAPH_DOCUMENT_CACHE_BYTES``).
    """
    documents = LocatedDocuments(document_cache_bytes)
    schema = CoopgraphSchema(
        query=Query,
        # Node implementations are reached only through the interface from node(id:),
        # so they are listed for the schema to know them.
        types=[Edition, Continent, Country, Field, Direction, Institution, Priority],
        extensions=[ErrorCodes, lambda: LocatedParserCache(documents), DisableValidation],
    )
    schema.located_documents = documents
    return schema


def schema_sdl() -> str:
    """The schema in SDL, as ``coopgraph export-schema`` prints and ``schema.graphql`` stores."""
    return build_schema().as_str() + "\n"
