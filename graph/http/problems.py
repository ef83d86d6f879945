"""HTTP-level failures, answered in the same ``{"errors": [...]}`` shape as GraphQL ones.

A client then needs one error parser for everything the endpoint says, and can
branch on ``extensions.code`` whether the request failed in HTTP or in GraphQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import orjson
from starlette.responses import Response

from graph.errors import ErrorCode

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
        self.code = code or _CODES_BY_STATUS[HTTPStatus(status_code)]
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


__all__ = ["HTTPProblem", "problem_response"]
