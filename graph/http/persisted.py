"""The persisted-queries stage: a request that names its query by hash gets the text.

The protocol lives in ``graph.caching.persisted``; this stage turns its outcomes into
answers. Registration happens later, once the query has passed every check
(``PersistedQueries.register``), so nothing unchecked is kept.
"""

from __future__ import annotations

from dataclasses import replace

from coopgraph.graph.caching import PersistedQueries, PersistedQueryError, PersistedQueryNotFound
from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.http.problems import HTTPProblem
from coopgraph.graph.http.request import GraphQLRequest
from coopgraph.graph.http.responses import RequestErrors


async def resolve_persisted(
    persisted: PersistedQueries, graphql_request: GraphQLRequest
) -> GraphQLRequest:
    """The request with its query text, looked up when only a hash was sent.

    Raises:
        RequestErrors: ``PERSISTED_QUERY_NOT_FOUND`` for an unknown hash.
        HTTPProblem: 400 for a malformed ``persistedQuery`` extension.
    """
    try:
        query = await persisted.resolve(graphql_request.query, graphql_request.extensions)
    except PersistedQueryNotFound:
        # Apollo's clients recognise the answer by this message and code, and
        # retry with the query text.
        not_found = {
            "message": "PersistedQueryNotFound",
            "extensions": {"code": ErrorCode.PERSISTED_QUERY_NOT_FOUND},
        }
        raise RequestErrors([not_found]) from None
    except PersistedQueryError as malformed:
        raise HTTPProblem(400, str(malformed)) from malformed
    return replace(graphql_request, query=query)


__all__ = ["resolve_persisted"]
