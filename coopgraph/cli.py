"""The ``coopgraph`` command: serve, migrate, seed, check, export-schema, settings.

The one composition root: the only module that brings settings, the database, the seed
and the GraphQL app together. Each command imports what it needs when it runs, so a
serving process never loads the seed's libraries (pypinyin, OpenCC's tables, Alembic):
``serve`` migrates and seeds in a child process that exits before the server starts.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from coopgraph.db.locking import DEFAULT_SEED_LOCK_TIMEOUT, SeedLockTimeoutError
from coopgraph.settings import LOG_LEVELS, Settings

log = logging.getLogger("coopgraph")


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from coopgraph.db.urls import shown_database  # noqa: PLC0415
    from coopgraph.serving import uvicorn_options  # noqa: PLC0415

    # Once, before the migrate child's own lines, so that they read against it.
    log.info("database: %s", shown_database(settings.database_url))
    # Migrate and seed before the workers start, so several workers never race to
    # seed; in a child process, so the server never holds what seeding loaded.
    # The child reads the same environment, hence the same settings.
    migrated = subprocess.run([sys.executable, "-m", "coopgraph", "migrate"], check=False)
    if migrated.returncode != 0:
        return migrated.returncode
    if args.forwarded_allow_ips is not None:
        # Each worker builds its app from the environment; checked here first, so a
        # bad value is one message rather than a traceback per worker.
        variables = {"COOPGRAPH_FORWARDED_ALLOW_IPS": args.forwarded_allow_ips}
        Settings.from_env({**os.environ, **variables})
        os.environ.update(variables)
    with contextlib.ExitStack() as stack:
        if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            # Each worker counts in files here; /metrics sums them, whichever worker
            # answers. Set before the workers start, which read it at import time.
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="coopgraph-metrics-"))
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
        uvicorn.run(
            "coopgraph.graph.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            # The app reads X-Forwarded-For itself (ForwardedClientMiddleware), keeping
            # only IP literals a trusted proxy vouched for.
            proxy_headers=False,
            log_level=settings.logs.level,
            access_log=settings.logs.access_log,
            **uvicorn_options(settings.transport),
        )
    return 0


def _migrate(_args: argparse.Namespace, settings: Settings) -> int:
    from coopgraph.seed.first_start import ensure_seeded  # noqa: PLC0415 - only this command seeds

    report = ensure_seeded(settings.database_url)
    if report is not None:
        for line in report.lines():
            log.info("seeded %s", line)
    return 0


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    from coopgraph.seed.pipeline import seed_database  # noqa: PLC0415
    from coopgraph.seed.progress import SeedProgress  # noqa: PLC0415

    progress = SeedProgress()
    try:
        report = seed_database(
            settings.database_url,
            [Path(p) for p in args.documents] or None,
            synthetic=args.synthetic,
            progress=progress,
            lock_timeout=args.wait,
        )
    finally:
        progress.close()
    print("\n".join(report.lines()))
    return 0


def _check(args: argparse.Namespace, _settings: Settings) -> int:
    from coopgraph.seed.pipeline import check_documents  # noqa: PLC0415

    report = check_documents([Path(p) for p in args.documents])
    print("\n".join(["ok", *report.lines()]))
    return 0


def _export_schema(_args: argparse.Namespace, _settings: Settings) -> int:
    from coopgraph.graph.schema import schema_sdl  # noqa: PLC0415

    sys.stdout.write(schema_sdl())
    return 0


def _settings(_args: argparse.Namespace, _settings: Settings) -> int:
    from coopgraph.settings.table import markdown_table  # noqa: PLC0415

    sys.stdout.write(markdown_table())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coopgraph",
        description="The 2020 international science-cooperation priorities as a GraphQL API. "
        "DATABASE_URL selects the database (default: an embedded SQLite file).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, seed an empty database, and serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    serve.add_argument(
        "--forwarded-allow-ips",
        help="addresses or networks of proxies whose X-Forwarded-For names the client (rate"
        " limits count per client); sets COOPGRAPH_FORWARDED_ALLOW_IPS (default 127.0.0.1)",
    )
    serve.add_argument(
        "--log-level",
        type=str.lower,
        choices=LOG_LEVELS,
        help="the lowest level logged, by the server and the app; sets COOPGRAPH_LOG_LEVEL"
        " (default info)",
    )
    serve.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        help="a log line per request from uvicorn; sets COOPGRAPH_ACCESS_LOG (default off:"
        " it costs throughput, and /metrics counts requests)",
    )
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser(
        "migrate",
        help="apply the database migrations and seed an empty database (serve does this first)",
    )
    migrate.set_defaults(run=_migrate)

    seed = commands.add_parser("seed", help="load documents (default: the shipped 2020 document)")
    seed.add_argument("documents", nargs="*", metavar="DOCUMENT")
    seed.add_argument(
        "--synthetic",
        type=int,
        metavar="N",
        help="load one document (default: the shipped one) multiplied N times (10, 100, 1000) "
        "as a synthetic edition, replacing what is stored; for load and cost measurements",
    )
    seed.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_SEED_LOCK_TIMEOUT,
        metavar="SECONDS",
        help="how long to wait for another seed of the same database to finish (default %(default)g)",
    )
    seed.set_defaults(run=_seed)

    check = commands.add_parser("check", help="validate documents and report, without writing")
    check.add_argument("documents", nargs="+", metavar="DOCUMENT")
    check.set_defaults(run=_check)

    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.set_defaults(run=_export_schema)

    variables = commands.add_parser(
        "settings", help="print the environment variables coopgraph reads (Markdown table)"
    )
    variables.set_defaults(run=_settings)
    return parser


def _switched_variables(args: argparse.Namespace) -> dict[str, str]:
    """The environment variables that the command line's switches set."""
    variables = {}
    if getattr(args, "log_level", None) is not None:
        variables["COOPGRAPH_LOG_LEVEL"] = args.log_level
    if getattr(args, "access_log", None) is not None:
        variables["COOPGRAPH_ACCESS_LOG"] = "on" if args.access_log else "off"
    return variables


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # Alembic narrates every plugin it sets up; only its warnings matter to a user.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    try:
        # The switches of serve are settings: the migrate child and each worker read them
        # from the environment, as they read every other setting.
        os.environ.update(_switched_variables(args))
        settings = Settings.from_env()
        logging.getLogger().setLevel(LOG_LEVELS[settings.logs.level])
        status: int = args.run(args, settings)
    except (SeedLockTimeoutError, ValueError) as error:
        # ValueError covers the settings' and the documents' errors (SettingsError,
        # DocumentError, CurationError), which name the bad value themselves.
        print(f"coopgraph {args.command}: error: {error}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        # The driver's own message says what is wrong (refused, unknown database, ...);
        # SQLAlchemy's wrapper adds only a link and the statement.
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"coopgraph {args.command}: database error: {reason}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
