"""Keys of cached answers: what makes two requests share an answer, and what does not."""

from __future__ import annotations

from coopgraph.graph.caching import response_key

QUERY = "query Q($a: Int, $b: Int) { editions { year } }"


def test_variables_in_any_key_order_share_a_key() -> None:
    one = response_key(QUERY, "Q", {"a": 1, "b": {"x": 1, "y": [1, 2]}}, "v1")
    other = response_key(QUERY, "Q", {"b": {"y": [1, 2], "x": 1}, "a": 1}, "v1")
    assert one == other


def test_everything_an_answer_depends_on_changes_the_key() -> None:
    base = response_key(QUERY, "Q", {"a": 1}, "v1")
    assert response_key(QUERY, "Q", {"a": 2}, "v1") != base
    assert response_key(QUERY, "Q", {"a": 1, "b": None}, "v1") != base
    assert response_key(QUERY, "R", {"a": 1}, "v1") != base
    assert response_key(QUERY, None, {"a": 1}, "v1") != base
    assert response_key(QUERY + " ", "Q", {"a": 1}, "v1") != base
    assert response_key(QUERY, "Q", {"a": 1}, "v2") != base
    # A list's order is data, not presentation.
    assert response_key(QUERY, "Q", {"a": [1, 2]}, "v1") != response_key(
        QUERY, "Q", {"a": [2, 1]}, "v1"
    )


def test_no_variables_and_empty_variables_share_a_key() -> None:
    assert response_key(QUERY, None, None, "v1") == response_key(QUERY, None, {}, "v1")


def test_parts_cannot_run_into_each_other() -> None:
    # Each part is length-prefixed: moving characters from the operation name into
    # the version gives another key, though the concatenation is the same.
    assert response_key(QUERY, "ab", None, "c") != response_key(QUERY, "a", None, "bc")


def test_key_is_a_hex_sha256() -> None:
    key = response_key(QUERY, None, None, "v1")
    assert len(key) == 64
    assert set(key) <= set("0123456789abcdef")
