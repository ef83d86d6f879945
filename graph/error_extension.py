"""The schema extension that gives every GraphQL error a code and masks unexpected ones.

Apart from the errors and codes themselves (``graph.errors``), which compiled execution
raises too and so must not need Strawberry.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from coopgraph.graph.errors import (
    INTERNAL_ERROR_MESSAGE,
    CoopgraphError,
    ErrorCode,
    UnexpectedErrorLog,
    database_fault,
)


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


__all__ = ["ErrorCodes"]
