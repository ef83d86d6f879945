"""Errors resolvers raise, the codes every error carries, and how database faults read.

Clients branch on ``extensions.code`` rather than on messages, so every error that
leaves the API carries one, and the set of codes is small and stable. The schema
extension that sets the codes is ``graph.error_extension``; this module stays free of
Strawberry, so the compiled path, which runs without it, raises the same errors.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Protocol, runtime_checkable

from coopgraph.db.errors import is_database_unavailable, is_statement_timeout


class ErrorCode(StrEnum):
    """Every ``extensions.code`` the API answers with, HTTP-level and GraphQL alike.

    Defined here once, so a code is spelled in one place and the README's table can
    be checked against this list. A ``StrEnum``, so a member is the string clients
    see, in JSON and in comparisons.
    """

    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BAD_REQUEST = "BAD_REQUEST"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"
    DEPTH_LIMIT_EXCEEDED = "DEPTH_LIMIT_EXCEEDED"
    ALIAS_LIMIT_EXCEEDED = "ALIAS_LIMIT_EXCEEDED"
    TOKEN_LIMIT_EXCEEDED = "TOKEN_LIMIT_EXCEEDED"  # noqa: S105 - an error code, not a secret
    LIST_LIMIT_EXCEEDED = "LIST_LIMIT_EXCEEDED"
    FIELD_LIMIT_EXCEEDED = "FIELD_LIMIT_EXCEEDED"
    INTROSPECTION_LIMIT_EXCEEDED = "INTROSPECTION_LIMIT_EXCEEDED"
    JSON_DEPTH_LIMIT_EXCEEDED = "JSON_DEPTH_LIMIT_EXCEEDED"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    RATE_LIMITED = "RATE_LIMITED"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    # Written by the front proxy (deploy/haproxy), which answers before the app does.
    REQUEST_HEADERS_TOO_LARGE = "REQUEST_HEADERS_TOO_LARGE"
    TOO_MANY_CONNECTIONS = "TOO_MANY_CONNECTIONS"
    SERVER_UNAVAILABLE = "SERVER_UNAVAILABLE"


INTERNAL_ERROR_MESSAGE = "Internal server error"
DATABASE_UNAVAILABLE_MESSAGE = "The database is not answering; try again shortly."
STATEMENT_TIMEOUT_MESSAGE = "A database statement ran past its time limit."


@runtime_checkable
class UnexpectedErrorLog(Protocol):
    """A request context that keeps the unexpected errors of its request.

    Masked errors must still reach the server log, once, with the request's ID; the
    HTTP layer knows the ID and writes the line, so the extension only hands the
    originals over.
    """

    def record_unexpected(self, where: str, error: BaseException) -> None: ...


class CoopgraphError(Exception):
    """An anticipated failure whose message is written for API clients.

    Raise a subclass, not this class: the subclass's ``code`` is what clients match
    on, and raising the base would leave the error without an agreed code.
    """

    code: ClassVar[ErrorCode]


# The names read as GraphQL codes do (BAD_USER_INPUT, NOT_FOUND) rather than carry
# an Error suffix, so that `raise NotFound(...)` in a resolver says what happened.
class BadUserInput(CoopgraphError):  # noqa: N818
    """The client sent a value the API cannot use (an out-of-range ``first``, a bad ID)."""

    code = ErrorCode.BAD_USER_INPUT


class NotFound(CoopgraphError):  # noqa: N818
    """The client asked for something by ID that does not exist."""

    code = ErrorCode.NOT_FOUND


def database_fault(error: BaseException) -> tuple[ErrorCode, str] | None:
    """The code and message of a database fault, or None when ``error`` is not one.

    The one reading of a database error for clients, shared by the executor's errors
    and the HTTP layer's 503: a database that is away, or a statement it cancelled.
    """
    if is_database_unavailable(error):
        return ErrorCode.DATABASE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE
    if is_statement_timeout(error):
        return ErrorCode.REQUEST_TIMEOUT, STATEMENT_TIMEOUT_MESSAGE
    return None


__all__ = [
    "DATABASE_UNAVAILABLE_MESSAGE",
    "INTERNAL_ERROR_MESSAGE",
    "STATEMENT_TIMEOUT_MESSAGE",
    "BadUserInput",
    "CoopgraphError",
    "ErrorCode",
    "NotFound",
    "UnexpectedErrorLog",
    "database_fault",
]
