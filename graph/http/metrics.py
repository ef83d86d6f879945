"""Prometheus metrics of the GraphQL endpoint, correct under ``serve --workers N``.

With several workers each process counts on its own; prometheus_client's multiprocess
mode (``PROMETHEUS_MULTIPROC_DIR``, which ``coopgraph serve`` sets before the workers
start) sums them when ``/metrics`` is scraped, whichever worker answers.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import Response

REQUESTS = Counter(
    "coopgraph_graphql_requests_total",
    "GraphQL requests by outcome: ok, client_error, refused, rate_limited, timeout,"
    " database_unavailable, internal_error.",
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


async def metrics_endpoint(_request: Request) -> Response:
    """``GET /metrics`` in Prometheus' text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


__all__ = ["DATABASE_ERRORS", "LATENCY", "REFUSALS", "REQUESTS", "metrics_endpoint"]
