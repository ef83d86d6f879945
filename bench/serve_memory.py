"""What a serving process holds in memory, against what the app itself needs.

``coopgraph serve`` on an already seeded database, after its start and one request for
the contract's full tree, beside a process that only imports ``graph.app``, builds
``create_app()`` and answers the same request under uvicorn. The difference is what
the command line keeps loaded beyond the app (before ``serve`` seeded in a child
process, pypinyin and Alembic among it). Usage: ``python -m bench.serve_memory``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from testbed.live_server import free_port
from testbed.serve_process import coopgraph_serve, resident_kib, stop, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
FULL_TREE = (ROOT / "graph" / "contract" / "queries" / "full_tree.graphql").read_text("utf-8")

#: The app alone, served as ``coopgraph serve`` serves it (one uvicorn process).
APP_ONLY = """
import sys
import uvicorn
from coopgraph.graph.app import create_app
from coopgraph.settings import Settings
uvicorn.run(create_app(Settings.from_env()), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def answer_once(url: str) -> None:
    response = httpx.post(f"{url}/graphql", json={"query": FULL_TREE}, timeout=60)
    response.raise_for_status()
    assert "errors" not in response.json()


def serve_kib(database_url: str, folder: Path) -> int:
    with coopgraph_serve(database_url, folder / "serve.log") as server:
        answer_once(server.url)
        # One worker: uvicorn serves in the command's own process.
        return resident_kib([server.pid])


def app_only_kib(database_url: str, folder: Path) -> int:
    port = free_port()
    log_path = folder / "app.log"
    env = {**os.environ, "DATABASE_URL": database_url}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", APP_ONLY, str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log_path, what="the app alone")
        answer_once(url)
        return resident_kib([process.pid])
    finally:
        stop(process)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="coopgraph-memory-") as name:
        folder = Path(name)
        database_url = f"sqlite:///{folder / 'coopgraph.sqlite3'}"
        subprocess.run(
            [sys.executable, "-m", "coopgraph", "migrate"],
            env={**os.environ, "DATABASE_URL": database_url},
            check=True,
            capture_output=True,
        )
        served = serve_kib(database_url, folder)
        alone = app_only_kib(database_url, folder)
    print("| process | RSS after start and one full-tree request |")
    print("| --- | --- |")
    print(f"| `coopgraph serve` | {served / 1024:.1f} MiB |")
    print(f"| `graph.app` alone under uvicorn | {alone / 1024:.1f} MiB |")
    print(f"| difference | {(served - alone) / 1024:.1f} MiB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
