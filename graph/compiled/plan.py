"""Plans: what a validated operation is compiled into, batched SQL and response builders.

A plan is built once per document, operation and values of the variables that
``@include``/``@skip`` read, and reused by every request that sends them. It has one
``ObjectPlan`` per selection of a concrete type; each holds the statements that fetch
its relations (one per relation field, for all parents of the level at once, built
from the relation registry) and a builder function generated from its selection.
Fields are collected by graphql-core's own ``collect_fields``/``collect_subfields``,
so the selection a plan answers is the one the executor would.

Running a plan is a generator: it yields ``(sql, parameters)`` and is sent the rows,
so the same plan is driven by sqlite3 synchronously or by psycopg asynchronously.
When a request would make the standard path answer with an error (a bad argument,
a malformed ID or cursor, an unknown filter ID), running raises ``Fallback`` and the
standard path answers instead: the compiled path itself never reports errors.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import FieldNode, GraphQLField

from coopgraph.graph.compiled.catalog import Entity, Relation
from coopgraph.graph.compiled.dialect import Prepared

Statement = tuple[str, list[Any]]
Row = tuple[Any, ...]
Rows = list[Row]
#: A plan run: yields statements, is sent their rows, returns the response's data.
Program = Generator[Statement, Rows, dict[str, Any]]
Builder = Callable[[Any, list[Any]], Any]


class Unsupported(Exception):  # noqa: N818 - a planner outcome, not a failure
    """The planner does not handle this selection; the standard path runs it."""


class Fallback(Exception):  # noqa: N818 - a run outcome, not a failure
    """This request would be answered with an error; the standard path reports it."""


@dataclass(slots=True)
class Fetch:
    """One statement per request: a relation of every row of an object plan."""

    slot: int
    relation: Relation
    key_index: int
    #: The compiled statements, by the names of the field's arguments a request gives.
    prepared: Mapping[tuple[str, ...], Prepared]
    child: ObjectPlan | None
    arguments: tuple[GraphQLField, FieldNode] | None = None
    #: The field's arguments that filter its rows (``Relation.arguments``), by name.
    argument_names: tuple[str, ...] = ()
    #: The parent level holds every row of its table: the statement reads the whole
    #: relation, with no list of parent keys to send or to match.
    whole: bool = False

    @property
    def sql(self) -> str:
        """The statement's text when the request gives none of the field's arguments."""
        return self.prepared[()].sql


@dataclass(slots=True)
class ObjectPlan:
    """The selection of one concrete node type, with its relation statements."""

    entity: Entity
    fetches: list[Fetch] = field(default_factory=list)
    build: Builder | None = None
    #: Whether every run fetches all rows of the entity's table for this selection
    #: (an unfiltered root list, or a whole relation under such a level).
    complete: bool = False
    #: The columns the builders and the child statements read.
    columns: set[str] = field(default_factory=set)
    #: The columns its rows carry after the group key, when a relation statement
    #: reads only those; None for the entity's every column (root statements).
    layout: tuple[str, ...] | None = None

    def index(self, column: str) -> int:
        """Position of ``column`` in this plan's rows, whose first value is the group key."""
        return 1 + (self.entity.columns if self.layout is None else self.layout).index(column)


@dataclass(slots=True)
class RootField:
    """One field of the operation's root selection."""

    key: str
    name: str
    definition: GraphQLField | None
    node: FieldNode
    #: The selection of the field's type: one per possible type for ``node``/``nodes``,
    #: the node type's for connections.
    objects: dict[str, ObjectPlan]
    #: For connections: builds the connection dict from (rows, has_next, has_prev, total).
    connection: Builder | None = None
    wants_page: bool = False
    wants_total: bool = False


@dataclass(slots=True)
class Variant:
    """A plan for one set of values of the variables that directives read."""

    root: list[RootField]
    slots: int
    #: Object plans in it: what its memory grows with (``graph.limits.footprint``).
    object_plans: int = 0
    #: Fields planned into its object plans: what its memory grows with too.
    fields: int = 0


__all__ = [
    "Builder",
    "Fallback",
    "Fetch",
    "ObjectPlan",
    "Program",
    "RootField",
    "Row",
    "Rows",
    "Statement",
    "Unsupported",
    "Variant",
]
