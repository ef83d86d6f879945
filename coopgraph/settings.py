"""Process settings, read once from the environment.

Every knob lives on one typed object so that the CLI, the ASGI app and the tests agree
on what a setting means and on its default.
"""

from __future__ import annotations

import ipaddress
import math
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs


def default_database_url() -> str:
    """An embedded SQLite file in the per-user data directory.

    A per-user directory, rather than the working directory, lets ``coopgraph serve``
    be started from anywhere and still find the database it seeded last time.
    """
    data_dir = Path(platformdirs.user_data_dir("coopgraph", appauthor=False))
    return f"sqlite:///{data_dir / 'coopgraph.sqlite3'}"


#: Where ``npm run build`` in ``web/`` writes, relative to a source checkout.
CHECKOUT_WEB_DIR = Path(__file__).resolve().parents[1] / "web" / "dist"

#: Where a wheel's data files put the same build (see pyproject's data-files).
INSTALLED_WEB_DIR = Path(sys.prefix) / "share" / "coopgraph" / "web"


def default_web_dir() -> Path:
    """The built explorer and GraphiQL files: the checkout's build, else the installed one.

    The checkout's comes first so that an editable install serves what was built last
    rather than the copy pip took when it installed; a non-editable install has no
    checkout beside it and finds the copy its wheel carried.
    """
    if CHECKOUT_WEB_DIR.is_dir() or not INSTALLED_WEB_DIR.is_dir():
        return CHECKOUT_WEB_DIR
    return INSTALLED_WEB_DIR


def _split_origins(raw: str) -> tuple[str, ...]:
    return tuple(origin.strip() for origin in raw.split(",") if origin.strip())


class SettingsError(ValueError):
    """A setting's value cannot be used; the message names the variable and the value."""


def _number(
    env: Mapping[str, str], name: str, default: float, kind: type[float] | type[int]
) -> Any:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw)
    except ValueError:
        msg = f"{name}={raw!r} is not a {'whole number' if kind is int else 'number'}"
        raise SettingsError(msg) from None
    # float() reads "nan" and "inf", which no timeout or limit can be: NaN compares
    # false with everything, so "<= 0" alone would let it through.
    if not math.isfinite(value):
        msg = f"{name}={raw!r} is not a finite number"
        raise SettingsError(msg)
    if value <= 0:
        msg = f"{name}={raw!r} must be greater than 0"
        raise SettingsError(msg)
    return value


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may ask of the server, checked before anything executes.

    The defaults let every query of the contract through at a hundred times today's
    data and refuse what no page would send: see the README's table of limits.

    Attributes:
        max_cost: Objects a query may return at most, estimated from ``first``
            arguments and the largest fan-out of each relation in the data.
        max_standard_cost: The same estimate's limit for queries that run on
            Strawberry's executor rather than the compiled path: its CPU-bound value
            completion cannot be interrupted by the request timeout, so it gets what
            one core finishes in a few seconds.
        max_depth: Nested selection sets; the contract's deepest query uses 5.
        max_aliases: Aliased fields, fragments expanded.
        max_tokens: GraphQL tokens in the document (GraphiQL's introspection
            query uses about 500).
        max_body_bytes: Request body size; larger ones get 413 before being read.
        max_list_items: Items of a list argument (``nodes(ids:)``,
            ``commonFields(countries:)``), the same as the largest page.
        request_timeout: Seconds a request may run before it is cancelled.
        statement_timeout: Seconds one SQL statement may run (PostgreSQL).
        rate_limit: Requests per client address, in the ``limits`` notation
            (``120/minute``); None leaves rate limiting off.
        analysis_threads: Worker threads that parse, validate and cost new documents
            and run introspection, off the event loop; more such requests wait their
            turn within their timeout. They share one interpreter lock with the loop,
            so a second thread finishes nothing sooner and makes the loop wait longer
            for the lock (``/healthz`` p90 120 ms against 75 ms under four bombs).
    """

    max_cost: int = 200_000
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5_000
    max_body_bytes: int = 65_536
    max_list_items: int = 100
    request_timeout: float = 10.0
    statement_timeout: float = 5.0
    rate_limit: str | None = None
    max_standard_cost: int = 20_000
    # The endpoint's second round (issue #19): CPU-bound stages off the event loop.
    analysis_threads: int = 1

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Limits:
        """Read the ``COOPGRAPH_MAX_*``, ``*_TIMEOUT`` and ``COOPGRAPH_RATE_LIMIT`` variables."""
        defaults = cls()
        return cls(
            max_cost=_number(env, "COOPGRAPH_MAX_COST", defaults.max_cost, int),
            max_standard_cost=_number(
                env, "COOPGRAPH_MAX_STANDARD_COST", defaults.max_standard_cost, int
            ),
            max_depth=_number(env, "COOPGRAPH_MAX_DEPTH", defaults.max_depth, int),
            max_aliases=_number(env, "COOPGRAPH_MAX_ALIASES", defaults.max_aliases, int),
            max_tokens=_number(env, "COOPGRAPH_MAX_TOKENS", defaults.max_tokens, int),
            max_body_bytes=_number(env, "COOPGRAPH_MAX_BODY_BYTES", defaults.max_body_bytes, int),
            max_list_items=_number(env, "COOPGRAPH_MAX_LIST_ITEMS", defaults.max_list_items, int),
            request_timeout=_number(
                env, "COOPGRAPH_REQUEST_TIMEOUT", defaults.request_timeout, float
            ),
            statement_timeout=_number(
                env, "COOPGRAPH_STATEMENT_TIMEOUT", defaults.statement_timeout, float
            ),
            rate_limit=_rate_limit(env.get("COOPGRAPH_RATE_LIMIT", "")),
            analysis_threads=_number(
                env, "COOPGRAPH_ANALYSIS_THREADS", defaults.analysis_threads, int
            ),
        )


@dataclass(frozen=True, slots=True)
class Caching:
    """How answers are kept: in the server (memory or Redis), and by HTTP caches.

    Attributes:
        responses: Whether the server keeps answers; off for benchmarks of execution.
        max_bytes: The memory cache's size; older answers are evicted past it.
        ttl: Seconds an answer or a persisted query is kept in Redis.
        http_max_age: ``Cache-Control: max-age`` of GET answers, for browsers and
            CDNs; the ETag lets them revalidate for free after that.
    """

    responses: bool = True
    max_bytes: int = 64 * 1024 * 1024
    ttl: int = 3600
    http_max_age: int = 60

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Caching:
        """Read ``COOPGRAPH_RESPONSE_CACHE`` (on/off) and the sizes and ages."""
        defaults = cls()
        switch = env.get("COOPGRAPH_RESPONSE_CACHE", "on").strip().lower()
        if switch not in {"on", "off", "1", "0", "true", "false", ""}:
            msg = f"COOPGRAPH_RESPONSE_CACHE={switch!r} must be 'on' or 'off'"
            raise SettingsError(msg)
        return cls(
            responses=switch not in {"off", "0", "false"},
            max_bytes=_number(env, "COOPGRAPH_RESPONSE_CACHE_BYTES", defaults.max_bytes, int),
            ttl=_number(env, "COOPGRAPH_RESPONSE_CACHE_TTL", defaults.ttl, int),
            http_max_age=_number(env, "COOPGRAPH_HTTP_MAX_AGE", defaults.http_max_age, int),
        )


def _rate_limit(raw: str) -> str | None:
    raw = raw.strip()
    if not raw or raw.lower() == "off":
        return None
    from limits import parse  # noqa: PLC0415 - only a configured limit needs the parser

    try:
        parse(raw)
    except ValueError:
        msg = f"COOPGRAPH_RATE_LIMIT={raw!r} is not a rate such as '120/minute' or '10/second'"
        raise SettingsError(msg) from None
    return raw


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Loopback in both address families: what ``COOPGRAPH_METRICS_CLIENTS`` allows by default.
LOOPBACK: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)


def _networks(
    env: Mapping[str, str], name: str, default: tuple[IPNetwork, ...]
) -> tuple[IPNetwork, ...]:
    """Comma-separated addresses or CIDR networks; ``any`` for every address."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() == "any":
        return (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
    try:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in raw.split(",")
            if part.strip()
        )
    except ValueError:
        msg = f"{name}={raw!r} is not a list of addresses or networks (or 'any')"
        raise SettingsError(msg) from None


