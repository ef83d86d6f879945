"""Requests per client address, counted where every server process sees the count.

The ``limits`` package does the counting (a moving window); its storage is Redis when
``COOPGRAPH_REDIS_URL`` is set, so N workers on M hosts share one budget per client,
and process memory otherwise, which is right for one process.

When Redis fails (down, or full: persisted queries once filled it), counting moves
to process memory until it answers again. Letting requests through uncounted made an
outage of Redis an outage of the limit: a fresh address got 40 of 40 requests through
30/minute. Per-process counts are looser than shared ones (N workers allow N times
the rate) but are a limit.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Collection

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.http.identity import scope_identity
from coopgraph.graph.http.media import negotiate_response_type
from coopgraph.graph.http.metrics import REQUESTS
from coopgraph.graph.http.middleware import request_id_of
from coopgraph.graph.http.problems import HTTPProblem, problem_response

log = logging.getLogger(__name__)
_NAMESPACE = "coopgraph"
_IN_PROCESS = "async+memory://"


def _storage_url(redis_url: str | None) -> str:
    if redis_url is None:
        return _IN_PROCESS
    scheme, _, rest = redis_url.partition("://")
    # limits picks its asyncio Redis client by the async+ prefix of the URL.
    return f"async+{scheme}://{rest}"


class RateLimitMiddleware:
    """Answer 429 with ``Retry-After`` once a client address passes ``rate``.

    Args:
        app: The app behind it.
        rate: In the ``limits`` notation: ``120/minute``, ``10/second``.
        redis_url: Shared storage for the counts; None keeps them in this process.
        namespace: The prefix of the counts' keys in Redis (``COOPGRAPH_REDIS_NAMESPACE``).
        paths: The paths counted; health checks and metrics are never limited.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        rate: str,
        redis_url: str | None,
        namespace: str,
        paths: Collection[str] = ("/graphql",),
    ) -> None:
        self.app = app
        self._item: RateLimitItem = parse(rate)
        # wrap_exceptions: every failure of the storage arrives as limits' own
        # StorageError, whatever the Redis client raised.
        storage = storage_from_string(
            _storage_url(redis_url),
            implementation="redispy",
            wrap_exceptions=True,
            key_prefix=namespace,
        )
        self._limiter = MovingWindowRateLimiter(storage)
        self._fallback = MovingWindowRateLimiter(storage_from_string(_IN_PROCESS))
        self._paths = frozenset(paths)
        self._failing = False

    async def _hit(self, identity: str) -> tuple[bool, MovingWindowRateLimiter]:
        """Count one request; the limiter that counted it answers the window's stats."""
        try:
            counted = await self._limiter.hit(self._item, _NAMESPACE, identity)
        except StorageError as error:
            # Once per outage, not once per request: a Redis that is away for a minute
            # under load would otherwise write thousands of identical lines.
            if not self._failing:
                log.warning("rate limit storage failed, counting in this process: %s", error)
                self._failing = True
            return await self._fallback.hit(self._item, _NAMESPACE, identity), self._fallback
        if self._failing:
            log.warning("rate limit storage answers again; counting there")
            self._failing = False
        return counted, self._limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self._paths:
            await self.app(scope, receive, send)
            return
        identity = scope_identity(scope)
        allowed, counted_by = await self._hit(identity)
        if allowed:
            await self.app(scope, receive, send)
            return
        try:
            stats = await counted_by.get_window_stats(self._item, _NAMESPACE, identity)
            retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        except StorageError:
            retry_after = self._item.get_expiry()
        REQUESTS.labels(outcome="rate_limited").inc()
        # The address is not echoed: behind a proxy it came from a header the client
        # wrote, and the client knows its own address.
        problem = HTTPProblem(
            429,
            f"Too many requests from this address: this server allows {self._item}."
            f" Try again in {retry_after} s.",
            code=ErrorCode.RATE_LIMITED,
            headers={"Retry-After": str(retry_after)},
            extensions={"retryAfter": retry_after},
        )
        request = Request(scope)
        media_type = negotiate_response_type(request.headers.get("accept")) or "application/json"
        response = problem_response(problem, media_type, request_id=request_id_of(scope))
        await response(scope, receive, send)


__all__ = ["RateLimitMiddleware"]
