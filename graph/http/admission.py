"""The limits stage: parse, check and validate the document, pick the operation, cost it.

Every step here runs before anything executes, in the order of what it costs: the
document cache (token, depth, alias and list limits, then validation, once per
distinct document), operation selection, variable coercion and list sizes, and the
cost estimate against the statistics of the data served. Whatever executes a query
passes these steps first.

The steps that can take long on a new document (parsing, validation, the cost walk)
run in worker threads, and the whole stage runs under the request's deadline, which
execution then shares.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from cachetools import LRUCache
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.execution import get_variable_values
from starlette.requests import Request

from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.http.deadline import Deadline
from coopgraph.graph.http.documents import DocumentCache
from coopgraph.graph.http.faults import database_problem, log_unexpected, timed_out
from coopgraph.graph.http.identity import scope_identity
from coopgraph.graph.http.problems import HTTPProblem
from coopgraph.graph.http.request import URL_METHODS, GraphQLRequest
from coopgraph.graph.http.responses import RequestErrors
from coopgraph.graph.http.threads import WorkerThreads
from coopgraph.graph.limits import CostModel, CostModelSource, check_variable_lists, estimate_cost
from coopgraph.settings import Limits

#: Estimates kept: requests repeat, and a walk of the full tree costs a tenth of a
#: millisecond, as much as serving a cached answer. Keys are digests, so an entry is a
#: few hundred bytes whatever the document and variables weigh.
_COSTS_KEPT = 512


@dataclass(frozen=True, slots=True)
class Admitted:
    """An operation that passed every check before execution."""

    document: DocumentNode
    operation: OperationDefinitionNode
    #: The variables coerced, the operation's defaults filled in.
    variables: dict[str, Any]
    cost: int


class Admission:
    """Check a request against the limits, and estimate what it costs.

    Args:
        cost_models: The cost model of the data served; its schema is the one
            documents are validated against.
        limits: What one request may ask for.
        threads: Where new documents are parsed, validated and costed.
    """

    def __init__(
        self, cost_models: CostModelSource, limits: Limits, threads: WorkerThreads
    ) -> None:
        self._cost_models = cost_models
        self._limits = limits
        self._threads = threads
        self._documents = DocumentCache(cost_models.schema, limits, threads)
        self._costs: LRUCache[tuple[Any, ...], int] = LRUCache(maxsize=_COSTS_KEPT)

    async def admit(
        self,
        request: Request,
        request_id: str,
        graphql_request: GraphQLRequest,
        deadline: Deadline,
    ) -> Admitted:
        """The checked operation of the request.

        Raises:
            RequestErrors: The document does not parse or validate, names no
                operation to run, or its variables do not coerce.
            LimitExceeded: Over a limit (tokens, depth, aliases, lists, cost).
            HTTPProblem: 405 for a mutation over GET; 503 when the statistics
                cannot be read, or when the deadline passes.
        """
        try:
            async with deadline.scope():
                return await self._admit(request, request_id, graphql_request)
        except TimeoutError:
            # The time went to analysing the document, not to the database.
            raise timed_out(deadline.timeout, database=False) from None

    async def _admit(
        self, request: Request, request_id: str, graphql_request: GraphQLRequest
    ) -> Admitted:
        query = graphql_request.query
        if query is None:  # pragma: no cover - resolved from persisted queries before
            raise HTTPProblem(400, "The request has no GraphQL query.")
        try:
            parsed = await self._documents.get(query, scope_identity(request.scope))
        except GraphQLSyntaxError as error:
            raise RequestErrors.of([error], ErrorCode.GRAPHQL_PARSE_FAILED) from None
        operation = get_operation_ast(parsed.document, graphql_request.operation_name)
        if (
            request.method in URL_METHODS
            and operation is not None
            and operation.operation is not OperationType.QUERY
        ):
            raise HTTPProblem(
                405,
                "Only queries can be sent over GET; send mutations as POST.",
                headers={"Allow": "POST"},
            )
        if parsed.errors:
            raise RequestErrors.of(parsed.errors, ErrorCode.GRAPHQL_VALIDATION_FAILED)
        if operation is None:
            raise RequestErrors.of([_selection_error(parsed.document.definitions, graphql_request)])
        # The limits read the variables as execution will: with the operation's defaults
        # filled in, or a default list of a thousand IDs would pass as one.
        coerced = get_variable_values(
            self._cost_models.schema,
            operation.variable_definitions or (),
            graphql_request.variables or {},
            max_errors=10,
        )
        if isinstance(coerced, list):
            raise RequestErrors.of(coerced, ErrorCode.BAD_USER_INPUT)
        variables = coerced.coerced
        check_variable_lists(variables, self._limits.max_list_items)
        model = await self._cost_model(request, request_id)
        cost = await self._estimate(
            model, parsed.document, graphql_request, variables, scope_identity(request.scope)
        )
        return Admitted(parsed.document, operation, variables, cost)

    async def _cost_model(self, request: Request, request_id: str) -> CostModel:
        """The statistics of the data, read outside execution: 503 when the database is away."""
        try:
            return await self._cost_models.current()
        except Exception as error:
            problem = database_problem(error)
            if problem is None:
                raise
            log_unexpected(
                request, request_id, [("(cost statistics)", error)], level=logging.WARNING
            )
            raise problem from None

    async def _estimate(
        self,
        model: CostModel,
        document: DocumentNode,
        graphql_request: GraphQLRequest,
        variables: dict[str, Any],
        client: str,
    ) -> int:
        """The estimate, walked once per model, document, operation and variables.

        A refusal is not kept: it raises again. The model is part of the key, so a
        refresh of the statistics walks afresh. The key holds a digest of the text
        and of the variables as sent (the document fixes their defaults), not the
        texts, which may be 64 KB each; the walk reads them coerced, defaults filled
        in. A new estimate is walked in a worker thread: fragments spread
        into each other can make the walk tens of thousands of selections long.
        """
        text = (graphql_request.query or "").encode()
        sent = hashlib.sha256(len(text).to_bytes(8, "big") + text)
        sent.update(orjson.dumps(graphql_request.variables or {}, option=orjson.OPT_SORT_KEYS))
        key = (model, sent.digest(), graphql_request.operation_name)
        cost = self._costs.get(key)
        if cost is None:
            cost = await self._threads.run(
                functools.partial(
                    estimate_cost,
                    model,
                    document,
                    graphql_request.operation_name,
                    variables,
                    limit=self._limits.max_cost,
                ),
                client=client,
            )
            self._costs[key] = cost
        return cost


def _selection_error(
    definitions: Iterable[object], graphql_request: GraphQLRequest
) -> GraphQLError:
    names = [
        d.name.value
        for d in definitions
        if isinstance(d, OperationDefinitionNode) and d.name is not None
    ]
    if graphql_request.operation_name is not None:
        known = ", ".join(names) or "none"
        return GraphQLError(
            f"The document has no operation named '{graphql_request.operation_name}'"
            f" (it has: {known})."
        )
    if not any(isinstance(d, OperationDefinitionNode) for d in definitions):
        return GraphQLError("The document has no operation to execute.")
    return GraphQLError(
        "The document has several operations; name the one to run in operationName."
    )


__all__ = ["Admission", "Admitted"]
