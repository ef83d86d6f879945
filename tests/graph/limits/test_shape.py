"""Limits read off the document alone: tokens, depth, aliases, list sizes."""

from __future__ import annotations

import pytest
from graphql import GraphQLSyntaxError, parse

from coopgraph.graph.limits import LimitExceeded, check_shape, check_variable_lists, count_tokens
from coopgraph.graph.limits.shape import Shape

LIMITS = {"max_depth": 12, "max_aliases": 30, "max_list_items": 100}


def shape(query: str, **limits: int) -> Shape:
    return check_shape(parse(query), **{**LIMITS, **limits})


def refusal(query: str, **limits: int) -> LimitExceeded:
    with pytest.raises(LimitExceeded) as caught:
        shape(query, **limits)
    return caught.value


def test_tokens_are_counted_without_comments() -> None:
    # { a ( x : 1 ) { b } } is 11 tokens; the comment is none.
    assert count_tokens("{ a(x: 1) { b } } # a comment with many words", 100) == 11


def test_tokens_past_the_limit_are_refused_as_soon_as_counted() -> None:
    with pytest.raises(LimitExceeded) as caught:
        count_tokens("{ " + "a " * 1_000_000 + "}", 5000)
    refused = caught.value
    assert (refused.code, refused.measured, refused.limit) == ("TOKEN_LIMIT_EXCEEDED", 5001, 5000)
    assert refused.name == "token"


def test_tokens_report_syntax_errors_as_graphql_does() -> None:
    with pytest.raises(GraphQLSyntaxError):
        count_tokens('{ a(x: "unterminated) }', 100)


def test_depth_counts_fields_on_the_longest_path() -> None:
    assert shape("{ a { b { c } } d }") == Shape(
        depth=3, aliases=0, fields=4, introspection=0, expanded=4
    )
    # Expanded: a, then the fragment's b, c and d, once per spread.
    assert shape("{ a { ...F ...F } } fragment F on T { b { c { d } } }").expanded == 7
    assert shape("{ a { ...F } } fragment F on T { b { c { d } } }").depth == 4
    assert shape("{ a { ... on T { b } } }").depth == 2


def test_depth_past_the_limit_is_refused() -> None:
    query = "{ " + "a { " * 12 + "b" + " }" * 12 + " }"
    refused = refusal(query)
    assert (refused.code, refused.measured, refused.limit) == ("DEPTH_LIMIT_EXCEEDED", 13, 12)


def test_introspection_does_not_count_towards_depth() -> None:
    query = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType"
    query += " { ofType { ofType { ofType { name } } } } } } } } } } } } }"
    assert shape(query).depth == 1


def test_aliases_count_with_fragments_expanded() -> None:
    assert shape("{ x: a y: a { z: b } }").aliases == 3
    query = "{ ...F ...F } fragment F on Q { a: x b: x }"
    assert shape(query).aliases == 4
    refused = refusal("{ " + " ".join(f"a{i}: x" for i in range(31)) + " }")
    assert (refused.code, refused.measured, refused.limit) == ("ALIAS_LIMIT_EXCEEDED", 31, 30)


def test_a_fragment_bomb_is_measured_by_its_expansion_without_walking_it() -> None:
    # Each fragment spreads the next twice: 2^40 aliases once expanded, measured once each.
    fragments = [f"fragment F{i} on Q {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40)]
    fragments.append("fragment F40 on Q { a: x }")
    refused = refusal("{ ...F0 } " + " ".join(fragments))
    assert refused.code == "ALIAS_LIMIT_EXCEEDED"
    assert refused.measured == 2**40


def test_fragment_cycles_do_not_recurse_forever() -> None:
    assert shape("{ ...A } fragment A on Q { ...B x } fragment B on Q { ...A y }").depth == 1


def test_list_literals_past_the_limit_are_refused_where_they_are() -> None:
    ids = ", ".join(f'"{i}"' for i in range(101))
    refused = refusal(f"{{ nodes(ids: [{ids}]) {{ id }} }}")
    assert (refused.code, refused.measured, refused.limit) == ("LIST_LIMIT_EXCEEDED", 101, 100)
    assert refused.message == "The list at nodes(ids:) has 101 items; this server allows 100."
    nested = refusal(f"{{ a(filter: {{kinds: [{ids}]}}) {{ b }} }}")
    assert nested.message == ("The list at a(filter:).kinds has 101 items; this server allows 100.")
    assert shape(f"{{ nodes(ids: [{', '.join(['1'] * 100)}]) {{ id }} }}").depth == 2


def test_variable_lists_past_the_limit_are_refused_by_name() -> None:
    check_variable_lists({"ids": list(range(100)), "f": {"kinds": ["A"]}}, 100)
    with pytest.raises(LimitExceeded) as caught:
        check_variable_lists({"f": {"kinds": list(range(101))}}, 100)
    assert caught.value.message == (
        "The list at variables.f.kinds has 101 items; this server allows 100."
    )
    with pytest.raises(LimitExceeded):
        check_variable_lists({"deep": [[list(range(101))]]}, 100)
