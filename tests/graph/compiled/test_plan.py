"""What the planner decides from a selection alone: which levels read whole relations."""

from __future__ import annotations

import linecache

from graphql import get_operation_ast, parse
from graphql.execution import get_variable_values

from coopgraph.graph.compiled.dialect import POSTGRESQL, SQLITE
from coopgraph.graph.compiled.plan import ObjectPlan, Variant
from coopgraph.graph.compiled.planner import Planner
from coopgraph.graph.http.endpoint import validation_schema
from coopgraph.graph.schema import build_schema

FULL_TREE = """{ continents { name countries { name priorities {
  field { name } directions { name } institutions { name } } } } }"""


def _plan(query: str, *, postgres: bool = False) -> Variant:
    schema = validation_schema(build_schema())
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    variables = get_variable_values(schema, operation.variable_definitions or (), {})
    assert not isinstance(variables, list)
    variant = Planner(schema, POSTGRESQL if postgres else SQLITE).plan(
        document, operation, variables
    )
    assert variant is not None
    return variant


def _levels(plan: ObjectPlan, depth: int = 0) -> list[tuple[int, str, bool, str]]:
    found = []
    for fetch in plan.fetches:
        child = fetch.child
        name = child.entity.type_name if child else fetch.relation.shape.name
        found.append((depth, name, fetch.whole, fetch.sql))
        if child is not None:
            found += _levels(child, depth + 1)
    return found


def test_full_tree_reads_whole_relations_without_parent_keys() -> None:
    for postgres in (False, True):
        (root,) = _plan(FULL_TREE, postgres=postgres).root
        levels = _levels(root.objects["Continent"])
        assert [(depth, name, whole) for depth, name, whole, _ in levels] == [
            (0, "Country", True),
            (1, "Priority", True),
            (2, "Field", True),
            (2, "Direction", True),
            (2, "Institution", True),
        ]
        for _, _, _, sql in levels:
            assert "json_each" not in sql
            assert "ANY" not in sql
            assert "%s" not in sql
            assert "?" not in sql


def test_only_the_selected_columns_are_read() -> None:
    (root,) = _plan(FULL_TREE).root
    levels = _levels(root.objects["Continent"])
    priorities = next(sql for _, name, _, sql in levels if name == "Priority")
    # The builders read the field and the key of the directions and institutions;
    # source text is not asked for, so it is not read.
    assert " ".join(priorities.split()).startswith(
        "SELECT priorities.country_id, priorities.id, priorities.field_id FROM"
    )


def test_filtered_and_paged_levels_keep_their_parent_keys() -> None:
    variant = _plan(
        '{ directions(field: "x") { priorities { field { name } } }'
        " countries(first: 2) { edges { node { priorities { sourceLine } } } }"
        " continents { countries { institutions(kinds: [GROUP]) { priorities { key: id } } } } }"
    )
    directions, countries, continents = variant.root
    assert [whole for _, _, whole, _ in _levels(directions.objects["Direction"])] == [False, False]
    assert [whole for _, _, whole, _ in _levels(countries.objects["Country"])] == [False]
    # Under all continents, all countries; their institutions of some kinds are not all
    # institutions, so the priorities of those are matched by key.
    assert [(name, whole) for _, name, whole, _ in _levels(continents.objects["Continent"])] == [
        ("Country", True),
        ("Institution", True),
        ("Priority", False),
    ]


def test_builder_source_is_registered_for_tracebacks() -> None:
    (root,) = _plan("{ continents { name countries { name } } }").root
    build = root.objects["Continent"].build
    assert build is not None
    code = build.__code__
    assert code.co_filename.startswith("<compiled plan ")
    line = linecache.getline(code.co_filename, code.co_firstlineno)
    assert line.startswith(f"def {code.co_name}(r, s):")
    assert "'countries': s[0].get(" in linecache.getline(code.co_filename, code.co_firstlineno + 1)
