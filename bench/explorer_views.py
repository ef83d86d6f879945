"""Benchmark: the query each explorer view sends, executed, on a database as it is.

Each view's .graphql file (web/src/explorer/views) is posted as the explorer posts it,
alternating with a trivial ``{ __typename }`` request to the same server, so the ratio
says what the view's data costs beyond the HTTP and GraphQL round trip itself. The app
is the one ``coopgraph serve`` builds, settings read from the environment, under real
uvicorn; the response cache is off unless ``COOPGRAPH_RESPONSE_CACHE`` says otherwise,
since a cached answer times the cache, not the view. Each row says what its requests
ran on: the execution path the answer names, how many came from the server's cache and
how many SQL statements each ran, so a row that timed something else shows it.

Run after ``scripts/install bench``::

    .venv/bin/python -m bench.explorer_views [--requests N]       # DATABASE_URL as it is
    .venv/bin/python -m bench.explorer_views --seed [--db postgresql]
    .venv/bin/python -m bench.explorer_views --synthetic 1000 [--db postgresql]

A database named by ``DATABASE_URL`` is read, never seeded or migrated: it must hold a
seed already. ``--seed`` and ``--synthetic N`` load a temporary database (the document,
or the document multiplied N times) and drop it after; with neither and no
``DATABASE_URL``, a temporary SQLite file holds the document.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import make_url

from bench.handwritten import postgres_conninfo
from coopgraph.db.migrate import head_revision
from coopgraph.db.urls import is_sqlite, shown_database, sync_url
from coopgraph.graph.http.answers import CACHE_HEADER

if TYPE_CHECKING:
    import httpx

VIEWS = Path(__file__).resolve().parents[1] / "web" / "src" / "explorer" / "views"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
BASELINE = "baseline"


def _id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


#: What each view sends on the page the browser tests open.
VARIABLES: dict[str, dict[str, Any]] = {
    "overview": {},
    "priorities": {"filter": {"field": _id("Field:energy"), "continent": _id("Continent:oceania")}},
    "map": {},
    "country": {"isoCode": "AU"},
    "institution": {"id": _id("Institution:au.go8")},
    "crossref": {"minFields": 2, "kinds": ["ORGANIZATION", "GROUP"]},
    "search": {"text": "rb"},
}


class DatabaseNotReadyError(RuntimeError):
    """The database the benchmark was pointed at holds no seed it could time."""


@dataclass(frozen=True, slots=True)
class ViewTiming:
    """One view's timed requests, and what they ran on."""

    name: str
    milliseconds: list[float]
    response_bytes: int
    #: ``extensions.execution`` of the answers (compiled, standard), each seen once.
    paths: tuple[str, ...]
    #: Answers the server's response cache gave (its ``X-Coopgraph-Cache: hit``).
    cache_hits: int
    #: SQL statements per request, over the timed requests.
    statements: float
    #: The refusal or failure: the error's code and message, or None when answered.
    error: tuple[str, str] | None

    @property
    def median(self) -> float:
        return statistics.median(self.milliseconds)

    @property
    def p90(self) -> float:
        if len(self.milliseconds) < 2:
            return self.milliseconds[0]
        return statistics.quantiles(self.milliseconds, n=10, method="inclusive")[-1]


@dataclass(frozen=True, slots=True)
class Report:
    database: str
    #: The rows the database holds, which say its scale: priorities and institutions.
    rows: dict[str, int]
    response_cache: bool
    requests: int
    views: dict[str, ViewTiming]


def _missing_dependency() -> str | None:
    try:
        import httpx  # noqa: F401, PLC0415 - only checked for here
    except ImportError as error:
        return (
            f"python -m bench.explorer_views needs {error.name}: install the bench extras "
            "with `scripts/install bench`"
        )
    return None


def bodies() -> dict[str, dict[str, Any]]:
    """The body of each view's request, and the baseline's."""
    sent: dict[str, dict[str, Any]] = {
        name: {"query": (VIEWS / f"{name}.graphql").read_text("utf-8"), "variables": variables}
        for name, variables in VARIABLES.items()
    }
    sent[BASELINE] = {"query": "{ __typename }"}
    return sent


