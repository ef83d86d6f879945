"""HTTP caching of GET answers: a strong ETag, Cache-Control, and 304 on revalidation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from coopgraph.seed.pipeline import seed_database
from coopgraph.settings import Caching, Settings
from tests.graph.caching.conftest import EDITIONS, unique_query
from tests.graph.caching.test_version import second_edition
from tests.graph.http.conftest import run_in_process


def get(client: httpx.Client, query: str, **headers: str) -> httpx.Response:
    return client.get("/graphql", params={"query": query}, headers=headers)


def test_get_answers_carry_a_strong_etag_and_cache_control(seeded_url: str) -> None:
    query, alias = unique_query()
    with run_in_process(Settings(database_url=seeded_url)) as served, served.client() as client:
        first = get(client, query)
        again = get(client, query)
        other = get(client, unique_query()[0])

    assert first.status_code == 200
    assert first.json()["data"] == {alias: [{"year": 2020, "priorityCount": 115}]}
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert not etag.startswith("W/")
    assert first.headers["cache-control"] == "public, max-age=60"
    assert "accept" in first.headers["vary"].lower()
    # The same request on the same data has the same tag, whether cached or not.
    assert again.headers["etag"] == etag
    assert other.headers["etag"] != etag


def test_if_none_match_gives_304_without_a_body(seeded_url: str) -> None:
    query, _alias = unique_query()
    with run_in_process(Settings(database_url=seeded_url)) as served, served.client() as client:
        etag = get(client, query).headers["etag"]
        revalidated = get(client, query, **{"if-none-match": etag})
        weak = get(client, query, **{"if-none-match": f"W/{etag}"})
        listed = get(client, query, **{"if-none-match": f'"other", {etag}'})
        stale = get(client, query, **{"if-none-match": '"not-this-one"'})

    for answer in (revalidated, weak, listed):
        assert answer.status_code == 304
        assert answer.content == b""
        assert answer.headers["etag"] == etag
        assert answer.headers["cache-control"] == "public, max-age=60"
    assert stale.status_code == 200
    assert stale.headers["etag"] == etag


def test_etag_and_304_without_the_response_cache(seeded_url: str) -> None:
    settings = Settings(database_url=seeded_url, caching=Caching(responses=False, http_max_age=5))
    query, _alias = unique_query()
    with run_in_process(settings) as served, served.client() as client:
        first = get(client, query)
        revalidated = get(client, query, **{"if-none-match": first.headers["etag"]})

    assert first.headers["cache-control"] == "public, max-age=5"
    assert revalidated.status_code == 304


def test_after_a_data_change_the_old_etag_gets_the_new_data(
    backend: str, make_seeded_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = make_seeded_database(backend)
    with run_in_process(Settings(database_url=url)) as served, served.client() as client:
        old_etag = get(client, EDITIONS).headers["etag"]
        seed_database(url, [second_edition(tmp_path)])
        after = get(client, EDITIONS, **{"if-none-match": old_etag})

    assert after.status_code == 200
    assert after.json()["data"]["editions"] == [
        {"year": 2020, "priorityCount": 115},
        {"year": 2021, "priorityCount": 115},
    ]
    assert after.headers["etag"] != old_etag


def test_post_answers_carry_no_etag(seeded_url: str) -> None:
    query, _alias = unique_query()
    with run_in_process(Settings(database_url=seeded_url)) as served, served.client() as client:
        etag = get(client, query).headers["etag"]
        answers = [
            client.post("/graphql", json={"query": query}, headers={"if-none-match": etag})
            for _ in range(2)
        ]

    for answer in answers:
        assert answer.status_code == 200
        assert "etag" not in answer.headers
        assert "cache-control" not in answer.headers
    assert answers[1].headers["x-coopgraph-cache"] == "hit"


def test_errors_and_dry_runs_over_get_carry_no_etag(seeded_url: str) -> None:
    with run_in_process(Settings(database_url=seeded_url)) as served, served.client() as client:
        error = get(client, "{ editions { nonsense } }")
        dry = get(client, EDITIONS, **{"x-coopgraph-dry-run": "1"})

    for answer in (error, dry):
        assert "etag" not in answer.headers
        assert "cache-control" not in answer.headers
