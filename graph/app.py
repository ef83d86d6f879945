"""The ASGI app: GraphQL over HTTP, GraphiQL, the explorer, health endpoints and metrics.

The app holds no state but its connection pool and caches that follow the database,
so any number of processes can serve the same database behind a load balancer.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from coopgraph.db.engine import create_api_engine, create_session_factory, probe_database
from coopgraph.graph.caching import PersistedQueries, create_store
from coopgraph.graph.caching.version import create_data_version_source
from coopgraph.graph.compiled import CompiledExecution, open_source
from coopgraph.graph.context import RequestContext
from coopgraph.graph.graphiql import render_graphiql_page
from coopgraph.graph.http import GraphQLEndpoint, validation_schema
from coopgraph.graph.http.answers import CACHE_HEADER
from coopgraph.graph.http.metrics import metrics_endpoint
from coopgraph.graph.http.middleware import (
    REQUEST_ID_HEADER,
    ForwardedClientMiddleware,
    RequestIdMiddleware,
)
from coopgraph.graph.http.negotiation import METHODS
from coopgraph.graph.http.problems import EXCEPTION_HANDLERS
from coopgraph.graph.http.rate_limit import RateLimitMiddleware
from coopgraph.graph.http.request import DRY_RUN_HEADER
from coopgraph.graph.http.security import SecurityHeadersMiddleware
from coopgraph.graph.limits import CostModelSource
from coopgraph.graph.schema import build_schema
from coopgraph.graph.web import WebBuild, web_routes
from coopgraph.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app for one process; ``coopgraph serve`` calls this in each worker."""
    return build_app(settings).app


@dataclass(frozen=True, slots=True)
class BuiltApp:
    """The app and the two resources it reads through, for whoever must watch them.

    Tests and the benchmark count the statements a request runs and check that every
    connection goes back to the pool; they get the engine and the compiled path here,
    from the same build ``create_app`` serves, so the served app carries nothing kept
    for them.
    """

    app: Starlette
    engine: AsyncEngine
    #: None when compiled execution is off or the database has no compiled source.
    compiled: CompiledExecution | None


def build_app(settings: Settings | None = None) -> BuiltApp:
    """Build the app as ``create_app`` does, and return it with its engine and compiled path."""
    settings = settings or Settings.from_env()
    engine = create_api_engine(
        settings.database_url, statement_timeout=settings.limits.statement_timeout
    )
    sessions = create_session_factory(engine)

    async def new_context(_request: Request) -> RequestContext:
        return RequestContext(sessions())

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> Response:
        try:
            async with asyncio.timeout(settings.readiness_timeout):
                async with engine.connect() as connection:
                    await probe_database(connection)
        except Exception as error:
            log.warning("readiness check failed: %s: %s", type(error).__name__, error)
            return JSONResponse(
                {"status": "unavailable", "reason": type(error).__name__}, status_code=503
            )
        return JSONResponse({"status": "ready"})

    schema = build_schema(settings.limits.document_cache_bytes)
    checked_against = validation_schema(schema)
    compiled = None
    if settings.compiled:
        source = open_source(
            settings.database_url, statement_timeout=settings.limits.statement_timeout
        )
        compiled = (
            CompiledExecution(
                checked_against, source, max_bytes=settings.limits.document_cache_bytes
            )
            if source is not None
            else None
        )

    caching = settings.caching
    versions = create_data_version_source(settings.database_url)
    responses = (
        create_store(
            settings.redis_url,
            namespace=settings.redis_namespace,
            name="response",
            max_bytes=caching.max_bytes,
            ttl=caching.ttl,
        )
        if caching.responses
        else None
    )
    # Persisted queries are kept however answers are: a client that registered a
    # query must be able to use it on every worker.
    limits = settings.limits
    persisted = create_store(
        settings.redis_url,
        namespace=settings.redis_namespace,
        name="persisted",
        max_bytes=8 * 1024 * 1024,
        ttl=limits.persisted_ttl,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        _freeze_startup_objects()
        # Closed in reverse order, each even when one before it fails: a store whose
        # Redis went away must not leave the engine's connections open.
        async with contextlib.AsyncExitStack() as closing:
            closing.push_async_callback(engine.dispose)
            if responses is not None:
                closing.push_async_callback(responses.aclose)
            closing.push_async_callback(persisted.aclose)
            closing.push_async_callback(versions.aclose)
            if compiled is not None:
                closing.push_async_callback(compiled.aclose)
            yield

    web = WebBuild(settings.web_dir)
    graphql = GraphQLEndpoint(
        schema,
        limits=settings.limits,
        context_factory=new_context,
        cost_models=CostModelSource(checked_against, sessions),
        caching=caching,
        persisted=PersistedQueries(
            persisted,
            max_bytes=limits.max_persisted_bytes,
            per_client=limits.max_persisted_per_client,
            total=limits.max_persisted_total,
            window=limits.persisted_ttl,
        ),
        versions=versions,
        responses=responses,
        graphiql_page=functools.partial(render_graphiql_page, web),
        compiled=compiled,
    )
    # Outermost first: every response, refusals included, gets an ID and the headers.
    middleware = [
        Middleware(RequestIdMiddleware),
        Middleware(SecurityHeadersMiddleware),
        # Before the rate limit, which counts per client: the client is the peer, or
        # an IP literal a trusted proxy forwarded (uvicorn's own handling is off).
        Middleware(
            ForwardedClientMiddleware,
            trusted=settings.forwarded_allow_ips,
            max_bytes=settings.limits.max_forwarded_for_bytes,
        ),
    ]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=list(METHODS),
                # Every header a page's script may send: the dry run and a
                # revalidation are what browsers do not send by themselves.
                allow_headers=[
                    "Content-Type",
                    "Accept",
                    REQUEST_ID_HEADER,
                    DRY_RUN_HEADER,
                    "If-None-Match",
                ],
                expose_headers=[REQUEST_ID_HEADER, "Retry-After", "ETag", CACHE_HEADER],
            )
        )
    if settings.limits.rate_limit is not None:
        middleware.append(
            Middleware(
                RateLimitMiddleware,
                rate=settings.limits.rate_limit,
                redis_url=settings.redis_url,
                namespace=settings.redis_namespace,
            )
        )
    app = Starlette(
        routes=[
            # No methods list: the endpoint answers every method itself, with its
            # own Allow (GET, HEAD, POST) and message.
            Route("/graphql", graphql),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint(settings.metrics_clients), methods=["GET"]),
            *web_routes(web),
        ],
        middleware=middleware,
        # Unknown paths, methods a route does not take, and faults outside the
        # endpoint are answered in the same JSON envelope as the endpoint's errors.
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    return BuiltApp(app, engine, compiled)


def _freeze_startup_objects() -> None:
    """Leave the objects built at startup out of every later garbage collection.

    The schema, graphql-core, SQLAlchemy and Starlette make a heap of some 100,000
    long-lived objects; a request that builds a large answer allocates enough to set
    off full collections that walk all of them: about a third of the compiled full
    tree's time, measured. Frozen, they are never walked again (they are
    never garbage: they live as long as the process). Done once per process.
    """
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()
