"""The response cache through the shipped app: what is answered from it, and what never is."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import redis

from coopgraph.settings import Caching, Settings
from testbed.databases import REDIS_NAMESPACE, REDIS_URL
from testbed.live_server import free_port
from tests.graph.caching.conftest import (
    StatementCounter,
    delete_keys_holding,
    unique_query,
)
from tests.graph.http.conftest import LiveApp, run_in_process

CACHE_HEADER = "x-coopgraph-cache"
#: The answers this test process keeps in Redis.
RESPONSE_KEYS = f"{REDIS_NAMESPACE}:response:*"
COUNTRY = """
query Country($isoCode: String, $name: String) {
  country(isoCode: $isoCode, name: $name) { name isoCode continent { name } }
}
"""


@pytest.fixture
def served(seeded_url: str) -> Iterator[LiveApp]:
    """The app as it ships, on each backend, with a fresh memory cache for each test."""
    with run_in_process(Settings(database_url=seeded_url)) as app:
        yield app


@pytest.fixture
def counter(served: LiveApp) -> Iterator[StatementCounter]:
    counting = StatementCounter(served)
    yield counting
    counting.close()


def post(client: httpx.Client, body: dict[str, object], **headers: str) -> httpx.Response:
    response = client.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response


def test_repeated_request_is_answered_from_the_cache_without_sql(
    served: LiveApp, counter: StatementCounter
) -> None:
    query, alias = unique_query()
    with served.client() as client:
        before = counter.snapshot()
        first = post(client, {"query": query})
        after_first = counter.snapshot()
        second = post(client, {"query": query})
        after_second = counter.snapshot()

    assert first.json()["data"] == {alias: [{"year": 2020, "priorityCount": 115}]}
    assert CACHE_HEADER not in first.headers
    # The first answer read the database (on the compiled path, or through the engine),
    # so the counters do see this app's statements.
    assert sum(after_first) > sum(before)
    assert second.headers[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]
    assert after_second == after_first


def test_variables_in_another_key_order_share_an_answer(
    served: LiveApp, counter: StatementCounter
) -> None:
    with served.client() as client:
        first = post(client, {"query": COUNTRY, "variables": {"isoCode": "JP", "name": "日本"}})
        statements = counter.snapshot()
        second = post(client, {"query": COUNTRY, "variables": {"name": "日本", "isoCode": "JP"}})

    assert first.json()["data"]["country"] == {
        "name": "日本",
        "isoCode": "JP",
        "continent": {"name": "亚洲"},
    }
    assert second.headers[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert counter.snapshot() == statements


def test_other_variables_are_answered_anew(served: LiveApp, counter: StatementCounter) -> None:
    with served.client() as client:
        post(client, {"query": COUNTRY, "variables": {"isoCode": "JP"}})
        statements = counter.snapshot()
        france = post(client, {"query": COUNTRY, "variables": {"isoCode": "FR"}})
        absent = post(client, {"query": COUNTRY, "variables": {"isoCode": "JP", "name": None}})

    assert CACHE_HEADER not in france.headers
    assert france.json()["data"]["country"]["name"] == "法国"
    assert sum(counter.snapshot()) > sum(statements)
    # An explicit null is another request than an omitted variable (GraphQL tells
    # them apart), so it is not answered from the cache either.
    assert CACHE_HEADER not in absent.headers


def test_another_operation_name_is_answered_anew(served: LiveApp) -> None:
    _query, alias = unique_query()
    document = (
        f"query Years {{ {alias}: editions {{ year }} }}\n"
        f"query Fields {{ {alias}: fields {{ name }} }}"
    )
    with served.client() as client:
        years = post(client, {"query": document, "operationName": "Years"})
        fields = post(client, {"query": document, "operationName": "Fields"})
        years_again = post(client, {"query": document, "operationName": "Years"})

    assert years.json()["data"] == {alias: [{"year": 2020}]}
    assert CACHE_HEADER not in fields.headers
    assert len(fields.json()["data"][alias]) == 9
    assert fields.json()["data"][alias][0] == {"name": "基础前沿交叉领域"}
    assert years_again.headers[CACHE_HEADER] == "hit"
    assert years_again.content == years.content


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"query": "{ editions { year } nonsense }"}, id="validation-error"),
        pytest.param({"query": "{ editions { year "}, id="syntax-error"),
        pytest.param(
            {"query": "query Q($iso: String!) { country(isoCode: $iso) { name } }"},
            id="missing-variable",
        ),
        pytest.param(
            {"query": "{ editions { year } }", "operationName": "Absent"},
            id="unknown-operation",
        ),
    ],
)
def test_errors_are_not_cached(
    served: LiveApp, counter: StatementCounter, body: dict[str, object]
) -> None:
    with served.client() as client:
        answers = [post(client, body) for _ in range(3)]

    for answer in answers:
        assert answer.json()["errors"], answer.text
        assert CACHE_HEADER not in answer.headers
        assert "etag" not in answer.headers
    assert answers[1].content == answers[2].content


def test_field_errors_with_partial_data_are_not_cached(served: LiveApp) -> None:
    _query, alias = unique_query()
    document = f'{{ {alias}: editions {{ year }} node(id: "not-an-id") {{ id }} }}'
    with served.client() as client:
        answers = [post(client, {"query": document}) for _ in range(2)]

    for answer in answers:
        body = answer.json()
        assert body["data"][alias] == [{"year": 2020}]
        assert body["errors"], answer.text
        assert CACHE_HEADER not in answer.headers


def test_dry_runs_are_not_cached(served: LiveApp, counter: StatementCounter) -> None:
    query, alias = unique_query()
    with served.client() as client:
        dry = [post(client, {"query": query}, **{"x-coopgraph-dry-run": "1"}) for _ in range(2)]
        dry_extension = post(client, {"query": query, "extensions": {"dryRun": True}})
        statements = counter.snapshot()
        real = post(client, {"query": query})

    for answer in [*dry, dry_extension]:
        assert "data" not in answer.json()
        assert answer.json()["extensions"]["dryRun"] is True
        assert CACHE_HEADER not in answer.headers
    # The dry runs stored nothing: the first real request executes.
    assert CACHE_HEADER not in real.headers
    assert real.json()["data"] == {alias: [{"year": 2020, "priorityCount": 115}]}
    assert sum(counter.snapshot()) > sum(statements)


def test_cache_off_never_answers_from_the_cache(seeded_url: str) -> None:
    settings = Settings(database_url=seeded_url, caching=Caching(responses=False))
    query, _alias = unique_query()
    with run_in_process(settings) as served, served.client() as client:
        counter = StatementCounter(served)
        try:
            answers = []
            executed = []
            for _ in range(3):
                before = counter.snapshot()
                answers.append(post(client, {"query": query}))
                executed.append(sum(counter.snapshot()) - sum(before))
        finally:
            counter.close()

    assert all(CACHE_HEADER not in answer.headers for answer in answers)
    assert all(count > 0 for count in executed), executed
    assert len({answer.content for answer in answers}) == 1


def test_cache_off_from_the_environment() -> None:
    assert Caching.from_env({"COOPGRAPH_RESPONSE_CACHE": "off"}).responses is False
    assert Caching.from_env({}).responses is True


def test_two_apps_share_answers_through_redis(seeded_url: str, redis_client: redis.Redis) -> None:
    query, alias = unique_query()
    settings = Settings(
        database_url=seeded_url, redis_url=REDIS_URL, redis_namespace=REDIS_NAMESPACE
    )
    try:
        with run_in_process(settings) as one, run_in_process(settings) as two:
            with one.client() as client:
                first = post(client, {"query": query})
            counter = StatementCounter(two)
            try:
                with two.client() as client:
                    second = post(client, {"query": query})
            finally:
                counter.close()
            stored = [
                key
                for key in redis_client.scan_iter(RESPONSE_KEYS, count=1000)
                if alias.encode() in (redis_client.get(key) or b"")
            ]
    finally:
        deleted = delete_keys_holding(redis_client, RESPONSE_KEYS, alias)

    assert CACHE_HEADER not in first.headers
    assert second.headers[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert counter.snapshot() == (0, 0)
    assert len(stored) == 1
    assert deleted == 1
    # Kept for a while, not for ever: the default time-to-live.
    assert stored[0].startswith(f"{REDIS_NAMESPACE}:response:".encode())


def test_answers_in_redis_expire(seeded_url: str, redis_client: redis.Redis) -> None:
    query, alias = unique_query()
    settings = Settings(
        database_url=seeded_url,
        redis_url=REDIS_URL,
        redis_namespace=REDIS_NAMESPACE,
        caching=Caching(ttl=120),
    )
    try:
        with run_in_process(settings) as served, served.client() as client:
            post(client, {"query": query})
        ttls = [
            redis_client.ttl(key)
            for key in redis_client.scan_iter(RESPONSE_KEYS, count=1000)
            if alias.encode() in (redis_client.get(key) or b"")
        ]
    finally:
        delete_keys_holding(redis_client, RESPONSE_KEYS, alias)
    assert len(ttls) == 1
    assert 0 < ttls[0] <= 120


def test_redis_that_is_down_is_a_miss_not_a_failure(seeded_url: str) -> None:
    # Nothing listens on this port: every read and write of the cache fails at once.
    settings = Settings(database_url=seeded_url, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    query, alias = unique_query()
    with run_in_process(settings) as served, served.client() as client:
        answers = [post(client, {"query": query}) for _ in range(2)]
        health = client.get("/healthz")

    for answer in answers:
        assert answer.json()["data"] == {alias: [{"year": 2020, "priorityCount": 115}]}
        assert CACHE_HEADER not in answer.headers
    assert health.status_code == 200
