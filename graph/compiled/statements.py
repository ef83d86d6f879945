"""A relation field's statements for one plan, built from its registry definition.

The statement reads only the child columns the plan's builders and the levels below
read (every other column costs the driver a value on every row); under a parent level
that holds every row of its table it reads the relation whole, with no parent keys to
send or to match. Each combination of the field's arguments gets its own compiled
text, made when the plan is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from typing import Any

from sqlalchemy import ColumnElement, Select

from coopgraph.db.relations.definition import Children, Reference, Strings
from coopgraph.graph.compiled.catalog import Relation, Shape
from coopgraph.graph.compiled.dialect import Dialect, Prepared

#: The parameter a relation statement reads its parents' keys from.
PARENTS = "parents"


def _parents(dialect: Dialect, column: Any, *, whole: bool) -> ColumnElement[bool] | None:
    return None if whole else dialect.one_of(column, PARENTS)


def _statement(
    relation: Relation,
    dialect: Dialect,
    layout: tuple[str, ...],
    given: tuple[str, ...],
    *,
    whole: bool,
) -> Select[Any]:
    definition = relation.definition
    if isinstance(definition, Strings):
        return definition.statement(parents=_parents(dialect, definition.key, whole=whole))
    if isinstance(definition, Reference):
        assert relation.child is not None  # noqa: S101 - references always reach a node
        return definition.statement(
            relation.child.select(layout),
            parents=_parents(dialect, definition.key_column, whole=whole),
        )
    parents = _parents(dialect, definition.key, whole=whole)
    if relation.shape is Shape.COUNT:
        counted = definition.fanout()
        return counted if parents is None else counted.where(parents)
    assert relation.child is not None  # noqa: S101 - to-many relations always reach a node
    return _children(definition, dialect, relation.child.select(layout), parents, given)


def _children(
    definition: Children,
    dialect: Dialect,
    columns: list[Any],
    parents: ColumnElement[bool] | None,
    given: tuple[str, ...],
) -> Select[Any]:
    conditions = [dialect.one_of(definition.arguments[name], name) for name in given]
    return definition.statement(columns, parents=parents, conditions=conditions)


def prepare(
    relation: Relation, dialect: Dialect, layout: tuple[str, ...], *, whole: bool
) -> Mapping[tuple[str, ...], Prepared]:
    """The relation's compiled statements, by the names of the arguments given."""
    names = tuple(relation.arguments)
    subsets = [subset for size in range(len(names) + 1) for subset in combinations(names, size)]
    return {
        given: dialect.prepare(_statement(relation, dialect, layout, given, whole=whole))
        for given in subsets
    }


__all__ = ["PARENTS", "prepare"]
