"""What a plan run does with a level's rows: group them per parent, read arguments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from graphql import FieldNode, GraphQLField
from graphql.execution import VariableValues, get_argument_values

from coopgraph.graph.compiled.catalog import Relation, Shape
from coopgraph.graph.compiled.plan import Builder, Fallback, Rows, Unsupported


def group(
    relation: Relation, rows: Rows, build: Builder | None, slots: list[Any]
) -> Mapping[Any, Any]:
    """A relation statement's rows by parent key, as the parents' builders read them.

    Child objects are built here with ``build``, which reads ``slots`` of the levels
    below, already grouped.
    """
    shape = relation.shape
    if shape is Shape.COUNT:
        return {row[0]: int(row[1]) for row in rows}
    # The builders only ``get`` from it, so a missing parent never adds an entry.
    grouped: defaultdict[Any, list[Any]] = defaultdict(list)
    if shape is Shape.STRINGS:
        for row in rows:
            grouped[row[0]].append(row[1])
        return grouped
    if build is None:  # pragma: no cover - relations of objects always have a child
        raise Unsupported
    if shape is Shape.ONE or shape is Shape.ONE_AS_LIST:
        return {row[0]: build(row, slots) for row in rows}
    for row in rows:
        grouped[row[0]].append(build(row, slots))
    return grouped


def arguments_of(
    definition: GraphQLField | None, node: FieldNode, variables: VariableValues
) -> dict[str, Any]:
    """The field's coerced arguments, defaults applied, as the executor passes them on."""
    if definition is None:
        return {}
    try:
        return get_argument_values(definition, node, variables)
    except Exception as error:
        # An argument the executor would refuse: it reports the error itself.
        raise Fallback from error


__all__ = ["arguments_of", "group"]