def database_rows(url: str) -> dict[str, int]:
    """What the database at ``url`` holds, read without creating or migrating anything.

    Raises:
        DatabaseNotReadyError: It does not exist, is not migrated to the code's schema,
            or holds no edition.
    """
    shown = shown_database(url)
    if is_sqlite(url):
        path = make_url(url).database
        if not path or not Path(path).expanduser().is_file():
            msg = f"{shown} does not exist"
            raise DatabaseNotReadyError(msg)
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                msg = f"{shown} is not migrated (no alembic_version table)"
                raise DatabaseNotReadyError(msg)
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
            if revision != head_revision():
                msg = f"{shown} is at schema {revision}, this code reads {head_revision()}"
                raise DatabaseNotReadyError(msg)
            rows = {
                table: int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
                for table in ("editions", "priorities", "institutions")
            }
    finally:
        engine.dispose()
    if rows["editions"] == 0:
        msg = f"{shown} holds no edition (not seeded)"
        raise DatabaseNotReadyError(msg)
    return rows


def measure(url: str, requests: int, environ: Mapping[str, str] | None = None) -> Report:
    """Serve the database at ``url`` as ``coopgraph serve`` would and time every view.

    Settings come from ``environ`` (the process's environment by default), with the
    response cache off unless it names ``COOPGRAPH_RESPONSE_CACHE``. One untimed round
    first, then ``requests`` rounds, each view and the baseline in turn.
    """
    import httpx  # noqa: PLC0415 - a bench extra, checked for by main

    from coopgraph.graph.app import build_app  # noqa: PLC0415 - after the check as well
    from coopgraph.settings import Settings  # noqa: PLC0415
    from testbed.live_server import serve  # noqa: PLC0415

    rows = database_rows(url)
    settings = Settings.from_env(
        {"COOPGRAPH_RESPONSE_CACHE": "off", **(environ or os.environ), "DATABASE_URL": url}
    )
    built = build_app(settings)
    counted = [0]

    def count(*_args: Any) -> None:
        counted[0] += 1

    # The compiled path reads through the drivers, not the engine: its source counts.
    source = built.compiled.source if built.compiled is not None else None

    def statements() -> int:
        return counted[0] + (source.statements if source is not None else 0)

    sent = bodies()
    samples: dict[str, list[float]] = {name: [] for name in sent}
    answers: dict[str, _Answers] = {name: _Answers() for name in sent}
    event.listen(built.engine.sync_engine, "before_cursor_execute", count)
    try:
        with serve(built.app) as base, httpx.Client(base_url=base, timeout=120) as client:
            # Untimed: parses, plans and cost estimates are kept after a first request.
            for body in sent.values():
                client.post("/graphql", json=body)
            for _ in range(requests):
                for name, body in sent.items():
                    before = statements()
                    start = time.perf_counter()
                    response = client.post("/graphql", json=body)
                    samples[name].append((time.perf_counter() - start) * 1000)
                    answers[name].add(response, statements() - before)
    finally:
        event.remove(built.engine.sync_engine, "before_cursor_execute", count)
    views = {name: answers[name].timing(name, samples[name]) for name in sent}
    return Report(shown_database(url), rows, settings.caching.responses, requests, views)


