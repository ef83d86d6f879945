"""The planner's budget of object plans: past it, a document goes to the standard path.

Planning costs about a millisecond per object plan with relations under it and ends in
one compile of the generated source, which holds the interpreter lock throughout; a
tree of fragments within the field limits took 447 object plans and 0.4 s.
"""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, get_operation_ast, parse
from graphql.execution import get_variable_values

from coopgraph.graph.compiled import planner as planning
from coopgraph.graph.compiled.catalog import ENTITIES
from coopgraph.graph.compiled.dialect import SQLITE
from coopgraph.graph.compiled.plan import Variant
from coopgraph.graph.http.endpoint import validation_schema
from coopgraph.graph.limits.footprint import plan_bytes
from coopgraph.graph.schema import build_schema
from testbed.graphql_attacks import fragment_tree

SCHEMA = validation_schema(build_schema())
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
    assert plan_bytes(text) < 358 * 1024 < plan_bytes(text, variant.object_plans)
