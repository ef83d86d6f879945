"""The ASGI app: GraphQL over HTTP, GraphiQL, the explorer, and health endpoints.

The app holds no state but its connection pool, so any number of processes can serve
the same database behind a load balancer.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from coopgraph.settings import Settings
from db.engine import create_api_engine, create_session_factory
from graph.context import RequestContext
from graph.graphiql import render_graphiql_page
from graph.http import GraphQLHTTPView
from graph.http.security import ContentSecurityPolicyMiddleware
from graph.schema import build_schema
from graph.web import WebBuild, web_routes

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app for one process; ``coopgraph serve`` calls this in each worker."""
    settings = settings or Settings.from_env()
    engine = create_api_engine(settings.database_url)
    sessions = create_session_factory(engine)

    async def new_context(_request: Request, _response: Response | None) -> RequestContext:
        return RequestContext(sessions())

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> Response:
        try:
            async with asyncio.timeout(settings.readiness_timeout):
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except Exception as error:
            log.warning("readiness check failed: %s", error)
            return JSONResponse(
                {"status": "unavailable", "reason": type(error).__name__}, status_code=503
            )
        return JSONResponse({"status": "ready"})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    web = WebBuild(settings.web_dir)
    graphql = GraphQLHTTPView(
        build_schema(),
        context_factory=new_context,
        graphiql_page=functools.partial(render_graphiql_page, web),
    )
    middleware = [Middleware(ContentSecurityPolicyMiddleware)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Accept"],
            )
        )
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            *web_routes(web),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    # Exposed for operations and tests: pool state shows whether sessions are returned.
    app.state.engine = engine
    return app
