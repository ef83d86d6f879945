"""Security headers: nosniff on every response, a Content-Security-Policy on every page.

The pages are GraphiQL and the explorer, both built from npm packages: the policy lets
them load code only from this server, so a compromised dependency or an injected string
cannot pull in or run script from anywhere else. ``'unsafe-inline'`` for styles is there
because React and CodeMirror set ``style`` attributes; ``blob:`` workers and ``data:``
fonts and images are what those libraries use.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopgraph.graph.http.middleware import set_headers

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
_PAGE_HEADERS = (
    *_HEADERS,
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("latin-1")),
    # For browsers that predate frame-ancestors.
    (b"x-frame-options", b"DENY"),
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
                html = any(
                    name.lower() == b"content-type" and value.startswith(b"text/html")
                    for name, value in message.get("headers", ())
                )
                set_headers(message, _PAGE_HEADERS if html else _HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


__all__ = ["CONTENT_SECURITY_POLICY", "SecurityHeadersMiddleware"]
