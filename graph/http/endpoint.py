"""The GraphQL endpoint: GraphQL over HTTP, with the limits checked before execution.

The request pipeline is this project's own, in this order: HTTP checks (method,
Accept, Content-Type, body size), the document cache (token, depth, alias and list
limits, then validation, once per distinct document), operation selection, the cost
estimate, and only then execution through Strawberry's public ``Schema.execute``
under a timeout. Whatever executes a query later passes the same steps first.

Status codes follow the GraphQL-over-HTTP draft: with ``application/graphql-response+json``
a request error (nothing executed) is 400; with ``application/json`` every
well-formed request is answered 200, as legacy clients expect. HTTP-level failures
keep their own status (405, 406, 413, 415, 429, 503).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import traceback
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    build_schema,
    get_operation_ast,
)
from graphql.execution import get_variable_values
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.types.graphql import OperationType as StrawberryOperationType

from db.errors import is_database_unavailable, is_statement_timeout
from graph.caching import (
    PERSISTED_QUERY_NOT_FOUND,
    PersistedQueries,
    PersistedQueryError,
    PersistedQueryNotFound,
    Store,
    response_key,
)
from graph.caching.version import DataVersionSource
from graph.compiled import CompiledExecution
from graph.context import RequestContext
from graph.errors import (
    BAD_USER_INPUT,
    DATABASE_UNAVAILABLE,
    DATABASE_UNAVAILABLE_MESSAGE,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    INTERNAL_SERVER_ERROR,
    REQUEST_TIMEOUT,
    STATEMENT_TIMEOUT_MESSAGE,
)
from graph.http.documents import DocumentCache
from graph.http.media import GRAPHQL_RESPONSE_JSON, JSON, accepts_html, negotiate_response_type
from graph.http.metrics import DATABASE_ERRORS, LATENCY, REFUSALS, REQUESTS
from graph.http.middleware import request_id_of
from graph.http.problems import BAD_REQUEST, HTTPProblem, problem_response
from graph.http.request import GraphQLRequest, read_graphql_request
from graph.limits import (
    CostModel,
    CostModelSource,
    LimitExceeded,
    check_variable_lists,
    estimate_cost,
)
from graph.limits.refusal import COST_LIMIT_EXCEEDED
from graph.schema import CoopgraphSchema
from settings import Caching, Limits

log = logging.getLogger(__name__)

ContextFactory = Callable[[Request], Awaitable[RequestContext]]
"""Opens the per-request context (a database session and its loaders)."""

GraphiQLPage = Callable[[], str]
"""Returns the HTML served to browsers that open the endpoint."""

DRY_RUN_HEADER = "x-coopgraph-dry-run"
_COSTS_KEPT = 512
_RETRY_AFTER = {"Retry-After": "1"}


class GraphQLEndpoint:
    """The ASGI app behind ``/graphql``.

    Args:
        schema: The Strawberry schema; executed through its public ``execute``.
        limits: What one request may ask for.
        context_factory: Opens each request's context; the endpoint closes it.
        cost_models: The cost model of the data being served; its schema is the
            one documents are validated against (see ``validation_schema``).
        caching: How answers are cached, in the server and by HTTP caches.
        persisted: The persisted queries (APQ) clients registered.
        versions: The version of the data; part of every cache key and ETag.
        responses: Where answers are kept; None when the response cache is off.
        graphiql_page: HTML for browsers that open the endpoint; None answers 404.
        compiled: Answers the operations it can plan without Strawberry's executor;
            None runs every operation through the executor.
    """

    def __init__(
        self,
        schema: CoopgraphSchema,
        *,
        limits: Limits,
        context_factory: ContextFactory,
        cost_models: CostModelSource,
        caching: Caching,
        persisted: PersistedQueries,
        versions: DataVersionSource,
        responses: Store | None,
        graphiql_page: GraphiQLPage | None = None,
        compiled: CompiledExecution | None = None,
    ) -> None:
        self._schema = schema
        self._limits = limits
        self._caching = caching
        self._persisted = persisted
        self._versions = versions
        self._responses = responses
        self._context_factory = context_factory
        self._cost_models = cost_models
        self._graphiql_page = graphiql_page
        self._compiled = compiled
        self._documents = DocumentCache(cost_models.schema, limits)
        self._costs: OrderedDict[tuple[Any, ...], int] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        request_id = request_id_of(scope)
        media_type = negotiate_response_type(request.headers.get("accept")) or JSON
        started = time.perf_counter()
        try:
            response, outcome = await self._respond(request, request_id)
        except HTTPProblem as problem:
            response = problem_response(problem, media_type, request_id=request_id)
            outcome = _outcome_of_problem(problem)
            log.debug("request %s refused: %s %s", request_id, problem.code, problem.message)
        except Exception as error:
            _log_unexpected(request, request_id, [("(request)", error)])
            internal = HTTPProblem(500, "Internal server error", code=INTERNAL_SERVER_ERROR)
            response = problem_response(internal, media_type, request_id=request_id)
            outcome = "internal_error"
        requests, latency = _metrics_of(outcome)
        requests.inc()
        latency.observe(time.perf_counter() - started)
        await response(scope, receive, send)

    async def _respond(self, request: Request, request_id: str) -> tuple[Response, str]:
        if request.method not in ("GET", "POST"):
            raise HTTPProblem(
                405,
                f"GraphQL is served over GET and POST, not {request.method}.",
                headers={"Allow": "GET, POST"},
            )
        if (
            request.method == "GET"
            and "query" not in request.query_params
            and accepts_html(request.headers.get("accept"))
        ):
            if self._graphiql_page is None:
                raise HTTPProblem(404, "This endpoint serves no GraphiQL page; send a query.")
            return HTMLResponse(self._graphiql_page()), "ok"
        media_type = negotiate_response_type(request.headers.get("accept"))
        if media_type is None:
            raise HTTPProblem(
                406,
                f"Responses are available as {GRAPHQL_RESPONSE_JSON} or {JSON};"
                " the Accept header allows neither.",
            )
        graphql_request = await read_graphql_request(
            request, max_body_bytes=self._limits.max_body_bytes
        )
        try:
            query = await self._persisted.resolve(graphql_request.query, graphql_request.extensions)
        except PersistedQueryNotFound:
            # Apollo's clients recognise the answer by this message and code, and
            # retry with the query text.
            not_found = {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": PERSISTED_QUERY_NOT_FOUND},
            }
            return _json_response({"errors": [not_found]}, media_type), "client_error"
        except PersistedQueryError as malformed:
            raise HTTPProblem(400, str(malformed)) from malformed
        graphql_request = replace(graphql_request, query=query)
        key = await self._cache_key(request, graphql_request)
        if key is not None:
            cached = await self._cached(request, key, media_type)
            if cached is not None:
                return cached, "ok"
        try:
            payload = await self._run(request, request_id, graphql_request)
        except LimitExceeded as refusal:
            REFUSALS.labels(limit=refusal.name).inc()
            log.info(
                "request %s refused: %s (%d > %d)",
                request_id,
                refusal.code,
                refusal.measured,
                refusal.limit,
            )
            error = {
                "message": refusal.message,
                "extensions": {
                    "code": refusal.code,
                    "measured": refusal.measured,
                    "limit": refusal.limit,
                    "requestId": request_id,
                },
            }
            return _json_response({"errors": [error]}, media_type), "refused"
        response = _json_response(payload, media_type)
        if key is not None and "errors" not in payload and "data" in payload:
            if self._responses is not None:
                await self._responses.set(key, bytes(response.body))
            self._add_cache_headers(request, response, key)
        return response, _outcome_of(payload)

    async def _cache_key(self, request: Request, graphql_request: GraphQLRequest) -> str | None:
        """The key of the answer, or None when it is not to be cached.

        Dry runs are never cached; neither is anything while the data version cannot
        be read (the request then goes on to fail or succeed on its own).
        """
        if _is_dry_run(request, graphql_request) or graphql_request.query is None:
            return None
        if self._responses is None and request.method != "GET":
            return None
        try:
            version = await self._versions.current()
        except Exception as error:
            log.debug("data version unavailable, answering uncached: %s", error)
            return None
        return response_key(
            graphql_request.query,
            graphql_request.operation_name,
            graphql_request.variables,
            version,
        )

    async def _cached(self, request: Request, key: str, media_type: str) -> Response | None:
        if request.method == "GET" and _matches_etag(request.headers.get("if-none-match"), key):
            response = Response(status_code=304)
            self._add_cache_headers(request, response, key)
            return response
        if self._responses is None:
            return None
        body = await self._responses.get(key)
        if body is None:
            return None
        response = Response(body, media_type=f"{media_type}; charset=utf-8")
        response.headers["X-Coopgraph-Cache"] = "hit"
        self._add_cache_headers(request, response, key)
        return response

    def _add_cache_headers(self, request: Request, response: Response, key: str) -> None:
        if request.method != "GET":
            return
        # Strong: the same key is the same bytes, whichever process answers.
        response.headers["ETag"] = f'"{key}"'
        response.headers["Cache-Control"] = f"public, max-age={self._caching.http_max_age}"
        response.headers["Vary"] = "Accept"

    async def _run(  # noqa: PLR0911 - one early return per request error the spec names
        self, request: Request, request_id: str, graphql_request: GraphQLRequest
    ) -> dict[str, Any]:
        limits = self._limits
        query = graphql_request.query
        if query is None:  # pragma: no cover - resolved from persisted queries before
            raise HTTPProblem(400, "The request has no GraphQL query.")
        try:
            parsed = self._documents.get(query)
        except GraphQLSyntaxError as error:
            return _request_errors([error], GRAPHQL_PARSE_FAILED)
        operation = get_operation_ast(parsed.document, graphql_request.operation_name)
        if (
            request.method == "GET"
            and operation is not None
            and operation.operation is not OperationType.QUERY
        ):
            raise HTTPProblem(
                405,
                "Only queries can be sent over GET; send mutations as POST.",
                headers={"Allow": "POST"},
            )
        if parsed.errors:
            return _request_errors(parsed.errors, GRAPHQL_VALIDATION_FAILED)
        if operation is None:
            return _request_errors([_selection_error(parsed.document.definitions, graphql_request)])
        # The limits read the variables as execution will: with the operation's defaults
        # filled in, or a default list of a thousand IDs would pass as one.
        coerced = get_variable_values(
            self._cost_models.schema,
            operation.variable_definitions or (),
            graphql_request.variables or {},
            max_errors=10,
        )
        if isinstance(coerced, list):
            return _request_errors(coerced, BAD_USER_INPUT)
        variables = coerced.coerced
        check_variable_lists(variables, limits.max_list_items)
        model = await self._database_step(self._cost_models.current(), request_id, request)
        cost = self._estimate_cost(model, parsed.document, graphql_request, variables)
        extensions = {"cost": {"estimated": cost, "limit": limits.max_cost}}
        if _is_dry_run(request, graphql_request):
            return {"extensions": {**extensions, "dryRun": True}}
        await self._persisted.register(query, graphql_request.extensions)
        if self._compiled is not None:
            data = await self._execute_compiled(
                self._compiled,
                request,
                request_id,
                replace(graphql_request, query=query),
                parsed.document,
                operation,
            )
            if data is not None:
                return {"data": data, "extensions": {**extensions, "execution": "compiled"}}
        if cost > limits.max_standard_cost:
            # Strawberry's executor completes values between awaits that a timeout
            # cannot interrupt: its budget is what one core finishes in a few seconds.
            msg = (
                f"The query could return {cost:,} objects. It uses fields the compiled"
                " path does not plan (search, cross-references, totals, name filters,"
                f" introspection), whose executor allows {limits.max_standard_cost:,};"
                " ask for fewer levels or page with smaller `first` values."
            )
            raise LimitExceeded(
                COST_LIMIT_EXCEEDED, msg, measured=cost, limit=limits.max_standard_cost
            )
        return await self._execute(
            request, request_id, graphql_request, {**extensions, "execution": "standard"}
        )

    def _estimate_cost(
        self,
        model: CostModel,
        document: DocumentNode,
        graphql_request: GraphQLRequest,
        variables: dict[str, Any],
    ) -> int:
        """The estimate, walked once per model, document, operation and variables.

        The walk costs a tenth of a millisecond on the full tree, as much as serving
        a cached answer; requests repeat. A refusal is not kept: it raises again.
        The model is part of the key, so a refresh of the statistics walks afresh.
        The key holds the variables as sent (the document fixes their defaults); the
        walk reads them coerced, defaults filled in.
        """
        key = (
            model,
            graphql_request.query,
            graphql_request.operation_name,
            orjson.dumps(graphql_request.variables or {}, option=orjson.OPT_SORT_KEYS),
        )
        cost = self._costs.get(key)
        if cost is not None:
            self._costs.move_to_end(key)
            return cost
        cost = estimate_cost(
            model, document, graphql_request.operation_name, variables, limit=self._limits.max_cost
        )
        self._costs[key] = cost
        if len(self._costs) > _COSTS_KEPT:
            self._costs.popitem(last=False)
        return cost

    async def _execute_compiled(
        self,
        compiled: CompiledExecution,
        request: Request,
        request_id: str,
        graphql_request: GraphQLRequest,
        document: DocumentNode,
        operation: OperationDefinitionNode,
    ) -> dict[str, Any] | None:
        """The data of a planned operation; None sends the request to the standard path.

        Database failures answer 503 as on the standard path. Any other failure of the
        compiled path is logged and the standard path answers, so a planner bug costs
        speed, not an answer.
        """
        timeout = self._limits.request_timeout
        try:
            async with asyncio.timeout(timeout):
                return await compiled.execute(
                    graphql_request.query or "",
                    graphql_request.operation_name,
                    document,
                    operation,
                    graphql_request.variables,
                    deadline=time.monotonic() + timeout,
                )
        except TimeoutError:
            raise _timed_out(timeout) from None
        except Exception as error:
            if is_statement_timeout(error):
                DATABASE_ERRORS.labels(kind="timeout").inc()
                _log_unexpected(request, request_id, [("(compiled)", error)], level=logging.WARNING)
                raise HTTPProblem(
                    503, STATEMENT_TIMEOUT_MESSAGE, code=REQUEST_TIMEOUT, headers=_RETRY_AFTER
                ) from None
            if is_database_unavailable(error):
                DATABASE_ERRORS.labels(kind="unavailable").inc()
                _log_unexpected(request, request_id, [("(compiled)", error)], level=logging.WARNING)
                raise HTTPProblem(
                    503,
                    DATABASE_UNAVAILABLE_MESSAGE,
                    code=DATABASE_UNAVAILABLE,
                    headers=_RETRY_AFTER,
                ) from None
            _log_unexpected(request, request_id, [("(compiled)", error)])
            return None

    async def _execute(
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
            raise _timed_out(self._limits.request_timeout) from None
        finally:
            await context.aclose()
        errors = [error.formatted for error in result.errors or ()]
        codes = {error.get("extensions", {}).get("code") for error in errors}
        if context.unexpected:
            _log_unexpected(request, request_id, context.unexpected)
        if DATABASE_UNAVAILABLE in codes or REQUEST_TIMEOUT in codes:
            unavailable = DATABASE_UNAVAILABLE in codes
            DATABASE_ERRORS.labels(kind="unavailable" if unavailable else "timeout").inc()
            first = next(
                e
                for e in errors
                if e["extensions"]["code"] in {DATABASE_UNAVAILABLE, REQUEST_TIMEOUT}
            )
            raise HTTPProblem(
                503,
                first["message"],
                code=first["extensions"]["code"],
                headers=_RETRY_AFTER,
            )
        for error in errors:
            if error.get("extensions", {}).get("code") == INTERNAL_SERVER_ERROR:
                error["extensions"]["requestId"] = request_id
        payload: dict[str, Any] = {}
        if errors:
            payload["errors"] = errors
        if result.data is not None or any(error.get("path") for error in errors):
            payload["data"] = result.data
        payload["extensions"] = extensions
        return payload

    async def _database_step(self, step: Awaitable[Any], request_id: str, request: Request) -> Any:
        """Await a database read outside execution, answering 503 when the database is away."""
        try:
            return await step
        except Exception as error:
            if not is_database_unavailable(error):
                raise
            DATABASE_ERRORS.labels(kind="unavailable").inc()
            _log_unexpected(
                request, request_id, [("(cost statistics)", error)], level=logging.WARNING
            )
            raise HTTPProblem(
                503,
                "The database is not answering; try again shortly.",
                code=DATABASE_UNAVAILABLE,
                headers=_RETRY_AFTER,
            ) from None


@functools.cache
def _metrics_of(outcome: str) -> tuple[Any, Any]:
    """The request counter and latency histogram of an outcome, looked up once each.

    ``labels()`` takes a lock and builds a key on every call; the outcomes are a
    fixed handful of names.
    """
    return REQUESTS.labels(outcome=outcome), LATENCY.labels(outcome=outcome)


def validation_schema(schema: CoopgraphSchema) -> GraphQLSchema:
    """The graphql-core schema documents are validated against, built from the SDL.

    Built from the printed schema, Strawberry's public output, rather than from its
    internal graphql-core object: validation needs only the types.
    """
    return build_schema(schema.as_str())


def _timed_out(timeout: float) -> HTTPProblem:
    """The answer to a request cancelled at its timeout, on either execution path."""
    DATABASE_ERRORS.labels(kind="timeout").inc()
    return HTTPProblem(
        503,
        f"The request ran longer than {timeout:g} s and was cancelled; ask for less,"
        " or page through it.",
        code=REQUEST_TIMEOUT,
        headers=_RETRY_AFTER,
    )


def _matches_etag(if_none_match: str | None, key: str) -> bool:
    if not if_none_match:
        return False
    # "*" is not honoured: it would answer 304 for a query whose answer was never
    # given (one with errors is not cached), so only the answer's own tag matches.
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return f'"{key}"' in tags


def _is_dry_run(request: Request, graphql_request: GraphQLRequest) -> bool:
    if request.headers.get(DRY_RUN_HEADER, "").strip().lower() in {"1", "true", "yes"}:
        return True
    return bool((graphql_request.extensions or {}).get("dryRun") is True)


def _request_errors(errors: Iterable[GraphQLError], code: str = BAD_REQUEST) -> dict[str, Any]:
    formatted = []
    for error in errors:
        entry = error.formatted
        entry["extensions"] = {**(entry.get("extensions") or {}), "code": code}
        formatted.append(entry)
    return {"errors": formatted}


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


def _json_response(payload: Mapping[str, Any], media_type: str) -> Response:
    # A request error (errors and no data: nothing executed) is 400 only for clients
    # that asked for the newer media type; legacy JSON clients expect 200.
    is_request_error = "errors" in payload and "data" not in payload
    status = 400 if media_type == GRAPHQL_RESPONSE_JSON and is_request_error else 200
    return Response(
        orjson.dumps(payload), status_code=status, media_type=f"{media_type}; charset=utf-8"
    )


def _outcome_of(payload: Mapping[str, Any]) -> str:
    errors = payload.get("errors") or []
    codes = {error.get("extensions", {}).get("code") for error in errors}
    if INTERNAL_SERVER_ERROR in codes:
        return "internal_error"
    return "client_error" if codes else "ok"


def _outcome_of_problem(problem: HTTPProblem) -> str:
    if problem.status_code == 413:
        return "refused"
    if problem.code == REQUEST_TIMEOUT:
        return "timeout"
    if problem.code == DATABASE_UNAVAILABLE:
        return "database_unavailable"
    return "internal_error" if problem.status_code >= 500 else "client_error"


def _log_unexpected(
    request: Request,
    request_id: str,
    errors: Iterable[tuple[str, BaseException]],
    *,
    level: int = logging.ERROR,
) -> None:
    """One structured line for everything unexpected in one request, with its ID."""
    record = {
        "event": "unexpected_error",
        "requestId": request_id,
        "method": request.method,
        "path": request.url.path,
        "errors": [
            {
                "at": where,
                "type": f"{type(error).__module__}.{type(error).__qualname__}",
                "message": str(error),
                "traceback": "".join(traceback.format_exception(error)),
            }
            for where, error in errors
        ],
    }
    log.log(level, "%s", orjson.dumps(record).decode())


__all__ = ["ContextFactory", "GraphQLEndpoint", "GraphiQLPage", "validation_schema"]
