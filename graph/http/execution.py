"""The execute stage: the compiled path when it plans the operation, else Strawberry's.

Both run under the request's deadline, which admission started. A database fault on
either path is the one 503 of ``graph.http.faults``; any other failure of the compiled
path is logged and the standard path answers, so a planner bug costs speed, not an
answer.

An operation that asks only about the schema (``__schema``, ``__type``,
``__typename``) needs no database, and its resolvers are synchronous: Strawberry's
executor runs it in a worker thread, since thirty aliases of the schema's types take
half a second of pure computation.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
)
from starlette.requests import Request
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from coopgraph.graph.compiled import CompiledExecution
from coopgraph.graph.context import RequestContext
from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.http.admission import Admitted
from coopgraph.graph.http.deadline import Deadline
from coopgraph.graph.http.faults import (
    DATABASE_FAULT_CODES,
    database_problem,
    log_unexpected,
    service_unavailable,
    timed_out,
)
from coopgraph.graph.http.identity import scope_identity
from coopgraph.graph.http.request import GraphQLRequest
from coopgraph.graph.http.threads import WorkerThreads
from coopgraph.graph.limits import LimitExceeded
from coopgraph.graph.schema import CoopgraphSchema
from coopgraph.settings import Limits

ContextFactory = Callable[[Request], Awaitable[RequestContext]]
"""Opens the per-request context (a database session and its loaders)."""


class Execution:
    """Run an admitted operation and return its payload.

    Args:
        schema: The Strawberry schema; executed through its public ``execute``.
        limits: The request timeout, and the cost the standard executor may take.
        context_factory: Opens each request's context; this stage closes it.
        compiled: Answers the operations it can plan without Strawberry's executor;
            None runs every operation through the executor.
        threads: Where operations that ask only about the schema run.
    """

    def __init__(
        self,
        schema: CoopgraphSchema,
        limits: Limits,
        context_factory: ContextFactory,
        compiled: CompiledExecution | None,
        threads: WorkerThreads,
    ) -> None:
        self._schema = schema
        self._limits = limits
        self._context_factory = context_factory
        self._compiled = compiled
        self._threads = threads

    async def execute(
        self,
        request: Request,
        request_id: str,
        graphql_request: GraphQLRequest,
        admitted: Admitted,
        extensions: dict[str, Any],
        deadline: Deadline,
    ) -> dict[str, Any]:
        """The payload: ``data``, ``errors`` when there are any, and ``extensions``.

        Raises:
            LimitExceeded: The operation needs the standard executor and costs more
                than it is allowed.
            HTTPProblem: 503 on a timeout or a database fault.
        """
        if self._compiled is not None:
            data = await self._execute_compiled(
                self._compiled, request, request_id, graphql_request, admitted, deadline
            )
            if data is not None:
                return {"data": data, "extensions": {**extensions, "execution": "compiled"}}
        limit = self._limits.max_standard_cost
        if admitted.cost > limit:
            # Strawberry's executor completes values between awaits that a timeout
            # cannot interrupt: its budget is what one core finishes in a few seconds.
            msg = (
                f"The query could return {admitted.cost:,} objects. It uses fields the"
                " compiled path does not plan (search, cross-references, totals, name"
                f" filters, introspection), whose executor allows {limit:,};"
                " ask for fewer levels or page with smaller `first` values."
            )
            raise LimitExceeded(
                ErrorCode.COST_LIMIT_EXCEEDED, msg, measured=admitted.cost, limit=limit
            )
        return await self._execute_standard(
            request,
            request_id,
            graphql_request,
            admitted,
            {**extensions, "execution": "standard"},
            deadline,
        )

    async def _execute_compiled(
        self,
        compiled: CompiledExecution,
        request: Request,
        request_id: str,
        graphql_request: GraphQLRequest,
        admitted: Admitted,
        deadline: Deadline,
    ) -> dict[str, Any] | None:
        """The data of a planned operation; None sends the request to the standard path."""
        try:
            async with deadline.scope():
                return await compiled.execute(
                    graphql_request.query or "",
                    graphql_request.operation_name,
                    admitted.document,
                    admitted.operation,
                    graphql_request.variables,
                    deadline=deadline.at,
                    run_step=functools.partial(
                        self._threads.run, client=scope_identity(request.scope)
                    ),
                )
        except TimeoutError:
            raise timed_out(deadline.timeout) from None
        except Exception as error:
            problem = database_problem(error)
            level = logging.ERROR if problem is None else logging.WARNING
            log_unexpected(request, request_id, [("(compiled)", error)], level=level)
            if problem is not None:
                raise problem from None
            return None

    async def _execute_standard(
        self,
        request: Request,
        request_id: str,
        graphql_request: GraphQLRequest,
        admitted: Admitted,
        extensions: dict[str, Any],
        deadline: Deadline,
    ) -> dict[str, Any]:
        context = await self._context_factory(request)
        try:
            async with deadline.scope():
                if _asks_only_about_the_schema(admitted):
                    # The schema's own resolvers read neither the database nor the
                    # context's loaders: nothing the thread touches is the loop's.
                    step = functools.partial(
                        self._schema.execute_sync,
                        graphql_request.query,
                        variable_values=graphql_request.variables,
                        context_value=context,
                        operation_name=graphql_request.operation_name,
                        allowed_operation_types=_QUERIES_ONLY,
                    )
                    result = await self._threads.run(step, client=scope_identity(request.scope))
                else:
                    result = await self._schema.execute(
                        graphql_request.query,
                        variable_values=graphql_request.variables,
                        context_value=context,
                        operation_name=graphql_request.operation_name,
                        allowed_operation_types=_QUERIES_ONLY,
                    )
        except TimeoutError:
            raise timed_out(deadline.timeout) from None
        finally:
            await context.aclose()
        if context.unexpected:
            log_unexpected(request, request_id, context.unexpected)
        return self._payload(request_id, result, extensions)

    def _payload(
        self, request_id: str, result: ExecutionResult, extensions: dict[str, Any]
    ) -> dict[str, Any]:
        """The payload of an executed result; a database fault among its errors is the 503."""
        errors = [error.formatted for error in result.errors or ()]
        # The executor masked the database's fault with its code (``ErrorCodes``); the
        # answer is the same 503 as where the endpoint meets the fault itself.
        fault = next(
            (e for e in errors if e.get("extensions", {}).get("code") in DATABASE_FAULT_CODES),
            None,
        )
        if fault is not None:
            raise service_unavailable(ErrorCode(fault["extensions"]["code"]), fault["message"])
        for error in errors:
            if error.get("extensions", {}).get("code") == ErrorCode.INTERNAL_SERVER_ERROR:
                error["extensions"]["requestId"] = request_id
        payload: dict[str, Any] = {}
        if errors:
            payload["errors"] = errors
        if result.data is not None or any(error.get("path") for error in errors):
            payload["data"] = result.data
        payload["extensions"] = extensions
        return payload


_QUERIES_ONLY = (StrawberryOperationType.QUERY,)


def _asks_only_about_the_schema(admitted: Admitted) -> bool:
    """Whether every root field of the operation is one of the schema's own (``__…``)."""
    fragments = {
        definition.name.value: definition
        for definition in admitted.document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    return _only_meta_fields(admitted.operation.selection_set.selections, fragments, set())


def _only_meta_fields(
    selections: Iterable[SelectionNode],
    fragments: dict[str, FragmentDefinitionNode],
    spread: set[str],
) -> bool:
    for selection in selections:
        if isinstance(selection, FieldNode):
            if not selection.name.value.startswith("__"):
                return False
        elif isinstance(selection, InlineFragmentNode):
            if not _only_meta_fields(selection.selection_set.selections, fragments, spread):
                return False
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            # Validation has refused cycles; each fragment is looked into once.
            if name in spread:
                continue
            spread.add(name)
            fragment = fragments.get(name)
            if fragment is None or not _only_meta_fields(
                fragment.selection_set.selections, fragments, spread
            ):
                return False
    return True


__all__ = ["ContextFactory", "Execution"]
