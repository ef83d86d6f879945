"""ASGI middleware that gives every request an ID, and reads the client behind a proxy.

Plain ASGI rather than Starlette's ``BaseHTTPMiddleware``, which buffers streaming
bodies and runs the app in another task; these only add headers as responses start.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopgraph.graph.http.identity import IPNetwork, forwarded_client

REQUEST_ID_HEADER = "X-Request-ID"
# A client's own ID is kept when it is a plausible one (a UUID, a tracing ID);
# anything else could smuggle text into log lines, so it is replaced.
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


_REQUEST_ID_NAME = REQUEST_ID_HEADER.lower().encode("latin-1")


def set_headers(message: Message, headers: Iterable[tuple[bytes, bytes]]) -> None:
    """Set headers (lower-case names) on a response start, replacing any of those names.

    What ``MutableHeaders`` does per header, done once for all of them on the raw
    list: it runs on every response, cached answers included.
    """
    given = list(headers)
    names = {name for name, _ in given}
    kept = [item for item in message.get("headers", ()) if item[0].lower() not in names]
    message["headers"] = kept + given


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

        header = (_REQUEST_ID_NAME, request_id.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                set_headers(message, (header,))
            await send(message)

        await self.app(scope, receive, send_with_id)


class ForwardedClientMiddleware:
    """Set the scope's client to the address a trusted proxy forwarded, when it is one.

    Meant to replace uvicorn's ``--proxy-headers`` handling, which takes the
    right-most untrusted hop of ``X-Forwarded-For`` whatever it spells, at any
    length: behind this, ``scope["client"]`` is always the peer or an IP literal a
    trusted proxy vouched for (see ``graph.http.identity.forwarded_client``).

    Args:
        app: The app behind it.
        trusted: The proxies whose ``X-Forwarded-For`` is believed.
        max_bytes: Longest header read; a longer one leaves the peer as the client.
    """

    def __init__(self, app: ASGIApp, *, trusted: tuple[IPNetwork, ...], max_bytes: int) -> None:
        self.app = app
        self._trusted = trusted
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._trusted:
            client = scope.get("client")
            peer = client[0] if client else None
            forwarded = [
                value.decode("latin-1")
                for name, value in scope.get("headers", ())
                if name == b"x-forwarded-for"
            ]
            if peer is not None and forwarded:
                address = forwarded_client(
                    peer, forwarded, trusted=self._trusted, max_bytes=self._max_bytes
                )
                if address != peer:
                    scope["client"] = (address, 0)
        await self.app(scope, receive, send)


__all__ = [
    "REQUEST_ID_HEADER",
    "ForwardedClientMiddleware",
    "RequestIdMiddleware",
    "request_id_of",
]
