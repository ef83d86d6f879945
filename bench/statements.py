"""SQL statements per request, counted outside the timed runs.

The server's are counted in this process, in the app ``coopgraph serve`` builds
(``create_app``, through ``build_app``), by listening to SQLAlchemy's ``before_cursor_execute`` on its engine
and reading the compiled path's own count (it reads through the drivers), sending each query through the ASGI interface: once to warm the process (the cost
model, a response cache when on), then once counted. The hand-written endpoint's are
counted by running its plans on a counting connection. Counting costs nothing in the
timed processes this way.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import Any

import httpx
from sqlalchemy import event

from bench.handwritten import counting
from bench.workload import Workload


def server_statements(
    url: str, workloads: list[Workload], env: Mapping[str, str]
) -> dict[str, int]:
    """Statements the server runs for one request of each workload, after a first one."""
    saved = {name: os.environ.get(name) for name in (*env, "DATABASE_URL")}
    os.environ.update({**env, "DATABASE_URL": url})
    try:
        return asyncio.run(_count(workloads))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


async def _count(workloads: list[Workload]) -> dict[str, int]:
    from coopgraph.graph.app import build_app  # noqa: PLC0415
    from coopgraph.settings import Settings  # noqa: PLC0415 - reads the environment set above

    built = build_app(Settings.from_env())
    app = built.app
    counted = [0]

    def count(*_args: Any) -> None:
        counted[0] += 1

    engine = built.engine
    event.listen(engine.sync_engine, "before_cursor_execute", count)
    # The compiled path reads through the drivers, not the engine: its data source
    # counts its own statements.
    compiled = built.compiled
    source = compiled.source if compiled is not None else None
    counts: dict[str, int] = {}
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for workload in workloads:
                headers = {"content-type": "application/json"}
                await client.post("/graphql", content=workload.body, headers=headers, timeout=600)
                counted[0] = 0
                before = source.statements if source is not None else 0
                await client.post("/graphql", content=workload.body, headers=headers, timeout=600)
                after = source.statements if source is not None else 0
                counts[workload.name] = counted[0] + after - before
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
        await engine.dispose()
    return counts


def baseline_statements(url: str, workloads: list[Workload]) -> dict[str, int]:
    """Statements each hand-written plan runs, on a counting connection."""
    counts: dict[str, int] = {}
    with counting(url) as executor:
        for workload in workloads:
            before = executor.statements
            executor.answer(workload.name, workload.variables)
            counts[workload.name] = executor.statements - before
    return counts
