"""The planner's budget of object plans: past it, a document goes to the standard path.

Planning costs about a millisecond per object plan with relations under it and ends in
one compile of the generated source, which holds the interpreter lock throughout; a
tree of fragments within the field limits took 447 object plans and 0.4 s.
"""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from graphql import OperationDefinitionNode, get_operation_ast, parse
from graphql.execution import get_variable_values

from coopgraph.graph.compiled import planner as planning
from coopgraph.graph.compiled.catalog import ENTITIES
from coopgraph.graph.compiled.dialect import SQLITE
from coopgraph.graph.compiled.plan import Variant
from coopgraph.graph.http.endpoint import validation_schema
from coopgraph.graph.limits.footprint import plan_bytes
from coopgraph.graph.limits.shape import check_shape_within
from coopgraph.graph.schema import build_schema
from coopgraph.settings import Limits
from testbed.graphql_attacks import TREE_SCALARS, fragment_tree

SCHEMA = validation_schema(build_schema())
LIMITS = Limits()
#: 25 aliased ``node`` lookups of one fragment, as the relay tests send them.
NODES = (
    "fragment I on Node { id ... on Country { name isoCode } ... on Field { name } }"
    " query { "
    + " ".join(f'n{n}: node(id: "Q291bnRyeTpBVQ==") {{ ...I }}' for n in range(25))
    + " }"
)


def _plan(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Variant | None, int]:
    """The plan of ``text``, and how many object plans the planner began."""
    begun = 0
    object_plan = planning.Build.object_plan

    def counted(self: planning.Build, *args: object, **kwargs: object) -> object:
        nonlocal begun
        begun += 1
        return object_plan(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(planning.Build, "object_plan", counted)
    document = parse(text, no_location=True)
    operation = get_operation_ast(document)
    assert isinstance(operation, OperationDefinitionNode)
    variables = get_variable_values(SCHEMA, operation.variable_definitions or (), {})
    assert not isinstance(variables, list)
    variant = planning.Planner(SCHEMA, SQLITE).plan(document, operation, variables)
    return variant, begun


def test_a_tree_past_the_budget_is_declined_where_it_crosses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    variant, begun = _plan(fragment_tree(5), monkeypatch)
    assert variant is None
    # It stopped at the budget rather than planning all 447.
    assert begun == planning.MAX_OBJECT_PLANS + 1


def test_plans_under_the_budget_are_built(monkeypatch: pytest.MonkeyPatch) -> None:
    variant, begun = _plan(fragment_tree(4), monkeypatch)
    assert variant is not None
    assert begun == 163
    variant, begun = _plan(NODES, monkeypatch)
    assert variant is not None
    # node plans every entity type: 25 lookups, seven entity types each.
    assert begun == 25 * len(ENTITIES)


def test_a_plan_is_estimated_by_its_object_plans_when_its_text_is_short(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = fragment_tree(4)
    variant, begun = _plan(text, monkeypatch)
    assert variant is not None
    assert variant.object_plans == begun == 163
    # 2.1 KB of text, 163 object plans: measured 358 KiB, the text alone says 261 KiB.
    assert plan_bytes(text) < 358 * 1024 < plan_bytes(text, variant.object_plans, variant.fields)


#: A tree whose plans hold many fields each: every scalar the compiled path plans, under
#: all of the usual relations but countries' institutions, so that it stays within the
#: expanded-field limit (785 of 800) and the planner's budget (132 object plans).
DENSE_RELATIONS = {
    "Country": ("fields", "priorities"),
    "Field": ("countries", "institutions", "priorities", "directions"),
    "Institution": ("countries", "fields", "priorities"),
    "Priority": ("institutions", "directions"),
    "Direction": ("countries", "priorities"),
}


def _traced_plan(text: str) -> tuple[Variant | None, int]:
    """The plan of ``text`` and the bytes it holds, as ``tracemalloc`` counts them."""
    document = parse(text, no_location=True)
    operation = get_operation_ast(document)
    assert isinstance(operation, OperationDefinitionNode)
    variables = get_variable_values(SCHEMA, operation.variable_definitions or (), {})
    assert not isinstance(variables, list)
    planner = planning.Planner(SCHEMA, SQLITE)
    # Once before measuring: the first plan also fills module-level caches it does not own.
    planner.plan(document, operation, variables)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        variant = planner.plan(document, operation, variables)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return variant, held


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(fragment_tree(4), id="id-only tree"),
        pytest.param(
            fragment_tree(4, selected=TREE_SCALARS, relations=DENSE_RELATIONS),
            id="tree of every scalar",
        ),
    ],
)
def test_a_plan_within_the_limits_weighs_no_more_than_its_estimate(text: str) -> None:
    # Within every limit of the document, so the server would plan and keep it.
    shape = check_shape_within(parse(text), LIMITS)
    assert shape.expanded > LIMITS.max_expanded_fields // 3
    variant, held = _traced_plan(text)
    assert variant is not None
    assert held <= plan_bytes(text, variant.object_plans, variant.fields)
