"""Errors resolvers raise, and the codes every GraphQL error leaves the API with.

Clients branch on ``extensions.code`` rather than on messages, so every error that
leaves the API carries one, and the set of codes is small and stable. Messages of
errors the code did not anticipate can carry internals (SQL, paths, secrets), so
those are replaced before they reach a client and kept only in the server log.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
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

    code: ClassVar[str]


# The names read as GraphQL codes do (BAD_USER_INPUT, NOT_FOUND) rather than carry
# an Error suffix, so that `raise NotFound(...)` in a resolver says what happened.
class BadUserInput(CoopgraphError):  # noqa: N818
    """The client sent a value the API cannot use (an out-of-range ``first``, a bad ID)."""

    code = BAD_USER_INPUT


class NotFound(CoopgraphError):  # noqa: N818
    """The client asked for something by ID that does not exist."""

    code = NOT_FOUND


__all__ = [
    "BAD_USER_INPUT",
    "DATABASE_UNAVAILABLE",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "INTERNAL_ERROR_MESSAGE",
    "INTERNAL_SERVER_ERROR",
    "NOT_FOUND",
    "REQUEST_TIMEOUT",
    "BadUserInput",
    "CoopgraphError",
    "NotFound",
    "UnexpectedErrorLog",
]
