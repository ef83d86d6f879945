"""HTTP-level failures, answered in the same ``{"errors": [...]}`` shape as GraphQL ones.

A client then needs one error parser for everything the endpoint says, and can
branch on ``extensions.code`` whether the request failed in HTTP or in GraphQL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus

from cross_web import HTTPException
from starlette.responses import Response

BAD_REQUEST = "BAD_REQUEST"
NOT_FOUND = "NOT_FOUND"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"

_CODES_BY_STATUS = {
    HTTPStatus.BAD_REQUEST: BAD_REQUEST,
    HTTPStatus.NOT_FOUND: NOT_FOUND,
    HTTPStatus.METHOD_NOT_ALLOWED: METHOD_NOT_ALLOWED,
    HTTPStatus.NOT_ACCEPTABLE: NOT_ACCEPTABLE,
    HTTPStatus.UNSUPPORTED_MEDIA_TYPE: UNSUPPORTED_MEDIA_TYPE,
    HTTPStatus.INTERNAL_SERVER_ERROR: INTERNAL_SERVER_ERROR,
}


class HTTPProblem(HTTPException):
    """A request refused before (or instead of) GraphQL execution.

    Subclasses Strawberry's own ``HTTPException`` so that the failures Strawberry
    raises (unparsable JSON, for one) and ours go through one handler.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, message)
        self.headers = dict(headers or {})


def problem_response(error: HTTPException, media_type: str) -> Response:
    """Render an HTTP failure as a GraphQL-shaped JSON response.

    Args:
        error: Ours or Strawberry's; its status picks the ``extensions.code``.
        media_type: The negotiated response type, so clients that asked for
            ``application/graphql-response+json`` get it on failures too.

    Returns:
        A response whose body is ``{"errors": [{"message", "extensions": {"code"}}]}``.
    """
    status = error.status_code
    code = _CODES_BY_STATUS.get(HTTPStatus(status), HTTPStatus(status).name)
    body = {"errors": [{"message": error.reason, "extensions": {"code": code}}]}
    headers = error.headers if isinstance(error, HTTPProblem) else {}
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status,
        headers=headers,
        media_type=f"{media_type}; charset=utf-8",
    )


__all__ = [
    "BAD_REQUEST",
    "INTERNAL_SERVER_ERROR",
    "METHOD_NOT_ALLOWED",
    "NOT_ACCEPTABLE",
    "NOT_FOUND",
    "UNSUPPORTED_MEDIA_TYPE",
    "HTTPProblem",
    "problem_response",
]
