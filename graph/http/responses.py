"""Writing the response: GraphQL payloads as JSON, with the status the media type implies.

Status codes follow the GraphQL-over-HTTP draft: with ``application/graphql-response+json``
a request error (nothing executed) is 400; with ``application/json`` every
well-formed request is answered 200, as legacy clients expect. HTTP-level failures
keep their own status and are written by ``graph.http.problems``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.responses import Response

from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.http.media import GRAPHQL_RESPONSE_JSON
from coopgraph.graph.limits import LimitExceeded


class RequestErrors(Exception):  # noqa: N818 - an answer, like HTTPProblem
    """A stage answers the request with GraphQL errors; nothing executes.

    Raised by any stage before execution (persisted queries, parsing, validation,
    operation selection, variables, limits); the endpoint writes it as a payload of
    ``errors`` alone.

    Args:
        errors: The formatted errors, each with ``extensions.code``.
        outcome: The requests metric's outcome: ``client_error`` or ``refused``.
    """

    def __init__(self, errors: list[dict[str, Any]], *, outcome: str = "client_error") -> None:
        super().__init__(errors[0]["message"] if errors else "")
        self.errors = errors
        self.outcome = outcome

    @classmethod
    def of(
        cls, errors: Iterable[GraphQLError], code: ErrorCode = ErrorCode.BAD_REQUEST
    ) -> RequestErrors:
        """graphql-core's errors, each given ``code``."""
        formatted = []
        for error in errors:
            entry: dict[str, Any] = dict(error.formatted)
            entry["extensions"] = {**(entry.get("extensions") or {}), "code": code}
            formatted.append(entry)
        return cls(formatted)

    @classmethod
    def refused(cls, refusal: LimitExceeded, request_id: str) -> RequestErrors:
        """A limit's refusal: what was measured against what, under the limit's code."""
        error = {
            "message": refusal.message,
            "extensions": {
                "code": refusal.code,
                "measured": refusal.measured,
                "limit": refusal.limit,
                "requestId": request_id,
            },
        }
        return cls([error], outcome="refused")


def json_response(payload: Mapping[str, Any], media_type: str) -> Response:
    """The payload as JSON in the negotiated media type."""
    # A request error (errors and no data: nothing executed) is 400 only for clients
    # that asked for the newer media type; legacy JSON clients expect 200.
    is_request_error = "errors" in payload and "data" not in payload
    status = 400 if media_type == GRAPHQL_RESPONSE_JSON and is_request_error else 200
    return Response(
        orjson.dumps(payload), status_code=status, media_type=f"{media_type}; charset=utf-8"
    )


def outcome_of(payload: Mapping[str, Any]) -> str:
    """The requests metric's outcome of an executed payload."""
    errors = payload.get("errors") or []
    codes = {error.get("extensions", {}).get("code") for error in errors}
    if ErrorCode.INTERNAL_SERVER_ERROR in codes:
        return "internal_error"
    return "client_error" if codes else "ok"


__all__ = ["RequestErrors", "json_response", "outcome_of"]
