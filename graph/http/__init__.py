"""GraphQL over HTTP: the endpoint's pipeline and what surrounds it.

The endpoint runs one module per stage (``graph.http.endpoint`` lists them in order);
around it are media types, HTTP-level errors, metrics, rate limiting, and the
middleware every response passes through.
"""

from coopgraph.graph.http.endpoint import (
    ContextFactory,
    GraphiQLPage,
    GraphQLEndpoint,
    validation_schema,
)
from coopgraph.graph.http.media import GRAPHQL_RESPONSE_JSON, JSON, SUPPORTED_REQUEST_TYPES
from coopgraph.graph.http.problems import HTTPProblem

__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "JSON",
    "SUPPORTED_REQUEST_TYPES",
    "ContextFactory",
    "GraphQLEndpoint",
    "GraphiQLPage",
    "HTTPProblem",
    "validation_schema",
]
