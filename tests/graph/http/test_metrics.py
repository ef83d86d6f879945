"""GET /metrics: Prometheus text, counting requests by outcome, latency and refusals."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families

from tests.graph.http.conftest import graphql
from tests.graph.http.test_limits import SIX_MILLION

pytestmark = pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: httpx.Client) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPE_LATEST
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_metrics_count_outcomes_latency_and_refusals(client: httpx.Client) -> None:
    before = scrape(client)
    for _ in range(3):
        assert graphql(client, "{ editions { year } }").status_code == 200
    graphql(client, "{ priorities(first: 0) { totalCount } }")  # a field error
    graphql(client, "{ nope }")  # a validation error
    graphql(client, "{ " + " ".join(f"a{i}: editions {{ year }}" for i in range(31)) + " }")
    graphql(client, SIX_MILLION)
    client.post("/graphql", content=b"x" * 70_000, headers={"content-type": "application/json"})
    after = scrape(client)

    requests = "coopgraph_graphql_requests_total"
    assert delta(before, after, requests, outcome="ok") == 3
    assert delta(before, after, requests, outcome="client_error") == 2
    assert delta(before, after, requests, outcome="refused") == 3
    assert delta(before, after, requests, outcome="internal_error") == 0

    latency = "coopgraph_graphql_request_duration_seconds"
    assert delta(before, after, f"{latency}_count", outcome="ok") == 3
    assert delta(before, after, f"{latency}_bucket", outcome="ok", le="+Inf") == 3
    assert delta(before, after, f"{latency}_sum", outcome="ok") > 0

    refusals = "coopgraph_limit_refusals_total"
    assert delta(before, after, refusals, limit="alias") == 1
    assert delta(before, after, refusals, limit="cost") == 1
    assert delta(before, after, refusals, limit="depth") == 0


def test_metrics_name_every_family_with_help(client: httpx.Client) -> None:
    text = client.get("/metrics").text
    for name in (
        "coopgraph_graphql_requests_total",
        "coopgraph_graphql_request_duration_seconds",
        "coopgraph_limit_refusals_total",
        "coopgraph_database_errors_total",
    ):
        family = name.removesuffix("_total")
        assert f"# HELP {name}" in text or f"# HELP {family}" in text
        assert f"# TYPE {family}" in text
