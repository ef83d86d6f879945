"""Security headers: nosniff on every response, a Content-Security-Policy on every page.

The pages are GraphiQL and the explorer, both built from npm packages: the policy lets
them load code only from this server, so a compromised dependency or an injected string
cannot pull in or run script from anywhere else. ``'unsafe-inline'`` for styles is there
because React and CodeMirror set ``style`` attributes; ``blob:`` workers and ``data:``
fonts and images are what those libraries use.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """``nosniff`` on every response; :data:`CONTENT_SECURITY_POLICY` on every ``text/html`` one.

    Done as middleware, not per route, so that HTML from any route (GraphiQL's page
    comes out of the GraphQL endpoint, static ``index.html`` out of the file server) is
    covered without each one remembering to. Plain ASGI rather than Starlette's
    ``BaseHTTPMiddleware``, which buffers streaming bodies; this only adds headers.
    """

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
                    # For browsers that predate frame-ancestors.
                    headers["X-Frame-Options"] = "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)


__all__ = ["CONTENT_SECURITY_POLICY", "SecurityHeadersMiddleware"]
