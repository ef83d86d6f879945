"""What a coopgraph process is configured with, one field per environment variable.

Each field names its variable and what it changes (``settings.variables.setting``), so
reading the environment, the README's table of variables and the defaults the code
uses are one list. Plain frozen dataclasses: code and tests build them directly
(``Settings(database_url=...)``) without the environment being read.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from coopgraph.settings.locations import default_database_url, default_web_dir
from coopgraph.settings.variables import read, setting


def _rate(text: str) -> str | None:
    if text.lower() == "off":
        return None
    from limits import parse  # noqa: PLC0415 - only a configured limit needs the parser

    try:
        parse(text)
    except ValueError:
        msg = "is not a rate such as '120/minute' or '10/second'"
        raise ValueError(msg) from None
    return text


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Loopback in both address families: who may read ``/metrics`` by default.
LOOPBACK: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)


def _proxies(text: str) -> tuple[IPNetwork, ...]:
    # Trusting every peer would make X-Forwarded-For the identity of anyone.
    if text.lower() in {"any", "*"}:
        msg = "must name the proxies (addresses or networks), not every peer"
        raise ValueError(msg)
    return _networks(text)


def _networks(text: str) -> tuple[IPNetwork, ...]:
    if text.lower() == "any":
        return (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
    try:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in text.split(",")
            if part.strip()
        )
    except ValueError:
        msg = "is not a list of addresses or networks (or 'any')"
        raise ValueError(msg) from None


class Section:
    """A settings class that can read itself from the environment."""

    __slots__ = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read this section's variables; a bad value raises ``SettingsError``.

        Unset and blank variables keep their defaults.
        """
        section: Self = read(cls, os.environ if environ is None else environ)
        return section


@dataclass(frozen=True, slots=True)
class Limits(Section):
    """What one request may ask of the server, checked before anything executes.

    The defaults let every query of the contract and of the explorer through at a
    hundred times today's data and refuse what no page would send: see the README's
    table of limits.
    """

    max_cost: int = setting(
        "COOPGRAPH_MAX_COST",
        "objects a query may return at most, estimated from `first` arguments and the"
        " largest fan-out of each relation in the data",
        200_000,
    )
    max_depth: int = setting(
        "COOPGRAPH_MAX_DEPTH", "nested selection sets (the contract's deepest query uses 5)", 12
    )
    max_aliases: int = setting("COOPGRAPH_MAX_ALIASES", "aliased fields, fragments expanded", 30)
    max_tokens: int = setting(
        "COOPGRAPH_MAX_TOKENS",
        "GraphQL tokens in the document (GraphiQL's introspection query uses about 500)",
        5_000,
    )
    max_body_bytes: int = setting(
        "COOPGRAPH_MAX_BODY_BYTES", "request body bytes; larger ones get 413 unread", 65_536
    )
    max_list_items: int = setting(
        "COOPGRAPH_MAX_LIST_ITEMS",
        "items of a list argument (`nodes(ids:)`, `commonFields(countries:)`), and fields of an input object",
        100,
    )
    request_timeout: float = setting(
        "COOPGRAPH_REQUEST_TIMEOUT", "seconds a request may run before it is cancelled", 10.0
    )
    statement_timeout: float = setting(
        "COOPGRAPH_STATEMENT_TIMEOUT", "seconds one SQL statement may run (PostgreSQL)", 5.0
    )
    rate_limit: str | None = setting(
        "COOPGRAPH_RATE_LIMIT",
        "requests per client address, such as `120/minute`; `off` or unset: no limit",
        None,
        shown_default="off",
        check=_rate,
    )
    # Strawberry's executor completes values between awaits, where the request timeout
    # cannot interrupt it and no other request is answered: at 3,600 objects `/healthz`
    # waited 80 ms at worst, at 5,400 314 ms (four clients, measured). So the queries it
    # answers get what keeps those stretches under 100 ms (it was 20,000, what one core
    # finishes in a few seconds), not the compiled path's budget.
    max_standard_cost: int = setting(
        "COOPGRAPH_MAX_STANDARD_COST",
        "the same estimate's limit for queries Strawberry's executor answers (search,"
        " cross-references, totals, name filters, introspection), whose work the request"
        " timeout cannot interrupt, and which holds the event loop in stretches that grow"
        " with it (the product's own queries cost at most 1,632)",
        4_000,
    )
    # Issue 19, second round (hostile clients).
    max_fields: int = setting(
        "COOPGRAPH_MAX_FIELDS",
        "field selections as written in the document, which validation compares pairwise"
        " (a contract query selects at most 30, GraphiQL's introspection query 72)",
        200,
    )
    max_expanded_fields: int = setting(
        "COOPGRAPH_MAX_EXPANDED_FIELDS",
        "field selections of an operation with its fragments expanded, introspection aside:"
        " what planning and execution walk (a product query expands to at most 46; 25"
        " aliased `node` lookups spreading one 21-field fragment, 525)",
        800,
    )
    max_introspection: int = setting(
        "COOPGRAPH_MAX_INTROSPECTION",
        "`__schema` and `__type` selections in an operation, fragments expanded",
        2,
    )
    max_json_depth: int = setting(
        "COOPGRAPH_MAX_JSON_DEPTH",
        "nesting of arrays and objects in a request's JSON (the variables); deeper is a 400",
        32,
    )
    max_persisted_bytes: int = setting(
        "COOPGRAPH_MAX_PERSISTED_BYTES",
        "size of a query kept as a persisted query; a longer one is answered, not kept",
        8_192,
    )
    max_persisted_per_client: int = setting(
        "COOPGRAPH_MAX_PERSISTED_PER_CLIENT",
        "persisted queries one client address may register per `COOPGRAPH_PERSISTED_TTL`",
        100,
    )
    max_persisted_total: int = setting(
        "COOPGRAPH_MAX_PERSISTED_TOTAL",
        "persisted queries all clients may register per `COOPGRAPH_PERSISTED_TTL`",
        1_000,
    )
    persisted_ttl: int = setting(
        "COOPGRAPH_PERSISTED_TTL",
        "seconds a persisted query is kept; also the window its registrations are counted in",
        86_400,
    )
    max_forwarded_for_bytes: int = setting(
        "COOPGRAPH_MAX_FORWARDED_FOR_BYTES",
        "length of an `X-Forwarded-For` header read for the client address",
        512,
    )
    document_cache_bytes: int = setting(
        "COOPGRAPH_DOCUMENT_CACHE_BYTES",
        "memory each cache of parsed documents may take (documents that passed, refused"
        " ones, compiled plans, Strawberry's parsed copies), estimated from the text's"
        " length; the least recently used go first past it",
        8 * 1024 * 1024,
    )
    # Issue 19, second round (the endpoint's stages): CPU-bound work off the event loop.
    # The threads share the interpreter lock with the loop: a second one finishes
    # nothing sooner and makes the loop wait longer for the lock (measured, README).
    analysis_threads: int = setting(
        "COOPGRAPH_ANALYSIS_THREADS",
        "worker threads that parse, validate and cost new documents and run introspection,"
        " off the event loop; further such requests wait their turn within their timeout",
        1,
    )


