"""Automatic Persisted Queries with Apollo Client's own link, against the live app.

``tests/clients/apq.mjs`` runs three Apollo clients in Node and prints every HTTP
exchange; this test judges them. Node and npm are skipped when missing, unless
``COOPGRAPH_REQUIRE_BROWSER`` is set (as CI sets it for the browser-side checks).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from coopgraph.settings import Settings
from tests.environment import unavailable
from tests.graph.caching.conftest import unique_query
from tests.graph.http.conftest import LiveApp, live

CLIENTS = Path(__file__).resolve().parents[2] / "clients"
STAMP = CLIENTS / "node_modules" / ".coopgraph-lock"


def install_clients() -> None:
    """``npm ci`` in tests/clients when its lockfile changed since the last install.

    ``scripts/install`` does the same; doing it here too lets the test run in a
    checkout where only the Python side was installed.
    """
    if shutil.which("node") is None or shutil.which("npm") is None:
        unavailable(
            "node and npm are needed to run Apollo Client", required_by="COOPGRAPH_REQUIRE_BROWSER"
        )
    lock = hashlib.sha256((CLIENTS / "package-lock.json").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text().strip() == lock:
        return
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-fund", "--no-audit", "--loglevel=error"],
        cwd=CLIENTS,
        check=True,
        timeout=300,
    )
    STAMP.write_text(lock)


@pytest.fixture(scope="module")
def served(seeded_url: str) -> Iterator[LiveApp]:
    install_clients()
    with live(Settings(database_url=seeded_url)) as app:
        yield app


def run_apollo(url: str, query: str) -> dict[str, Any]:
    finished = subprocess.run(
        ["node", str(CLIENTS / "apq.mjs"), f"{url}/graphql", query],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    report: dict[str, Any] = orjson.loads(finished.stdout)
    return report


def persisted_query(exchange: dict[str, Any]) -> dict[str, Any]:
    """The ``persistedQuery`` extension an exchange sent, from its body or its URL."""
    if exchange["requestBody"] is not None:
        extension: dict[str, Any] = exchange["requestBody"]["extensions"]["persistedQuery"]
        return extension
    params = parse_qs(urlsplit(exchange["url"]).query)
    decoded: dict[str, dict[str, Any]] = orjson.loads(params["extensions"][0])
    return decoded["persistedQuery"]


def test_apollo_persisted_query_link(served: LiveApp) -> None:
    query, alias = unique_query("editions { year priorityCount title }")
    report = run_apollo(served.url, query)
    expected_editions = [
        {
            "__typename": "Edition",
            "year": 2020,
            "priorityCount": 115,
            "title": "2020年度对外合作重点项目资助重点",
        }
    ]

    first = report["first"]
    assert first["error"] is None
    assert first["data"][alias] == expected_editions
    not_found, registered = first["exchanges"]
    # The first request sends only the hash; the server does not know it.
    assert not_found["method"] == "POST"
    assert "query" not in not_found["requestBody"]
    sent_hash = persisted_query(not_found)["sha256Hash"]
    assert persisted_query(not_found)["version"] == 1
    assert not_found["responseBody"]["errors"][0]["extensions"]["code"] == (
        "PERSISTED_QUERY_NOT_FOUND"
    )
    # The link retries with the text, whose SHA-256 is the hash it sent.
    sent_text = registered["requestBody"]["query"]
    assert hashlib.sha256(sent_text.encode()).hexdigest() == sent_hash
    assert persisted_query(registered)["sha256Hash"] == sent_hash
    assert registered["status"] == 200

    # A second client, knowing nothing, sends the hash alone and is answered.
    second = report["second"]
    assert second["error"] is None
    assert second["data"] == first["data"]
    (hashed,) = second["exchanges"]
    assert "query" not in hashed["requestBody"]
    assert persisted_query(hashed)["sha256Hash"] == sent_hash
    assert hashed["status"] == 200

    # useGETForHashedQueries: one GET with the hash in the URL, cacheable by HTTP.
    over_get = report["get"]
    assert over_get["error"] is None
    assert over_get["data"] == first["data"]
    (get,) = over_get["exchanges"]
    assert get["method"] == "GET"
    assert "query" not in parse_qs(urlsplit(get["url"]).query)
    assert persisted_query(get)["sha256Hash"] == sent_hash
    assert get["status"] == 200
    assert get["etag"]
