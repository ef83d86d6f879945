"""The first stage: which method, whether a browser wants GraphiQL, and in what media type.

Nothing is read from the body yet, so a request this stage refuses costs no parsing.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse

from coopgraph.graph.http.media import (
    GRAPHQL_RESPONSE_JSON,
    JSON,
    accepts_html,
    negotiate_response_type,
)
from coopgraph.graph.http.problems import HTTPProblem
from coopgraph.graph.http.request import URL_METHODS

GraphiQLPage = Callable[[], str]
"""Returns the HTML served to browsers that open the endpoint."""


#: What the endpoint answers, in the order ``Allow`` lists them.
METHODS = ("GET", "HEAD", "POST")


def check_method(request: Request) -> None:
    """Refuse every method but GET, HEAD and POST with 405 and ``Allow``."""
    if request.method not in METHODS:
        raise HTTPProblem(
            405,
            f"GraphQL is served over GET and POST (and HEAD), not {request.method}.",
            headers={"Allow": ", ".join(METHODS)},
        )


def graphiql_response(request: Request, page: GraphiQLPage | None) -> HTMLResponse | None:
    """GraphiQL for a browser that opens the endpoint without a query, else None.

    Raises:
        HTTPProblem: 404 when a browser asks and the endpoint serves no page.
    """
    if (
        request.method not in URL_METHODS
        or "query" in request.query_params
        or not accepts_html(request.headers.get("accept"))
    ):
        return None
    if page is None:
        raise HTTPProblem(404, "This endpoint serves no GraphiQL page; send a query.")
    return HTMLResponse(page())


def response_type(request: Request) -> str:
    """The media type of the answer, from ``Accept``.

    Raises:
        HTTPProblem: 406 when the client accepts neither JSON type.
    """
    media_type = negotiate_response_type(request.headers.get("accept"))
    if media_type is None:
        raise HTTPProblem(
            406,
            f"Responses are available as {GRAPHQL_RESPONSE_JSON} or {JSON};"
            " the Accept header allows neither.",
        )
    return media_type


__all__ = ["METHODS", "GraphiQLPage", "check_method", "graphiql_response", "response_type"]
