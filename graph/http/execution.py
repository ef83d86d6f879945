"""The execute stage: the compiled path when it plans the operation, else Strawberry's.

Both run under the request's timeout. A database fault on either path is the one 503
of ``graph.http.faults``; any other failure of the compiled path is logged and the
standard path answers, so a planner bug costs speed, not an answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from strawberry.types.graphql import OperationType as StrawberryOperationType

from graph.compiled import CompiledExecution
from graph.context import RequestContext
from graph.errors import ErrorCode
from graph.http.admission import Admitted
from graph.http.faults import (
    DATABASE_FAULT_CODES,
    database_problem,
    log_unexpected,
    service_unavailable,
    timed_out,
)
from graph.http.request import GraphQLRequest
from graph.limits import LimitExceeded
from graph.schema import CoopgraphSchema
from settings import Limits

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
    """

    def __init__(
        self,
        schema: CoopgraphSchema,
        limits: Limits,
        context_factory: ContextFactory,
        compiled: CompiledExecution | None,
    ) -> None:
        self._schema = schema
        self._limits = limits
        self._context_factory = context_factory
        self._compiled = compiled

    async def execute(
        self,
        request: Request,
        request_id: str,
        graphql_request: GraphQLRequest,
        admitted: Admitted,
        extensions: dict[str, Any],
    ) -> dict[str, Any]:
        """The payload: ``data``, ``errors`` when there are any, and ``extensions``.

        Raises:
            LimitExceeded: The operation needs the standard executor and costs more
                than it is allowed.
            HTTPProblem: 503 on a timeout or a database fault.
        """
        if self._compiled is not None:
            data = await self._execute_compiled(
                self._compiled, request, request_id, graphql_request, admitted
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
            request, request_id, graphql_request, {**extensions, "execution": "standard"}
        )

    async def _execute_compiled(
        self,
        compiled: CompiledExecution,
        request: Request,
        request_id: str,
        graphql_request: GraphQLRequest,
        admitted: Admitted,
    ) -> dict[str, Any] | None:
        """The data of a planned operation; None sends the request to the standard path."""
        timeout = self._limits.request_timeout
        try:
            async with asyncio.timeout(timeout):
                return await compiled.execute(
                    graphql_request.query or "",
                    graphql_request.operation_name,
                    admitted.document,
                    admitted.operation,
                    graphql_request.variables,
                    deadline=time.monotonic() + timeout,
                )
        except TimeoutError:
            raise timed_out(timeout) from None
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
        extensions: dict[str, Any],
    ) -> dict[str, Any]:
        context = await self._context_factory(request)
        try:
            async with asyncio.timeout(self._limits.request_timeout):
                result = await self._schema.execute(
                    graphql_request.query,
                    variable_values=graphql_request.variables,
                    context_value=context,
                    operation_name=graphql_request.operation_name,
                    allowed_operation_types=(StrawberryOperationType.QUERY,),
                )
        except TimeoutError:
            raise timed_out(self._limits.request_timeout) from None
        finally:
            await context.aclose()
        errors = [error.formatted for error in result.errors or ()]
        if context.unexpected:
            log_unexpected(request, request_id, context.unexpected)
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


__all__ = ["ContextFactory", "Execution"]
