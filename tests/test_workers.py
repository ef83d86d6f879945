"""``coopgraph serve --workers 2`` and ``coopgraph seed`` as a user runs them, side by side.

Both workers are warmed, then a seed in another process adds the 2021 edition, and
every request after it must answer the new data. Workers are told apart by nothing
but the kernel's choice of who accepts each new connection; each keeps its answers in
its own memory, so each answers a new request once uncached (a miss) and from its
cache after that: two misses mean both workers answered. No
worker may serve an answer cached from the old data: on SQLite each notices the
commit through ``PRAGMA data_version``, on PostgreSQL through the seed's ``NOTIFY``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.seed.edits import yearly_copies
from tests.test_serve import serving

REQUESTS = 20
#: Enough fresh connections that the kernel gives both workers some.
MAX_REQUESTS = 200
EDITIONS = "{ editions { year priorityCount } }"
BEFORE = [{"year": 2020, "priorityCount": 115}]
AFTER = [{"year": 2020, "priorityCount": 115}, {"year": 2021, "priorityCount": 115}]


def fresh_connections(url: str) -> httpx.Client:
    """A client that opens a new connection for each request, so the kernel may hand
    each to either worker; one for them all, as building a client (its TLS context)
    takes tens of milliseconds."""
    return httpx.Client(base_url=url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0))


def ask(client: httpx.Client) -> httpx.Response:
    response = client.post("/graphql", json={"query": EDITIONS})
    assert response.status_code == 200, response.text
    return response


def until_both_workers_answered(client: httpx.Client) -> list[httpx.Response]:
    """At least ``REQUESTS`` answers, and more until two misses show both workers answered."""
    answers: list[httpx.Response] = []
    while len(answers) < REQUESTS or (misses(answers) < 2 and len(answers) < MAX_REQUESTS):
        answers.append(ask(client))
    return answers


def misses(answers: list[httpx.Response]) -> int:
    return sum(r.headers.get("x-coopgraph-cache") != "hit" for r in answers)


def test_after_a_seed_every_worker_answers_the_new_data(
    backend: str, make_seeded_database: Callable[[str], str], tmp_path: Path
) -> None:
    database_url = make_seeded_database(backend)
    with serving(database_url, "--workers", "2") as url, fresh_connections(url) as client:
        warm = until_both_workers_answered(client)
        seeded = subprocess.run(
            [sys.executable, "-m", "coopgraph", "seed", str(yearly_copies(tmp_path, 2)[1])],
            env={**os.environ, "DATABASE_URL": database_url},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        after = until_both_workers_answered(client)

    assert seeded.returncode == 0, seeded.stderr
    assert all(r.json()["data"]["editions"] == BEFORE for r in warm)
    assert misses(warm) == 2, f"{len(warm)} requests reached fewer than two workers"
    stale = [i for i, r in enumerate(after) if r.json()["data"]["editions"] != AFTER]
    assert stale == [], f"requests {stale} of {len(after)} after the seed answered the old data"
    # Both workers answered the new data, each once uncached and then from its cache.
    assert misses(after) == 2
