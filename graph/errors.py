"""The error codes of the API, and the errors resolvers and argument checks raise.

Clients branch on ``extensions.code`` rather than on messages, so every error that
leaves the API carries one, and the set of codes is small and stable. The schema
extension that sets the codes is ``graph.error_codes``; this module stays free of
Strawberry, so the compiled path, which runs without it, shares the argument checks.
"""

from __future__ import annotations

from typing import ClassVar

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
]
