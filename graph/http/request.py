"""Reading a GraphQL request out of HTTP: GET parameters or a bounded JSON body.

Everything a client can get wrong here is answered with a 4xx naming the problem;
nothing reaches GraphQL that is not a string query with object variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request

from coopgraph.graph.http.json_depth import check_json_depth
from coopgraph.graph.http.media import SUPPORTED_REQUEST_TYPES, is_supported_request_type
from coopgraph.graph.http.problems import HTTPProblem

DRY_RUN_HEADER = "X-Coopgraph-Dry-Run"

#: Methods whose parameters are in the URL. HEAD is GET without the body of the
#: answer, so it is read, checked, cached and tagged exactly as GET is.
URL_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """The parameters of one GraphQL request, checked for their JSON types."""

    #: None only when ``extensions.persistedQuery`` names the query by its hash.
    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None


async def read_graphql_request(
    request: Request, *, max_body_bytes: int, max_json_depth: int
) -> GraphQLRequest:
    """The request's GraphQL parameters from its URL (GET, HEAD) or body (POST).

    Raises:
        HTTPProblem: 400 for malformed parameters or JSON nested past
            ``max_json_depth``, 413 for a body over the limit, 415 for a body that
            is not JSON.
    """
    if request.method in URL_METHODS:
        params = request.query_params
        for name in ("query", "variables", "operationName", "extensions"):
            if len(params.getlist(name)) > 1:
                raise HTTPProblem(400, f"The {name} parameter must be given once.")
        return _checked(
            params.get("query"),
            _json_parameter(params.get("variables"), "variables", max_json_depth),
            params.get("operationName") or None,
            _json_parameter(params.get("extensions"), "extensions", max_json_depth),
        )
    content_type = request.headers.get("content-type")
    if not is_supported_request_type(content_type):
        supported = ", ".join(SUPPORTED_REQUEST_TYPES)
        given = content_type or "no Content-Type"
        raise HTTPProblem(
            415, f"POST bodies must be {supported} (UTF-8); the request sent {given}."
        )
    body = await read_body(request, max_body_bytes)
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        if _is_utf8_error(body):
            raise HTTPProblem(400, "The request body is not valid UTF-8.") from error
        raise HTTPProblem(400, f"The request body is not valid JSON: {error}.") from error
    check_json_depth(decoded, max_json_depth)
    if isinstance(decoded, list):
        raise HTTPProblem(
            400, "Batched requests are not offered: send one JSON object per request."
        )
    if not isinstance(decoded, dict):
        raise HTTPProblem(400, "The request body must be a JSON object.")
    return _checked(
        decoded.get("query"),
        decoded.get("variables"),
        decoded.get("operationName"),
        decoded.get("extensions"),
    )


def is_dry_run(request: Request, graphql_request: GraphQLRequest) -> bool:
    """Whether the client asked for the cost estimate only, by header or extension."""
    if request.headers.get(DRY_RUN_HEADER, "").strip().lower() in {"1", "true", "yes"}:
        return True
    return bool((graphql_request.extensions or {}).get("dryRun") is True)


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to pass ``limit`` bytes.

    A declared ``Content-Length`` over the limit is refused before a byte is read;
    a chunked body is read only until it passes the limit.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isascii() or not declared.isdigit():
            raise HTTPProblem(400, "The Content-Length header is not a number.")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> HTTPProblem:
    return HTTPProblem(
        413,
        f"The request body is larger than {limit} bytes, the most this server reads.",
        extensions={"limit": limit},
    )


def _is_utf8_error(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _json_parameter(raw: str | None, name: str, max_json_depth: int) -> object:
    if not raw:
        return None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise HTTPProblem(400, f"The {name} parameter is not valid JSON.") from error
    check_json_depth(value, max_json_depth)
    return value


def _checked(
    query: object, variables: object, operation_name: object, extensions: object
) -> GraphQLRequest:
    persisted = isinstance(extensions, Mapping) and "persistedQuery" in extensions
    if query is None and not persisted:
        raise HTTPProblem(400, "The request has no GraphQL query.")
    if query is not None and not isinstance(query, str):
        raise HTTPProblem(400, "The query must be a string.")
    if variables is not None and not isinstance(variables, dict):
        raise HTTPProblem(400, "The variables must be a JSON object.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise HTTPProblem(400, "The operationName must be a string.")
    if extensions is not None and not isinstance(extensions, dict):
        raise HTTPProblem(400, "The extensions must be a JSON object.")
    return GraphQLRequest(
        query=query,
        variables=variables,
        operation_name=operation_name or None,
        extensions=extensions,
    )


__all__ = [
    "DRY_RUN_HEADER",
    "URL_METHODS",
    "GraphQLRequest",
    "is_dry_run",
    "read_body",
    "read_graphql_request",
]