@dataclass(frozen=True, slots=True)
class Settings:
    """What a coopgraph process is configured with.

    Attributes:
        database_url: ``sqlite:///path`` or ``postgresql://user@host:port/db``; the
            project picks the drivers itself.
        cors_origins: Origins allowed to call the API from a browser; none by default,
            because an open API should be opened on purpose.
        limits: What one request may ask; see ``Limits``.
        caching: How answers are cached; see ``Caching``.
        redis_url: Where state shared by processes lives (rate-limit counts, cached
            answers, persisted queries); in each process's memory when None.
        readiness_timeout: Seconds ``/readyz`` waits for the database before it
            answers 503.
        web_dir: The built web files (``web/dist``) the app serves the explorer and
            GraphiQL from; kept outside the Python package so installing the package,
            editable or not, never depends on npm.
        compiled: Whether operations the planner handles are answered by compiled
            execution (``COOPGRAPH_COMPILED=off`` runs every operation through
            Strawberry's executor, for comparisons and as a way out).
        metrics_clients: The networks whose clients may read ``/metrics``; others get
            the 404 of an unknown path. Loopback by default: the counts describe the
            server's load and faults, which is not for every caller.
    """

    database_url: str = field(default_factory=default_database_url)
    cors_origins: tuple[str, ...] = ()
    readiness_timeout: float = 2.0
    limits: Limits = field(default_factory=Limits)
    caching: Caching = field(default_factory=Caching)
    redis_url: str | None = None
    web_dir: Path = field(default_factory=default_web_dir)
    compiled: bool = True
    # The endpoint's second round (issue #19): who may scrape the metrics.
    metrics_clients: tuple[IPNetwork, ...] = LOOPBACK

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``DATABASE_URL`` and the ``COOPGRAPH_*`` variables; a bad value raises ``SettingsError``."""
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("DATABASE_URL") or default_database_url(),
            cors_origins=_split_origins(env.get("COOPGRAPH_CORS_ORIGINS", "")),
            readiness_timeout=_number(env, "COOPGRAPH_READINESS_TIMEOUT", 2.0, float),
            limits=Limits.from_env(env),
            caching=Caching.from_env(env),
            redis_url=env.get("COOPGRAPH_REDIS_URL") or None,
            web_dir=Path(env["COOPGRAPH_WEB_DIR"])
            if env.get("COOPGRAPH_WEB_DIR")
            else default_web_dir(),
            compiled=_switch(env, "COOPGRAPH_COMPILED", default=True),
            metrics_clients=_networks(env, "COOPGRAPH_METRICS_CLIENTS", LOOPBACK),
        )


def _switch(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"on", "1", "true", "yes"}:
        return True
    if raw in {"off", "0", "false", "no"}:
        return False
    msg = f"{name}={raw!r} is not on or off"
    raise SettingsError(msg)
