"""GraphQL over HTTP for the coopgraph endpoint: the view, its media types and errors."""

from graph.http.media import GRAPHQL_RESPONSE_JSON, JSON, SUPPORTED_REQUEST_TYPES
from graph.http.problems import HTTPProblem
from graph.http.view import ContextFactory, GraphiQLPage, GraphQLHTTPView

__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "JSON",
    "SUPPORTED_REQUEST_TYPES",
    "ContextFactory",
    "GraphQLHTTPView",
    "GraphiQLPage",
    "HTTPProblem",
]
