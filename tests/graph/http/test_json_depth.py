"""A request's JSON deeper than the bound is a 400, measured without recursion.

Issue 19's body: 520 bytes, variables nested some 254 deep, which ``orjson.dumps`` (the
answer's cache key) refuses past 254 containers, so the request ended as a 500 with a
traceback.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from coopgraph.graph.http.json_depth import check_json_depth, json_depth
from coopgraph.graph.http.problems import HTTPProblem
from coopgraph.settings import Limits


def nested(depth: int) -> Any:
    """Variables whose objects nest ``depth`` deep."""
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def body(variables: Any) -> Any:
    return {"query": "query($a: X) { x }", "variables": variables}


def test_depth_counts_containers() -> None:
    values: list[object] = [7, "x", None, [], {}, [[]], {"a": [1, {}]}]
    assert [json_depth(value) for value in values] == [
        0,
        0,
        0,
        1,
        1,
        2,
        3,
    ]
    assert json_depth(body(nested(255))) == 256


def test_depth_is_measured_past_the_recursion_limit() -> None:
    value: Any = []
    for _ in range(100_000):
        value = [value]
    assert json_depth(value) == 100_001
    assert json_depth(value, stop_past=32) == 33


def test_the_issue_body_is_a_400() -> None:
    variables = nested(255)
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(variables)
    with pytest.raises(HTTPProblem) as caught:
        check_json_depth(body(variables), Limits().max_json_depth)
    problem = caught.value
    assert (problem.status_code, problem.code, problem.extensions) == (
        400,
        "JSON_DEPTH_LIMIT_EXCEEDED",
        {"limit": 32},
    )
    assert problem.message == (
        "The request's JSON nests more than 32 arrays or objects deep; this server reads no deeper."
    )


def test_a_body_at_the_bound_passes_and_can_be_keyed() -> None:
    at_bound = body(nested(31))
    check_json_depth(at_bound, 32)
    assert orjson.dumps(at_bound)
    with pytest.raises(HTTPProblem):
        check_json_depth(body(nested(32)), 32)
