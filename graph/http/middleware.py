"""ASGI middleware around every response: request IDs and security headers.

Plain ASGI rather than Starlette's ``BaseHTTPMiddleware``, which buffers streaming
bodies and runs the app in another task; these only add headers as responses start.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
#: Pages may load only what this server serves; none may be framed, so a page of
#: ours cannot be overlaid on another site (click-jacking). Styles may be inline
#: because GraphiQL's editor sets them at run time; scripts may not.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; font-src 'self' data:; connect-src 'self';"
    " worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self';"
    " frame-ancestors 'none'"
)
# A client's own ID is kept when it is a plausible one (a UUID, a tracing ID);
# anything else could smuggle text into log lines, so it is replaced.
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def request_id_of(scope: Scope) -> str:
    """The ID ``RequestIdMiddleware`` gave this request (a fresh one outside it)."""
    state = scope.get("state")
    if isinstance(state, Mapping):
        value = state.get("request_id")
        if isinstance(value, str):
            return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give every HTTP request an ID, echo it in ``X-Request-ID``, and keep it in scope.

    Errors quote the same ID and the log line of an unexpected error carries it, so a
    client's report can be matched to the server's record.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = ""
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                offered = value.decode("latin-1")
        request_id = offered if _CLIENT_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)


class SecurityHeadersMiddleware:
    """``nosniff`` on every response; a Content-Security-Policy on every HTML page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                    headers["X-Frame-Options"] = "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "REQUEST_ID_HEADER",
    "RequestIdMiddleware",
    "SecurityHeadersMiddleware",
    "request_id_of",
]
