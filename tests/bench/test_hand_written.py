"""The benchmark's hand-written endpoint answers exactly what the API answers.

Its answers are the yardstick of every ratio the benchmark reports, so they are checked
here on the document, on SQLite and PostgreSQL, with the same check the benchmark runs
before timing anything. No timings: a benchmark is not a test.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import orjson
import pytest

from bench.equality import BaselineMismatchError, check_same_data
from bench.handwritten import create_app
from bench.workload import ALL_QUERIES, CONTRACT_QUERIES, workloads
from tests.in_process import in_process

JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def hand_written(seeded_url: str) -> Iterator[httpx.Client]:
    """The hand-written endpoint, in process, on the same seeded database as the API."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BENCH_DATABASE_URL", seeded_url)
        app = create_app()
    with in_process(app) as running, running.client(timeout=30) as client:
        yield client


def test_the_contract_is_covered() -> None:
    assert set(CONTRACT_QUERIES) <= set(ALL_QUERIES)
    assert {"full_tree", "search", "shared_institutions"} <= set(CONTRACT_QUERIES)


@pytest.mark.parametrize("query", ALL_QUERIES)
def test_same_bytes_as_the_api(
    query: str, http_client: httpx.Client, hand_written: httpx.Client
) -> None:
    (workload,) = workloads([query])
    served = http_client.post("/graphql", content=workload.body, headers=JSON)
    assert served.status_code == 200
    assert "errors" not in orjson.loads(served.content)
    own = hand_written.post(f"/{query}", content=workload.body, headers=JSON)
    assert own.status_code == 200
    check_same_data(query, served.content, own.content)


def test_a_different_answer_stops_the_benchmark(
    http_client: httpx.Client, hand_written: httpx.Client
) -> None:
    (workload,) = workloads(["country_page"])
    served = http_client.post("/graphql", content=workload.body, headers=JSON).content
    own = hand_written.post("/country_page", content=workload.body, headers=JSON).content
    # The same data with one institution's acronym dropped.
    altered = own.replace(b'"acronym":"CSIRO"', b'"acronym":null', 1)
    assert altered != own
    with pytest.raises(BaselineMismatchError, match="differs from the server's at byte"):
        check_same_data("country_page", served, altered)
