"""The field and introspection budgets, read off the document before validation.

Issue 19's validation bomb (``{ continents { name } }`` 995 times, under every other
limit) and its ``{ __typename }`` and introspection variants, measured as written.
"""

from __future__ import annotations

from importlib import resources

import pytest
from graphql import parse

from coopgraph.graph.limits import LimitExceeded, check_shape
from coopgraph.graph.limits.shape import check_variable_lists, count_fields
from coopgraph.settings import Limits
from testbed.graphql_attacks import GRAPHIQL, SCHEMAS, TYPENAMES, VALIDATION_BOMB, fragment_tree
from tests.graph.limits.test_shape import refusal, shape

CONTRACT = resources.files("coopgraph.graph").joinpath("contract", "queries")
BOMB = VALIDATION_BOMB


def test_fields_are_counted_as_written_each_fragment_once() -> None:
    document = parse(
        "query { continents { ...C ...C ... on Continent { name } } }"
        " fragment C on Continent { name countries { name } }"
    )
    # continents, name (inline), and the fragment's name, countries, name.
    assert count_fields(document) == 5


def test_the_defaults_are_the_settings() -> None:
    assert (Limits().max_fields, Limits().max_introspection) == (200, 2)


def test_the_validation_bomb_is_refused_by_the_field_budget() -> None:
    refused = refusal(BOMB)
    assert (refused.code, refused.measured, refused.limit) == ("FIELD_LIMIT_EXCEEDED", 1990, 200)
    assert refused.name == "field"
    assert refused.message == (
        "The query selects 1990 fields; this server allows 200."
        " Select each field once, or send several smaller queries."
    )


def test_a_thousand_typenames_are_refused_by_the_field_budget() -> None:
    refused = refusal(TYPENAMES)
    assert (refused.code, refused.measured, refused.limit) == ("FIELD_LIMIT_EXCEEDED", 1000, 200)


def test_the_field_budget_is_a_setting() -> None:
    assert shape(BOMB, max_fields=1990, max_expanded_fields=1990).fields == 1990
    assert refusal("{ a b c }", max_fields=2).measured == 3


def test_seventeen_schemas_are_refused_by_the_introspection_budget() -> None:
    refused = refusal(SCHEMAS)
    assert (refused.code, refused.measured, refused.limit) == (
        "INTROSPECTION_LIMIT_EXCEEDED",
        17,
        2,
    )
    assert refused.name == "introspection"


def test_introspection_through_fragments_is_counted_expanded() -> None:
    query = '{ ...S ...S ...S } fragment S on Query { __type(name: "Country") { name } }'
    assert refusal(query).measured == 3
    assert shape(query, max_introspection=3).introspection == 3


def test_typename_is_not_introspection() -> None:
    assert shape("{ __typename continents { __typename } }").introspection == 0


def test_graphiql_introspection_and_the_contract_pass() -> None:
    graphiql = shape(GRAPHIQL)
    assert (graphiql.fields, graphiql.introspection) == (72, 1)
    fields = {
        path.name: shape(path.read_text("utf-8")).fields
        for path in CONTRACT.iterdir()
        if path.name.endswith(".graphql")
    }
    assert fields == {
        "country_page.graphql": 30,
        "field_overview.graphql": 17,
        "full_tree.graphql": 11,
        "institutions_page.graphql": 18,
        "search.graphql": 25,
        "shared_institutions.graphql": 13,
    }


def test_an_input_object_with_more_fields_than_a_list_may_hold_is_refused() -> None:
    # Validation prints the whole object into the error of each unknown field: 1,200
    # fields cost seconds and answered 1.3 MB before this check.
    members = ",".join(f"k{n}: 1" for n in range(1200))
    document = parse("{ countries(filter: {" + members + "}) { totalCount } }")
    with pytest.raises(LimitExceeded) as refused:
        check_shape(document, max_depth=12, max_aliases=30, max_list_items=100)
    assert refused.value.code == "LIST_LIMIT_EXCEEDED"
    assert (refused.value.measured, refused.value.limit) == (1200, 100)
    assert "input object at countries(filter:) has 1200 fields" in str(refused.value)


def test_an_input_object_in_the_variables_is_bounded_like_a_literal() -> None:
    variables = {"filter": {f"k{n}": 1 for n in range(101)}}
    with pytest.raises(LimitExceeded) as refused:
        check_variable_lists(variables, 100)
    assert refused.value.code == "LIST_LIMIT_EXCEEDED"
    assert "variables.filter has 101 fields" in str(refused.value)
    check_variable_lists({f"v{n}": 1 for n in range(300)}, 100)


def test_a_fragment_tree_is_refused_by_its_expansion() -> None:
    """Costed at nothing (``nodes(ids: [])``), 127 fields as written, 886 expanded."""
    document = fragment_tree(5)
    assert len(document) < 3_000
    assert count_fields(parse(document)) < Limits().max_fields
    refused = refusal(document)
    assert (refused.code, refused.measured, refused.limit) == ("FIELD_LIMIT_EXCEEDED", 886, 800)
    assert refused.message == (
        "The query selects 886 fields with its fragments expanded; this server allows 800."
        " Spread fewer fragments into each other, or send several smaller queries."
    )
    assert shape(fragment_tree(4)).expanded == 318


def test_the_expansion_leaves_the_schema_s_own_fields_aside() -> None:
    # GraphiQL's query expands to 469 fields, every one under __schema but the root.
    assert shape(GRAPHIQL).expanded == 1
    assert shape("{ __typename fields { name } }").expanded == 3


@pytest.mark.parametrize("path", sorted(CONTRACT.iterdir(), key=str), ids=lambda p: p.name)
def test_contract_queries_expand_well_under_the_limit(path: object) -> None:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert 0 < shape(text).expanded <= 46
