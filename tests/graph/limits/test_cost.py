"""The cost estimate, on the statistics of the seeded document."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from importlib import resources

import pytest
from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    get_named_type,
    is_composite_type,
    parse,
)

from coopgraph.db.engine import create_api_engine, create_session_factory
from coopgraph.db.queries.statistics import RelationBound, relation_bounds
from coopgraph.db.relations import Relation
from coopgraph.graph.http import validation_schema
from coopgraph.graph.limits import CostModel, LimitExceeded, estimate_cost
from coopgraph.graph.limits.cost import LIST_BOUNDS
from coopgraph.graph.schema import build_schema
from tests.seed.facts import MENTIONS

CONTRACT = resources.files("coopgraph.graph").joinpath("contract", "queries")
SIX_MILLION = (
    "{ continents { countries { fields { countries { fields { countries { fields"
    " { countries { name } } } } } } } } }"
)
UNLIMITED = 2**62


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return validation_schema(build_schema())


async def read_bounds(url: str) -> dict[Relation, RelationBound]:
    engine = create_api_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            return await relation_bounds(session)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def model(seeded_url: str, schema: GraphQLSchema) -> CostModel:
    return CostModel(schema, asyncio.run(read_bounds(seeded_url)))


def estimate(model: CostModel, query: str, variables: Mapping[str, object] | None = None) -> int:
    return estimate_cost(model, parse(query), None, variables, limit=UNLIMITED)


def test_statistics_are_the_documents(model: CostModel) -> None:
    assert model.bounds[Relation.CONTINENT_COUNTRIES] == RelationBound(7, 44, 17)
    assert model.bounds[Relation.COUNTRY_PRIORITIES] == RelationBound(44, 115, 8)
    assert model.bounds[Relation.PRIORITY_INSTITUTIONS] == RelationBound(115, MENTIONS, 5)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # 7 continents + 44 countries + 115 priorities + 115 fields + 55 direction links
        # + 200 institution links: exactly what the full tree returns.
        ("full_tree", 536),
        ("country_page", 82),
        ("field_overview", 633),
        ("institutions_page", 222),
        ("search", 40),
        ("shared_institutions", 400),
    ],
)
def test_contract_queries(model: CostModel, name: str, expected: int) -> None:
    query = CONTRACT.joinpath(f"{name}.graphql").read_text("utf-8")
    assert estimate(model, query) == expected


def test_the_six_million_object_query_is_refused(model: CostModel) -> None:
    with pytest.raises(LimitExceeded) as caught:
        estimate_cost(model, parse(SIX_MILLION), None, None, limit=200_000)
    refused = caught.value
    assert (refused.code, refused.measured, refused.limit) == (
        "COST_LIMIT_EXCEEDED",
        113_929_685,
        200_000,
    )


def test_first_arguments_bound_pages(model: CostModel) -> None:
    # The connection, its 10 edges and their 10 nodes.
    assert estimate(model, "{ priorities(first: 10) { edges { node { id } } } }") == 21
    # The default page is 50; there are only 44 countries.
    assert estimate(model, "{ countries { edges { node { id } } } }") == 89
    variables = {"n": 3}
    query = 'query($n: Int) { search(text: "a", first: $n) { result { __typename } } }'
    assert estimate(model, query, variables) == 6


def test_ids_bound_nodes(model: CostModel) -> None:
    assert estimate(model, '{ nodes(ids: ["a", "b", "c"]) { id } }') == 3
    assert estimate(model, "query($i: [ID!]!) { nodes(ids: $i) { id } }", {"i": ["a"] * 7}) == 7


def test_aliases_add_up(model: CostModel) -> None:
    assert estimate(model, "{ a: continents { name } b: continents { name } }") == 14


def test_fragment_bomb_is_refused_without_being_walked(model: CostModel) -> None:
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40)]
    fragments.append("fragment F40 on Query { continents { name } }")
    with pytest.raises(LimitExceeded) as caught:
        estimate_cost(model, parse("{ ...F0 } " + " ".join(fragments)), None, None, limit=200_000)
    assert caught.value.measured == 2**53 - 1


def object_lists(schema: GraphQLSchema) -> set[tuple[str, str]]:
    """Every (type, field) of the schema whose value is a list of objects."""
    found = set()
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType):
            continue
        for name, field in type_.fields.items():
            field_type: GraphQLOutputType = field.type
            if isinstance(field_type, GraphQLNonNull):
                field_type = field_type.of_type
            if isinstance(field_type, GraphQLList) and is_composite_type(
                get_named_type(field_type)
            ):
                found.add((type_.name, name))
    return found


def test_every_list_of_objects_has_a_bound(schema: GraphQLSchema) -> None:
    lists = object_lists(schema)
    assert ("Query", "continents") in lists
    assert ("__Type", "fields") in lists  # introspection too
    assert sorted(lists - set(LIST_BOUNDS)) == []


def test_every_bound_names_a_list_of_objects(schema: GraphQLSchema) -> None:
    assert sorted(set(LIST_BOUNDS) - object_lists(schema)) == []
