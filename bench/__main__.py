"""``python -m bench``: the API against its floor and a hand-written endpoint, side by side.

For each database and scale it loads a throwaway database, then starts on loopback, each
as its own process pinned to core 0:

- the server as it ships (``coopgraph serve``, one worker), with the response cache on
  and off (``COOPGRAPH_RESPONSE_CACHE``);
- the floor: the server's own answers as static bytes through Starlette and uvicorn;
- the hand-written endpoint (``bench.handwritten``): the driver, a few statements,
  orjson. Its answers are checked byte for byte against the server's before anything
  is timed, and the run stops if one differs.

wrk drives each query at each endpoint from core 1 for a fixed time. The results go to
``bench/results/<date>-<database>.md`` with a chart beside it. The numbers are ratios
measured in one run on one machine; a benchmark is not a test, and nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench.options import CACHES, DATABASES, Options
from bench.workload import ALL_QUERIES, workloads

RESULTS = Path(__file__).parent / "results"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure the API against the floor (its own answers as static bytes) and "
        "a hand-written endpoint, with wrk, on SQLite and PostgreSQL.",
    )
    parser.add_argument(
        "--query",
        type=_split,
        default=[],
        help=f"comma-separated subset of: {', '.join(ALL_QUERIES)} (default: all)",
    )
    parser.add_argument(
        "--db", type=_split, default=list(DATABASES), help="sqlite, postgresql or both (default)"
    )
    parser.add_argument(
        "--scale",
        type=_split,
        default=["1", "100"],
        help="comma-separated multipliers of the document, e.g. 1,100,1000 (default: 1,100)",
    )
    parser.add_argument(
        "--cache", type=_split, default=list(CACHES), help="off, on or both (default)"
    )
    parser.add_argument(
        "--duration", type=float, default=5.0, help="seconds of load per cell (default 5)"
    )
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="seconds of load before each cell (default 1)"
    )
    parser.add_argument(
        "--postgres",
        default=DEFAULT_POSTGRES,
        help="admin URL of the PostgreSQL server the throwaway databases are created on "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--pg-jit",
        choices=("off", "on"),
        default="off",
        help="PostgreSQL's jit on the benchmark databases (default off: it makes the big "
        "statements slower, not faster)",
    )
    parser.add_argument(
        "--pg-driver",
        choices=("auto", "async", "thread"),
        default="auto",
        help="the hand-written endpoint's psycopg: async, blocking in a thread, or auto: "
        "measure both on the first query and keep the faster (default)",
    )
    parser.add_argument(
        "--seeder",
        default=None,
        help="the coopgraph command that loads larger scales with `seed --synthetic N` "
        "(default: this environment's `python -m coopgraph`)",
    )
    parser.add_argument(
        "--out", type=Path, default=RESULTS, help="folder for the results (default bench/results)"
    )
    return parser


def _options(args: argparse.Namespace) -> Options:
    unknown = sorted(set(args.db) - set(DATABASES)) + sorted(set(args.cache) - set(CACHES))
    if unknown:
        msg = f"unknown --db or --cache value: {', '.join(unknown)}"
        raise ValueError(msg)
    try:
        scales = sorted({int(scale) for scale in args.scale})
    except ValueError:
        msg = f"--scale takes whole numbers, got {','.join(args.scale)}"
        raise ValueError(msg) from None
    if not scales or min(scales) < 1:
        msg = "--scale takes multipliers of at least 1"
        raise ValueError(msg)
    seeder = args.seeder.split() if args.seeder else [sys.executable, "-m", "coopgraph"]
    return Options(
        databases=[d for d in DATABASES if d in args.db],
        scales=scales,
        caches=[c for c in CACHES if c in args.cache],
        workloads=workloads(args.query),
        duration=args.duration,
        warmup=args.warmup,
        postgres=args.postgres,
        jit=args.pg_jit == "on",
        pg_driver=args.pg_driver,
        seeder=seeder,
        out=args.out,
    )


def _missing_dependency() -> str | None:
    try:
        import httpx  # noqa: F401, PLC0415 - only checked for here
        import matplotlib  # noqa: F401, PLC0415
    except ImportError as error:
        return (
            f"python -m bench needs {error.name}: install the bench extras with "
            "`pip install -e .[bench]` (or `scripts/install bench`)"
        )
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    problem = _missing_dependency()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    # Imported after the check: they need the bench extras.
    from bench.load import LoadGeneratorMissingError, wrk_version  # noqa: PLC0415
    from bench.matrix import run_database  # noqa: PLC0415
    from bench.processes import CLIENT_CORE, two_cores  # noqa: PLC0415

    try:
        options = _options(args)
        wrk = wrk_version()
    except (ValueError, LoadGeneratorMissingError) as error:
        parser.error(str(error))
    if two_cores():
        # The harness shares the load generator's core, never the servers'.
        os.sched_setaffinity(0, {CLIENT_CORE})
    options.progress[1] = options.cells_per_scale * len(options.scales) * len(options.databases)
    options.out.mkdir(parents=True, exist_ok=True)
    for database in options.databases:
        path = run_database(database, options, wrk)
        print(f"wrote {path} and its chart", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
