"""Prometheus metrics of the GraphQL endpoint, correct under ``serve --workers N``.

With several workers each process counts on its own; prometheus_client's multiprocess
mode (``PROMETHEUS_MULTIPROC_DIR``, which ``coopgraph serve`` sets before the workers
start) sums them when ``/metrics`` is scraped, whichever worker answers.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Awaitable, Callable, Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from coopgraph.settings.sections import IPNetwork

REQUESTS = Counter(
    "coopgraph_graphql_requests_total",
    "GraphQL requests by outcome: ok, client_error, refused, rate_limited, timeout,"
    " database_unavailable, internal_error, client_disconnected.",
    ["outcome"],
)
LATENCY = Histogram(
    "coopgraph_graphql_request_duration_seconds",
    "Time from a GraphQL request's arrival to its response, by outcome.",
    ["outcome"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REFUSALS = Counter(
    "coopgraph_limit_refusals_total",
    "Requests refused before execution, by the limit they passed.",
    ["limit"],
)
DATABASE_ERRORS = Counter(
    "coopgraph_database_errors_total",
    "Requests that failed because the database was away or timed out, by kind.",
    ["kind"],
)


def metrics_endpoint(
    clients: Iterable[IPNetwork],
) -> Callable[[Request], Awaitable[Response]]:
    """``GET /metrics`` in Prometheus' text format, for clients in ``clients`` only.

    The counts say how loaded the server is and which faults it meets: worth nothing
    to a caller and something to an attacker timing one. Others get the 404 of a path
    that does not exist, so the endpoint is not advertised. The client address is the
    connection's, or the one a trusted proxy forwarded (``--forwarded-allow-ips``); a
    connection without one (a Unix socket) is refused unless every address is allowed.
    """
    allowed = tuple(clients)

    async def metrics(request: Request) -> Response:
        if not _is_allowed(request, allowed):
            raise HTTPException(404)
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            body = generate_latest(registry)
        else:
            body = generate_latest(REGISTRY)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics


def _is_allowed(request: Request, allowed: tuple[IPNetwork, ...]) -> bool:
    host = request.client.host if request.client is not None else None
    if host is None:
        return any(network.prefixlen == 0 for network in allowed)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    # A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in allowed)


__all__ = ["DATABASE_ERRORS", "LATENCY", "REFUSALS", "REQUESTS", "metrics_endpoint"]
