"""The GraphQL endpoint: GraphQL over HTTP, as a pipeline of stages.

Each stage is a module of this package, run in this order:

1. ``negotiation``: the method, GraphiQL for browsers, the response media type.
2. ``request``: the GraphQL parameters from the URL or a bounded JSON body.
3. ``persisted``: the query text of a request that sends only its hash (APQ).
4. ``answers``: an answer kept in the server, or 304 for an ETag the client holds.
5. ``admission``: the limits, validation, operation selection, variables and cost.
6. ``execution``: the compiled path or Strawberry's executor, under a timeout.
7. ``responses``: the payload as JSON, with the status the media type implies.

A stage refuses by raising: ``HTTPProblem`` for an HTTP-level failure (written by
``problems``), ``RequestErrors`` for GraphQL errors before execution, and
``LimitExceeded`` for a limit. This module only runs the stages, and counts and logs
each request's outcome.

A client that closes its connection before its body has arrived is not a fault: it
is counted as ``client_disconnected`` and logged at DEBUG, and nothing is written to
the connection it left. Admission and execution share one deadline, the request
timeout, from the moment the body has been read.
"""

from __future__ import annotations

import functools
import logging
import time
from typing import Any

from graphql import GraphQLSchema, build_schema
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from coopgraph.graph.caching import PersistedQueries, Store
from coopgraph.graph.caching.version import DataVersionSource
from coopgraph.graph.compiled import CompiledExecution
from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.http.admission import Admission
from coopgraph.graph.http.answers import CachedAnswers
from coopgraph.graph.http.deadline import Deadline
from coopgraph.graph.http.execution import ContextFactory, Execution
from coopgraph.graph.http.faults import log_unexpected
from coopgraph.graph.http.identity import scope_identity
from coopgraph.graph.http.metrics import LATENCY, REFUSALS, REQUESTS
from coopgraph.graph.http.middleware import request_id_of
from coopgraph.graph.http.negotiation import (
    GraphiQLPage,
    check_method,
    graphiql_response,
    response_type,
)
from coopgraph.graph.http.persisted import resolve_persisted
from coopgraph.graph.http.problems import HTTPProblem, problem_response, problem_type
from coopgraph.graph.http.request import GraphQLRequest, is_dry_run, read_graphql_request
from coopgraph.graph.http.responses import RequestErrors, json_response, outcome_of
from coopgraph.graph.http.threads import WorkerThreads
from coopgraph.graph.limits import CostModelSource, LimitExceeded
from coopgraph.graph.schema import CoopgraphSchema
from coopgraph.settings import Caching, Limits

