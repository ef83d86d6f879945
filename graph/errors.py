"""Errors resolvers raise, and the schema extension that gives every GraphQL error a code.

Clients branch on ``extensions.code`` rather than on messages, so every error that
leaves the API carries one, and the set of codes is small and stable. Messages of
errors the code did not anticipate can carry internals (SQL, paths, secrets), so
those are replaced before they reach a client and kept only in the server log.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import ClassVar, Protocol, runtime_checkable

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from db.errors import is_database_unavailable, is_statement_timeout


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
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    RATE_LIMITED = "RATE_LIMITED"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


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


class ErrorCodes(SchemaExtension):
    """Set ``extensions.code`` on every error of every result, and mask unexpected ones.

    Pass the class, not an instance, to ``strawberry.Schema(extensions=[...])``: it
    remembers which errors came from validation, which is per-operation state.

    Codes:
        ``GRAPHQL_PARSE_FAILED`` for syntax errors; ``GRAPHQL_VALIDATION_FAILED`` for
        errors from the validation phase; a ``CoopgraphError``'s own ``code``;
        ``BAD_USER_INPUT`` for graphql-core's variable and argument coercion errors
        (a resolver-raised ``GraphQLError`` keeps a ``code`` it already carries); and
        ``DATABASE_UNAVAILABLE`` and ``REQUEST_TIMEOUT`` when the database is away or
        cancelled a statement; and ``INTERNAL_SERVER_ERROR`` for any other exception,
        whose message is replaced. The originals of the last three go to the
        context's ``record_unexpected`` when it has one.
    """

    def __init__(self, *, execution_context: ExecutionContext | None = None) -> None:
        super().__init__(execution_context=execution_context)
        self._validation_error_ids: set[int] = set()

    def on_validate(self) -> Iterator[None]:
        yield
        # Validation errors carry no marker of their own (a failing custom scalar's
        # parse_literal even leaves its exception as original_error), so they are
        # recognised by having come out of this phase.
        errors = self.execution_context.pre_execution_errors or []
        self._validation_error_ids = {id(error) for error in errors}

    def on_operation(self) -> Iterator[None]:
        yield
        # The result is only final once the whole operation has run; extensions that
        # rewrite errors (this one included) must act here, not per phase.
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [self._with_code(error) for error in result.errors]

    def _with_code(self, error: GraphQLError) -> GraphQLError:
        if isinstance(error, GraphQLSyntaxError):
            return _set_code(error, ErrorCode.GRAPHQL_PARSE_FAILED)
        if id(error) in self._validation_error_ids:
            return _set_code(error, ErrorCode.GRAPHQL_VALIDATION_FAILED)
        cause = _root_cause(error)
        if isinstance(cause, CoopgraphError) and hasattr(cause, "code"):
            return _set_code(error, cause.code)
        fault = database_fault(cause) if cause is not None else None
        if cause is not None and fault is not None:
            self._record(error, cause)
            return _masked(error, *fault)
        # graphql-core reports coercion failures as GraphQLErrors it creates itself,
        # either bare or wrapping the scalar's exception; an arbitrary exception as
        # the direct cause means a resolver (or the engine) failed unexpectedly.
        if error.original_error is None or isinstance(error.original_error, GraphQLError):
            code = (error.extensions or {}).get("code") or ErrorCode.BAD_USER_INPUT
            return _set_code(error, code)
        self._record(error, error.original_error)
        return _masked(error, ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE)

    def _record(self, error: GraphQLError, original: BaseException) -> None:
        context = self.execution_context.context
        if isinstance(context, UnexpectedErrorLog):
            where = ".".join(str(key) for key in error.path) if error.path else "(no path)"
            context.record_unexpected(where, original)


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


def _root_cause(error: GraphQLError) -> BaseException | None:
    """Follow graphql-core's wrapping (located errors, coercion prefixes) to the cause."""
    cause: BaseException | None = error.original_error
    while isinstance(cause, GraphQLError) and cause.original_error is not None:
        cause = cause.original_error
    return cause


def _set_code(error: GraphQLError, code: object) -> GraphQLError:
    # A fresh dict: graphql-core may share the extensions mapping with the
    # exception it wrapped, which must not change under the raiser's feet.
    error.extensions = {**(error.extensions or {}), "code": code}
    return error


def _masked(error: GraphQLError, code: str, message: str) -> GraphQLError:
    # A new error rather than an edited one, so nothing downstream can reach the
    # original message through original_error or the exception chain.
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code},
    )


__all__ = [
    "DATABASE_UNAVAILABLE_MESSAGE",
    "INTERNAL_ERROR_MESSAGE",
    "STATEMENT_TIMEOUT_MESSAGE",
    "BadUserInput",
    "CoopgraphError",
    "ErrorCode",
    "ErrorCodes",
    "NotFound",
    "UnexpectedErrorLog",
    "database_fault",
]
