"""Benchmark: the contract's full-tree query, GraphQL vs the hand-written baseline.

Both run in one server process on the same database and are requested alternately by
one client, so machine noise hits both alike; the result is their ratio, not seconds.
Run: ``.venv/bin/python -m bench.full_tree [--requests N] [--copies K]`` (DATABASE_URL
picks the database; by default a temporary SQLite file seeded with K copies of the
document as K editions).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import httpx
from starlette.routing import Route

from bench.baseline import baseline_endpoint
from coopgraph.settings import Settings
from graph.app import create_app
from seed.pipeline import seed_database, shipped_documents
from tests.live_server import serve

QUERY = (
    resources.files("graph").joinpath("contract", "queries", "full_tree.graphql").read_text("utf-8")
)


def seeded_copies(folder: Path, copies: int) -> str:
    text = shipped_documents()[0].read_text(encoding="utf-8")
    paths = []
    for offset in range(copies):
        path = folder / f"{2020 + offset}.txt"
        path.write_text(text.replace("2020年度", f"{2020 + offset}年度", 1), encoding="utf-8")
        paths.append(path)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    seed_database(url, paths)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = seeded_copies(Path(folder), args.copies)
        app = create_app(Settings(database_url=url))
        app.router.routes.append(Route("/baseline/full-tree", baseline_endpoint(app.state.engine)))
        with serve(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            graphql = client.post("/graphql", json={"query": QUERY}).json()
            baseline = client.get("/baseline/full-tree").json()
            assert graphql == baseline, "the baseline must answer the same data"
            requests: dict[str, Callable[[], httpx.Response]] = {
                "graphql": lambda: client.post("/graphql", json={"query": QUERY}),
                "baseline": lambda: client.get("/baseline/full-tree"),
            }
            timings: dict[str, list[float]] = {name: [] for name in requests}
            for _ in range(args.requests):
                for name, send in requests.items():
                    start = time.perf_counter()
                    send().raise_for_status()
                    timings[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    report = {
        "copies": args.copies,
        "requests": args.requests,
        "median_ms": {name: round(value * 1000, 2) for name, value in medians.items()},
        "graphql_speed_vs_baseline": round(medians["baseline"] / medians["graphql"], 3),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