log = logging.getLogger(__name__)


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
        self._limits = limits
        self._persisted = persisted
        self._graphiql_page = graphiql_page
        self._answers = CachedAnswers(caching, versions, responses)
        threads = WorkerThreads(limits.analysis_threads)
        self._admission = Admission(cost_models, limits, threads)
        self._execution = Execution(schema, limits, context_factory, compiled, threads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        request_id = request_id_of(scope)
        started = time.perf_counter()
        try:
            response, outcome = await self._respond(request, request_id)
        except ClientDisconnect:
            # Nobody is left to answer, and nothing failed on this side.
            log.debug("request %s: the client went away before its body arrived", request_id)
            _count("client_disconnected", started)
            return
        except HTTPProblem as problem:
            response = problem_response(problem, problem_type(request), request_id=request_id)
            outcome = _outcome_of_problem(problem)
            log.debug("request %s refused: %s %s", request_id, problem.code, problem.message)
        except Exception as error:
            log_unexpected(request, request_id, [("(request)", error)])
            internal = HTTPProblem(500, "Internal server error")
            response = problem_response(internal, problem_type(request), request_id=request_id)
            outcome = "internal_error"
        # Every answer here depends on Accept: its media type, and GraphiQL's page.
        response.headers["Vary"] = "Accept"
        _count(outcome, started)
        await response(scope, receive, send)

    async def _respond(self, request: Request, request_id: str) -> tuple[Response, str]:
        check_method(request)
        page = graphiql_response(request, self._graphiql_page)
        if page is not None:
            return page, "ok"
        media_type = response_type(request)
        try:
            return await self._answer(request, request_id, media_type)
        except RequestErrors as refused:
            return json_response({"errors": refused.errors}, media_type), refused.outcome
        except LimitExceeded as refusal:
            REFUSALS.labels(limit=refusal.name).inc()
            log.info(
                "request %s refused: %s (%d > %d)",
                request_id,
                refusal.code,
                refusal.measured,
                refusal.limit,
            )
            answer = RequestErrors.refused(refusal, request_id)
            return json_response({"errors": answer.errors}, media_type), answer.outcome

    async def _answer(
        self, request: Request, request_id: str, media_type: str
    ) -> tuple[Response, str]:
        graphql_request = await read_graphql_request(
            request,
            max_body_bytes=self._limits.max_body_bytes,
            max_json_depth=self._limits.max_json_depth,
        )
        # Only a request that carries its text can register it; one that named its
        # query by hash found it registered, and checking again would cost a store read.
        registers = graphql_request.query is not None
        graphql_request = await resolve_persisted(self._persisted, graphql_request)
        dry_run = is_dry_run(request, graphql_request)
        key = None if dry_run else await self._answers.key(request, graphql_request)
        if key is not None:
            cached = await self._answers.lookup(request, key, media_type)
            if cached is not None:
                # The text was admitted when this answer was kept. An Apollo client that
                # retries a hash with its query must find the hash registered next time,
                # or it would send the whole text forever for exactly the popular queries.
                if registers:
                    await self._register(request, graphql_request)
                return cached, "ok"
        payload = await self._run(
            request, request_id, graphql_request, dry_run=dry_run, registers=registers
        )
        response = json_response(payload, media_type)
        if key is not None and "errors" not in payload and "data" in payload:
            await self._answers.keep(request, response, key, media_type)
        return response, outcome_of(payload)

    async def _run(
        self,
        request: Request,
        request_id: str,
        graphql_request: GraphQLRequest,
        *,
        dry_run: bool,
        registers: bool,
    ) -> dict[str, Any]:
        deadline = Deadline.after(self._limits.request_timeout)
        admitted = await self._admission.admit(request, request_id, graphql_request, deadline)
        extensions = {"cost": {"estimated": admitted.cost, "limit": self._limits.max_cost}}
        if dry_run:
            return {"extensions": {**extensions, "dryRun": True}}
        if registers:
            await self._register(request, graphql_request)
        return await self._execution.execute(
            request, request_id, graphql_request, admitted, extensions, deadline
        )

    async def _register(self, request: Request, graphql_request: GraphQLRequest) -> None:
        """Keep the query under the hash the client sent with it, if it sent one."""
        await self._persisted.register(
            graphql_request.query or "", graphql_request.extensions, scope_identity(request.scope)
        )


def _count(outcome: str, started: float) -> None:
    requests, latency = _metrics_of(outcome)
    requests.inc()
    latency.observe(time.perf_counter() - started)


@functools.cache
def _metrics_of(outcome: str) -> tuple[Any, Any]:
    """The request counter and latency histogram of an outcome, looked up once each.

    ``labels()`` takes a lock and builds a key on every call; the outcomes are a
    fixed handful of names.
    """
    return REQUESTS.labels(outcome=outcome), LATENCY.labels(outcome=outcome)


def _outcome_of_problem(problem: HTTPProblem) -> str:
    if problem.status_code == 413:
        return "refused"
    if problem.code == ErrorCode.REQUEST_TIMEOUT:
        return "timeout"
    if problem.code == ErrorCode.DATABASE_UNAVAILABLE:
        return "database_unavailable"
    return "internal_error" if problem.status_code >= 500 else "client_error"


def validation_schema(schema: CoopgraphSchema) -> GraphQLSchema:
    """The graphql-core schema documents are validated against, built from the SDL.

    Built from the printed schema, Strawberry's public output, rather than from its
    internal graphql-core object: validation needs only the types.
    """
    return build_schema(schema.as_str())


__all__ = ["ContextFactory", "GraphQLEndpoint", "GraphiQLPage", "validation_schema"]