class _Answers:
    """What the answers to one view said, gathered as they come."""

    def __init__(self) -> None:
        self.paths: dict[str, None] = {}
        self.hits = 0
        self.statements = 0
        self.size = 0
        self.error: tuple[str, str] | None = None

    def add(self, response: httpx.Response, statements: int) -> None:
        self.size = len(response.content)
        self.statements += statements
        if response.headers.get(CACHE_HEADER) == "hit":
            self.hits += 1
        try:
            payload = response.json()
        except ValueError:
            self.error = (f"HTTP {response.status_code}", response.text[:200])
            return
        errors = payload.get("errors") if isinstance(payload, dict) else None
        if errors:
            first = errors[0]
            code = (first.get("extensions") or {}).get("code", f"HTTP {response.status_code}")
            self.error = (str(code), str(first.get("message", "")))
        elif response.status_code != 200:
            self.error = (f"HTTP {response.status_code}", response.text[:200])
        path = (payload.get("extensions") or {}).get("execution")
        if path is not None:
            self.paths[str(path)] = None

    def timing(self, name: str, milliseconds: list[float]) -> ViewTiming:
        return ViewTiming(
            name=name,
            milliseconds=milliseconds,
            response_bytes=self.size,
            paths=tuple(self.paths),
            cache_hits=self.hits,
            statements=self.statements / max(len(milliseconds), 1),
            error=self.error,
        )


def render(report: Report) -> str:
    """The report as a Markdown table, a line per view."""
    rows = ", ".join(f"{count:,} {table}" for table, count in report.rows.items())
    baseline = report.views[BASELINE].median
    lines = [
        f"{report.database}: {rows}; response cache {'on' if report.response_cache else 'off'};"
        f" {report.requests} requests per view",
        "",
        "| view | median ms | p90 ms | × baseline | bytes | path | cache hits | statements"
        " | error |",
        "|---|--:|--:|--:|--:|---|--:|--:|---|",
    ]
    for view in report.views.values():
        # A pipe in a message would end its cell.
        error = f"{view.error[0]}: {view.error[1]}".replace("|", "\\|") if view.error else ""
        lines.append(
            f"| {view.name} | {view.median:.2f} | {view.p90:.2f} | {view.median / baseline:.1f}"
            f" | {view.response_bytes:,} | {', '.join(view.paths) or '—'}"
            f" | {view.cache_hits}/{len(view.milliseconds)} | {view.statements:.1f} | {error} |"
        )
    return "\n".join(lines)


@contextlib.contextmanager
def temporary_database(db: str, synthetic: int | None, admin_url: str) -> Iterator[str]:
    """A database of its own, seeded with the document (``synthetic`` times), dropped after."""
    from coopgraph.seed import pipeline  # noqa: PLC0415 - only a temporary database is seeded

    if db == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'explorer-views.sqlite3'}"
            pipeline.seed_database(url, synthetic=synthetic)
            yield url
        return
    name = f"coopgraph_views_{os.getpid()}"
    admin = postgres_conninfo(admin_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    scheme, _, rest = admin_url.partition("://")
    url = f"{scheme}://{rest.rsplit('/', 1)[0]}/{name}"
    try:
        pipeline.seed_database(url, synthetic=synthetic)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.explorer_views",
        description="Time the query of each explorer view, executed (response cache off),"
        " against { __typename }. DATABASE_URL is used as it is, never seeded.",
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per view")
    parser.add_argument(
        "--seed",
        action="store_true",
        help="seed a temporary database with the document instead of reading DATABASE_URL",
    )
    parser.add_argument(
        "--synthetic",
        type=int,
        metavar="N",
        help="seed a temporary database with the document multiplied N times",
    )
    parser.add_argument(
        "--db",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the temporary database's kind (default sqlite)",
    )
    parser.add_argument(
        "--postgres",
        default=DEFAULT_POSTGRES,
        help="admin URL of the server a temporary PostgreSQL database is created on"
        " (default: %(default)s)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problem = _missing_dependency()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    given = os.environ.get("DATABASE_URL")
    if given and not args.seed and args.synthetic is None:
        database: contextlib.AbstractContextManager[str] = contextlib.nullcontext(given)
    else:
        database = temporary_database(args.db, args.synthetic, args.postgres)
    try:
        with database as url:
            report = measure(url, args.requests)
    except DatabaseNotReadyError as error:
        print(
            f"bench.explorer_views reads DATABASE_URL as it is and never seeds it: {error}."
            " Seed it (`coopgraph seed`), or pass --seed or --synthetic N to bench a"
            " temporary database.",
            file=sys.stderr,
        )
        return 2
    print(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
