"""A request's JSON may nest only so deep.

Deeply nested JSON is small to send and costly downstream: variables nested 254
deep in a 520-byte body reached ``orjson.dumps`` in the cache key, which refuses
past its recursion limit, and the request ended as a 500 with a traceback. Every
walk of the variables (coercion, the list check, the key) recurses; measuring the
depth first, in a loop, turns such a body into a 400 before any of them runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.http.problems import HTTPProblem


def json_depth(value: object, *, stop_past: int | None = None) -> int:
    """How deeply arrays and objects nest in ``value``: 0 for a scalar, 1 for ``[]``.

    A loop over a stack, so a value nested past the recursion limit is measured
    too. With ``stop_past``, measuring stops at the first container deeper than it,
    and that depth is returned.
    """
    deepest = 0
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, Mapping):
            children: list[object] = list(item.values())
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        deepest = max(deepest, depth)
        if stop_past is not None and depth > stop_past:
            return depth
        pending.extend((child, depth + 1) for child in children)
    return deepest


def check_json_depth(value: object, max_depth: int) -> None:
    """Refuse a request body whose JSON nests deeper than ``max_depth``.

    Raises:
        HTTPProblem: 400 ``JSON_DEPTH_LIMIT_EXCEEDED``.
    """
    depth = json_depth(value, stop_past=max_depth)
    if depth > max_depth:
        raise HTTPProblem(
            400,
            f"The request's JSON nests more than {max_depth} arrays or objects deep;"
            " this server reads no deeper.",
            code=ErrorCode.JSON_DEPTH_LIMIT_EXCEEDED,
            extensions={"limit": max_depth},
        )


__all__ = ["check_json_depth", "json_depth"]
