"""HTTP-level failures, answered in the same ``{"errors": [...]}`` shape as GraphQL ones.

A client then needs one error parser for everything the server says, and can
branch on ``extensions.code`` whether the request failed in HTTP or in GraphQL. The
endpoint raises ``HTTPProblem``; every other route and layer (an unknown path, a
method a route does not take, a static file that is not there, a fault outside the
endpoint) reaches the same writer through the app's exception handlers
(``EXCEPTION_HANDLERS``), so no error leaves the server as Starlette's plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.http.media import JSON, negotiate_response_type
from coopgraph.graph.http.middleware import REQUEST_ID_HEADER, request_id_of

_CODES_BY_STATUS = {
    HTTPStatus.BAD_REQUEST: ErrorCode.BAD_REQUEST,
    HTTPStatus.NOT_FOUND: ErrorCode.NOT_FOUND,
    HTTPStatus.METHOD_NOT_ALLOWED: ErrorCode.METHOD_NOT_ALLOWED,
    HTTPStatus.NOT_ACCEPTABLE: ErrorCode.NOT_ACCEPTABLE,
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: ErrorCode.PAYLOAD_TOO_LARGE,
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    HTTPStatus.TOO_MANY_REQUESTS: ErrorCode.RATE_LIMITED,
    HTTPStatus.INTERNAL_SERVER_ERROR: ErrorCode.INTERNAL_SERVER_ERROR,
    HTTPStatus.SERVICE_UNAVAILABLE: ErrorCode.DATABASE_UNAVAILABLE,
}


def code_of_status(status_code: int) -> ErrorCode:
    """The ``extensions.code`` of a status; the class's general code for one not listed.

    Statuses outside the list come only from Starlette's own routes (a static file
    the process may not read answers 401).
    """
    code = _CODES_BY_STATUS.get(HTTPStatus(status_code))
    if code is not None:
        return code
    return ErrorCode.INTERNAL_SERVER_ERROR if status_code >= 500 else ErrorCode.BAD_REQUEST


class HTTPProblem(Exception):  # noqa: N818 - a problem answer (RFC 9457), not a fault
    """A request refused before (or instead of) GraphQL execution.

    Args:
        status_code: The HTTP status.
        message: For people: what was wrong and what to send instead.
        code: The ``extensions.code``; by default the one for the status (every
            status the endpoint answers has one).
        headers: Extra response headers (``Allow``, ``Retry-After``).
        extensions: More members of the error's ``extensions``.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        code: ErrorCode | None = None,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.code = code or code_of_status(status_code)
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})


def problem_response(
    problem: HTTPProblem, media_type: str, *, request_id: str | None = None
) -> Response:
    """Render an HTTP failure as a GraphQL-shaped JSON response.

    Args:
        problem: What went wrong; its status and code are the response's.
        media_type: The negotiated response type, so clients that asked for
            ``application/graphql-response+json`` get it on failures too.
        request_id: Quoted in the error, so a report can be matched to the log.

    Returns:
        A response whose body is ``{"errors": [{"message", "extensions": {"code"}}]}``.
    """
    extensions: dict[str, Any] = {"code": problem.code, **problem.extensions}
    if request_id is not None:
        extensions["requestId"] = request_id
    body = {"errors": [{"message": problem.message, "extensions": extensions}]}
    return Response(
        orjson.dumps(body),
        status_code=problem.status_code,
        headers=problem.headers,
        media_type=f"{media_type}; charset=utf-8",
    )


def problem_type(request: Request) -> str:
    """The media type a refusal is written in: the negotiated one, JSON when none is."""
    return negotiate_response_type(request.headers.get("accept")) or JSON


async def http_exception_response(request: Request, error: Exception) -> Response:
    """Starlette's ``HTTPException`` (unknown path, method, static file) in the envelope."""
    if not isinstance(error, HTTPException):  # pragma: no cover - registered for it only
        raise error
    problem = HTTPProblem(
        error.status_code,
        _message_of(request, error),
        headers=error.headers,
    )
    return problem_response(problem, problem_type(request), request_id=request_id_of(request.scope))


async def internal_error_response(request: Request, _error: Exception) -> Response:
    """A fault outside the endpoint: the masked 500 in the envelope.

    Starlette's outermost layer calls this, outside the request-ID middleware, so the
    response carries the ID itself; the same layer then re-raises the error for the
    server to log with its traceback.
    """
    request_id = request_id_of(request.scope)
    problem = HTTPProblem(500, "Internal server error", headers={REQUEST_ID_HEADER: request_id})
    return problem_response(problem, problem_type(request), request_id=request_id)


#: For ``Starlette(exception_handlers=...)``: every error the app writes is the envelope.
EXCEPTION_HANDLERS = {
    HTTPException: http_exception_response,
    Exception: internal_error_response,
}


#: The longest path quoted back in a message; the client sent it, and a 16 KB path
#: need not come back 16 KB long.
_QUOTED_PATH = 80


def _message_of(request: Request, error: HTTPException) -> str:
    path = request.url.path
    if len(path) > _QUOTED_PATH:
        path = path[:_QUOTED_PATH] + "…"
    if error.status_code == HTTPStatus.NOT_FOUND:
        return f"Nothing is served at {path}; the GraphQL API is at /graphql."
    if error.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        allowed = (error.headers or {}).get("Allow")
        if allowed:
            return f"{path} is served over {allowed}, not {request.method}."
        return f"{path} is not served over {request.method}."
    return error.detail


__all__ = [
    "EXCEPTION_HANDLERS",
    "HTTPProblem",
    "code_of_status",
    "problem_response",
    "problem_type",
]