@dataclass(frozen=True, slots=True)
class Caching(Section):
    """How answers are kept: in the server (memory or Redis), and by HTTP caches."""

    responses: bool = setting(
        "COOPGRAPH_RESPONSE_CACHE",
        "whether the server keeps answers (off for benchmarks of execution)",
        True,
        shown_default="on",
    )
    max_bytes: int = setting(
        "COOPGRAPH_RESPONSE_CACHE_BYTES",
        "size of the in-memory answer cache; older answers are evicted past it",
        64 * 1024 * 1024,
    )
    ttl: int = setting(
        "COOPGRAPH_RESPONSE_CACHE_TTL",
        "seconds an answer or a persisted query is kept in Redis",
        3600,
    )
    http_max_age: int = setting(
        "COOPGRAPH_HTTP_MAX_AGE",
        "`Cache-Control: max-age` of GET answers; the ETag revalidates them after that",
        60,
    )


def _http_parser(text: str) -> str:
    parser = text.lower()
    if parser not in {"h11", "httptools"}:
        msg = "must be 'h11' or 'httptools'"
        raise ValueError(msg)
    return parser


@dataclass(frozen=True, slots=True)
class Transport(Section):
    """What one client connection may hold of the server before any request is parsed.

    ``coopgraph serve`` hands what uvicorn covers to uvicorn; the front proxy
    (``deploy/haproxy/coopgraph.cfg``) enforces all of them, and the read timeout and the
    header count only there, since uvicorn has no public setting for them. The README's
    limits table says which layer enforces which.
    """

    max_connections: int = setting(
        "COOPGRAPH_MAX_CONNECTIONS",
        "concurrent connections; beyond them a request is answered 503 (by uvicorn for every"
        " path; by the proxy for all but `/healthz`)",
        1000,
    )
    max_header_bytes: int = setting(
        "COOPGRAPH_MAX_HEADER_BYTES",
        "request line and headers together: the proxy answers 431 past it; uvicorn's h11"
        " parser answers 400 only while headers are still arriving (a larger block that"
        " lands in one read gets through), so expose the server behind the proxy",
        16_384,
    )
    max_headers: int = setting(
        "COOPGRAPH_MAX_HEADERS", "header fields in one request (431 at the proxy)", 100
    )
    read_timeout: float = setting(
        "COOPGRAPH_READ_TIMEOUT",
        "seconds the proxy waits for a request's headers and its whole body, so a body must"
        " arrive at `COOPGRAPH_MAX_BODY_BYTES` per this or faster",
        10.0,
    )
    keep_alive_timeout: int = setting(
        "COOPGRAPH_KEEP_ALIVE_TIMEOUT", "seconds an idle connection is kept between requests", 5
    )
    http_parser: str = setting(
        "COOPGRAPH_HTTP_PARSER",
        "uvicorn's HTTP/1.1 parser: `h11` (bounded header buffer, reading paused while an"
        " answer waits) or `httptools` (faster; safe behind the proxy)",
        "h11",
        check=_http_parser,
    )


