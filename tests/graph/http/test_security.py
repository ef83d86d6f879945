from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from coopgraph.graph.http.security import CONTENT_SECURITY_POLICY, SecurityHeadersMiddleware


async def _page(_request: Request) -> Response:
    return HTMLResponse("<p>hi</p>")


async def _json(_request: Request) -> Response:
    return JSONResponse({"ok": True})


async def _text(_request: Request) -> Response:
    return PlainTextResponse("<p>not html</p>")


async def test_every_html_response_carries_the_policy_and_nothing_else_does() -> None:
    app = Starlette(
        routes=[Route("/page", _page), Route("/json", _json), Route("/text", _text)],
        middleware=[Middleware(SecurityHeadersMiddleware)],
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        page = await client.get("/page")
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "content-security-policy" not in (await client.get("/json")).headers
        assert "content-security-policy" not in (await client.get("/text")).headers


def test_the_policy_allows_script_only_from_the_server_itself() -> None:
    directives = {
        name: values
        for name, *values in (part.split() for part in CONTENT_SECURITY_POLICY.split(";"))
    }
    assert directives["script-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
