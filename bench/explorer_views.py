"""Benchmark: the query each explorer view sends, on the shipped document.

Each view's .graphql file (web/src/explorer/views) is posted as the explorer posts it,
alternating with a trivial ``{ __typename }`` request to the same server, so the ratio
says what the view's data costs beyond the HTTP and GraphQL round trip itself.
Run: ``.venv/bin/python -m bench.explorer_views [--requests N]`` (DATABASE_URL picks the
database; by default a temporary SQLite file seeded with the document).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from coopgraph.graph.app import create_app
from coopgraph.seed.pipeline import seed_database, shipped_documents
from coopgraph.settings import Settings
from testbed.live_server import serve

VIEWS = Path(__file__).resolve().parents[1] / "web" / "src" / "explorer" / "views"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    bodies = {
        name: {"query": (VIEWS / f"{name}.graphql").read_text("utf-8"), "variables": variables}
        for name, variables in VARIABLES.items()
    }
    bodies["baseline"] = {"query": "{ __typename }"}
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        seed_database(url, shipped_documents())
        app = create_app(Settings(database_url=url))
        timings: dict[str, list[float]] = {name: [] for name in bodies}
        sizes: dict[str, int] = {}
        with serve(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(args.requests):
                for name, body in bodies.items():
                    start = time.perf_counter()
                    response = client.post("/graphql", json=body)
                    timings[name].append(time.perf_counter() - start)
                    response.raise_for_status()
                    assert "errors" not in response.json(), response.text
                    sizes[name] = len(response.content)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    report = {
        "requests": args.requests,
        "median_ms": {name: round(value * 1000, 2) for name, value in medians.items()},
        "response_bytes": sizes,
        "ratio_to_baseline": {
            name: round(value / medians["baseline"], 2) for name, value in medians.items()
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