#: uvicorn's log levels by name, lowest last; ``trace`` (5) is uvicorn's own, below DEBUG.
LOG_LEVELS: dict[str, int] = {
    "critical": logging.CRITICAL,
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": 5,
}


def _log_level(text: str) -> str:
    level = text.lower()
    if level not in LOG_LEVELS:
        msg = f"is not a log level: use one of {', '.join(LOG_LEVELS)}"
        raise ValueError(msg)
    return level


@dataclass(frozen=True, slots=True)
class Logs(Section):
    """What a serving process writes to its log (``coopgraph serve --log-level``, ``--access-log``)."""

    level: str = setting(
        "COOPGRAPH_LOG_LEVEL",
        "the lowest level logged, by the server and the app: `critical`, `error`, `warning`,"
        " `info`, `debug` or `trace` (`coopgraph serve --log-level`)",
        "info",
        check=_log_level,
    )
    # Off: uvicorn's line per request cost ~10 % of the throughput of cached answers
    # (issue 14); /metrics counts requests by outcome, and errors are logged with their
    # request ID either way. See docs/decisions.md.
    access_log: bool = setting(
        "COOPGRAPH_ACCESS_LOG",
        "whether uvicorn writes a line per request; off for throughput, since `/metrics`"
        " counts requests and errors are logged anyway (`coopgraph serve --access-log`)",
        False,
        shown_default="off",
    )


@dataclass(frozen=True, slots=True)
class Settings(Section):
    """What a coopgraph process is configured with; ``from_env`` reads the environment."""

    database_url: str = setting(
        "DATABASE_URL",
        "`sqlite:///path` or `postgresql://user@host:port/db`; the project picks the drivers",
        factory=default_database_url,
        shown_default="SQLite file in the per-user data directory",
    )
    cors_origins: tuple[str, ...] = setting(
        "COOPGRAPH_CORS_ORIGINS",
        "comma-separated origins allowed to call the API from a browser; an open API is"
        " opened on purpose",
        (),
        shown_default="none",
    )
    readiness_timeout: float = setting(
        "COOPGRAPH_READINESS_TIMEOUT",
        "seconds `/readyz` waits for the database before it answers 503",
        2.0,
    )
    limits: Limits = field(default_factory=Limits)
    caching: Caching = field(default_factory=Caching)
    transport: Transport = field(default_factory=Transport)
    logs: Logs = field(default_factory=Logs)
    redis_url: str | None = setting(
        "COOPGRAPH_REDIS_URL",
        "Redis shared by the processes (rate-limit counts, cached answers, persisted"
        " queries); unset: each process's memory",
        None,
        shown_default="none",
    )
    redis_namespace: str = setting(
        "COOPGRAPH_REDIS_NAMESPACE",
        "the prefix of every key coopgraph writes in Redis (`NAMESPACE:response:…`), so that"
        " deployments or test runs sharing one Redis keep apart",
        "coopgraph",
    )
    web_dir: Path = setting(
        "COOPGRAPH_WEB_DIR",
        "the built explorer and GraphiQL (`web/dist`), kept outside the Python package",
        factory=default_web_dir,
        shown_default="the checkout's `web/dist`, else the installed copy",
    )
    compiled: bool = setting(
        "COOPGRAPH_COMPILED",
        "whether operations the planner handles run compiled; off sends every operation"
        " through Strawberry's executor",
        True,
        shown_default="on",
    )
    forwarded_allow_ips: tuple[IPNetwork, ...] = setting(
        "COOPGRAPH_FORWARDED_ALLOW_IPS",
        "proxies (comma-separated addresses or networks) whose `X-Forwarded-For` names the"
        " client; only an IP literal there counts (`coopgraph serve --forwarded-allow-ips`)",
        (ipaddress.ip_network("127.0.0.1/32"),),
        shown_default="`127.0.0.1`",
        check=_proxies,
    )
    metrics_clients: tuple[IPNetwork, ...] = setting(
        "COOPGRAPH_METRICS_CLIENTS",
        "addresses or networks (comma-separated, or `any`) that may read `/metrics`;"
        " others get the 404 of an unknown path",
        LOOPBACK,
        shown_default="loopback (`127.0.0.0/8`, `::1`)",
        check=_networks,
    )
