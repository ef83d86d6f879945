"""Plans: a validated operation compiled into batched SQL and a response builder.

A plan is built once per document, operation and values of the variables that
``@include``/``@skip`` read, and reused by every request that sends them. It has one
``ObjectPlan`` per selection of a concrete type; each holds the statements that fetch
its relations (one per relation field, for all parents of the level at once) and a
builder function generated from its selection, which writes the response dict with
the keys in selection order, as graphql-core's executor would, with no per-field
resolver dispatch.

Running a plan is a generator: it yields ``(sql, parameters)`` and is sent the rows,
so the same plan is driven by sqlite3 synchronously or by psycopg asynchronously.
When a request would make the standard path answer with an error (a bad argument,
a malformed ID or cursor, an unknown filter ID), running raises ``Fallback`` and the
standard path answers instead: the compiled path itself never reports errors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.execution import VariableValues, get_argument_values, get_directive_values

from graph.compiled.catalog import ENTITIES, RELATIONS, SCALARS, Entity, Relation, Shape
from graph.compiled.dialect import Dialect
from graph.errors import CoopgraphError
from graph.ids import to_cursor, to_global_id

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
    sql: str
    sql_with_kinds: str | None
    child: ObjectPlan | None
    arguments: tuple[GraphQLField, FieldNode] | None = None
    #: The parent level holds every row of its table: the statement reads the whole
    #: relation, with no list of parent keys to send or to match.
    whole: bool = False


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


class _Generated:
    """Collects generated builder functions and compiles them together."""

    def __init__(self) -> None:
        self.functions: list[tuple[str, str, ObjectPlan | None]] = []

    def function(self, body: str, plan: ObjectPlan | None = None) -> str:
        """Add a builder; ``@column@`` in its body reads that column of ``plan``'s rows.

        The positions are filled in at compile time, once every statement of the plan
        has decided which columns its rows carry.
        """
        name = f"_b{len(self.functions)}"
        self.functions.append((name, body, plan))
        return name

    def compile(self) -> dict[str, Any]:
        namespace: dict[str, Any] = {"gid": to_global_id, "cur": to_cursor}
        lines = []
        for name, body, plan in self.functions:
            placed = body if plan is None else _place_columns(body, plan)
            lines.append(f"def {name}(r, s):\n    return {placed}\n")
        source = "\n".join(lines)
        # The source is generated from the schema's names and response keys, which
        # validation has checked are GraphQL names; no request value is written into it.
        exec(compile(source, "<compiled plan>", "exec"), namespace)  # noqa: S102
        return namespace


_COLUMN = re.compile(r"@(\w+)@")


def _place_columns(body: str, plan: ObjectPlan) -> str:
    def place(found: re.Match[str]) -> str:
        return str(plan.index(found.group(1)))

    return _COLUMN.sub(place, body)


_CONNECTIONS = {
    "countries": "Country",
    "institutions": "Institution",
    "priorities": "Priority",
}
_ROOT_LISTS = {"editions", "continents", "fields", "directions", "sharedInstitutions"}
#: Root lists that, asked without arguments, answer every row of their table.
_ROOT_TABLES = {"editions", "continents", "fields", "directions"}
_ROOT_ONE = {"country", "edition"}
_NODE_FIELDS = {"node", "nodes"}


class Planner:
    """Builds plans against the schema documents are validated with.

    Args:
        schema: The graphql-core schema of the validation step (built from the SDL).
        dialect: The SQL dialect of the data source the plans will run on.
    """

    def __init__(self, schema: GraphQLSchema, dialect: Dialect) -> None:
        self._schema = schema
        self._dialect = dialect

    def plan(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
    ) -> Variant | None:
        """The plan for these directive variables, or None where a selection is unsupported."""
        try:
            return _Build(self._schema, self._dialect, document, variables).operation(operation)
        except Unsupported:
            return None


class _Build:
    def __init__(
        self,
        schema: GraphQLSchema,
        dialect: Dialect,
        document: DocumentNode,
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.dialect = dialect
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.generated = _Generated()
        self.slots = 0
        #: Builder names to bind once the generated source is compiled.
        self.bindings: list[tuple[Any, str, str]] = []
        #: Fetches and the plans whose rows hold their parent keys.
        self.parents: list[tuple[Fetch, ObjectPlan]] = []
        self.names: dict[int, str] = {}

    # Field collection, as graphql-core's executor does it, with the directives
    # evaluated against this variant's variables.

    def collect(
        self, runtime: GraphQLObjectType, selection_sets: Iterable[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        fields: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        for selection_set in selection_sets:
            self._visit(runtime, selection_set, fields, visited)
        return fields

    def _visit(
        self,
        runtime: GraphQLObjectType,
        selection_set: SelectionSetNode,
        fields: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._matches(condition.name.value, runtime):
                    self._visit(runtime, selection.selection_set, fields, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or not self._matches(
                    fragment.type_condition.name.value, runtime
                ):
                    continue
                if name in visited:
                    continue
                visited.add(name)
                if fragment.variable_definitions:
                    raise Unsupported
                self._visit(runtime, fragment.selection_set, fields, visited)

    def _included(self, node: FieldNode | InlineFragmentNode | FragmentSpreadNode | Any) -> bool:
        for directive in node.directives or ():
            if directive.name.value not in ("skip", "include"):
                raise Unsupported
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip is not None and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include is not None and include.get("if") is False)

    def _matches(self, condition: str, runtime: GraphQLObjectType) -> bool:
        condition_type = self.schema.get_type(condition)
        if condition_type is runtime:
            return True
        if isinstance(condition_type, GraphQLInterfaceType | GraphQLUnionType):
            return self.schema.is_sub_type(condition_type, runtime)
        return False

    def _object_type(self, name: str) -> GraphQLObjectType:
        found = self.schema.get_type(name)
        if not isinstance(found, GraphQLObjectType):
            raise Unsupported
        return found

    # The operation.

    def operation(self, operation: OperationDefinitionNode) -> Variant:
        if operation.operation.value != "query":
            raise Unsupported
        query_type = self.schema.query_type
        if query_type is None:
            raise Unsupported
        root = [
            self.root_field(query_type, key, nodes)
            for key, nodes in self.collect(query_type, [operation.selection_set]).items()
        ]
        for fetch, plan in self.parents:
            fetch.key_index = plan.index(fetch.relation.parent_column)
        namespace = self.generated.compile()
        for target, attribute, name in self.bindings:
            setattr(target, attribute, namespace[name])
        return Variant(root=root, slots=self.slots)

    def root_field(
        self, query_type: GraphQLObjectType, key: str, nodes: list[FieldNode]
    ) -> RootField:
        name = nodes[0].name.value
        definition = query_type.fields.get(name)
        field = RootField(key, name, definition, nodes[0], {})
        if name == "__typename":
            return field
        if definition is None:
            raise Unsupported
        if name in _NODE_FIELDS:
            for type_name in ENTITIES:
                field.objects[type_name] = self.object_plan(type_name, nodes)
        elif name in _CONNECTIONS:
            self.connection(field, _CONNECTIONS[name], nodes)
        elif name in _ROOT_LISTS or name in _ROOT_ONE:
            type_name = get_named_type(definition.type).name
            complete = name in _ROOT_TABLES and not any(node.arguments for node in nodes)
            field.objects[type_name] = self.object_plan(type_name, nodes, complete=complete)
        else:
            raise Unsupported
        return field

    def object_plan(
        self, type_name: str, nodes: list[FieldNode], *, complete: bool = False
    ) -> ObjectPlan:
        entity = ENTITIES.get(type_name)
        if entity is None:
            raise Unsupported
        runtime = self._object_type(type_name)
        plan = ObjectPlan(entity, complete=complete)
        selected = self.collect(runtime, [n.selection_set for n in nodes if n.selection_set])
        parts = [
            f"{key!r}: {self.field_expression(plan, runtime, key, field_nodes)}"
            for key, field_nodes in selected.items()
        ]
        name = self.generated.function("{" + ", ".join(parts) + "}", plan)
        self.names[id(plan)] = name
        self.bindings.append((plan, "build", name))
        return plan

    def field_expression(  # noqa: PLR0911 - one return per relation shape
        self, plan: ObjectPlan, runtime: GraphQLObjectType, key: str, nodes: list[FieldNode]
    ) -> str:
        entity = plan.entity
        name = nodes[0].name.value
        if name == "__typename":
            return repr(entity.type_name)
        if name == "id":
            plan.columns.add(entity.key)
            return f"gid({entity.type_name!r}, r[@{entity.key}@])"
        column = SCALARS[entity.type_name].get(name)
        if column is not None:
            plan.columns.add(column)
            return f"r[@{column}@]"
        relation = RELATIONS.get((entity.type_name, name))
        if relation is None:
            raise Unsupported
        plan.columns.add(relation.parent_column)
        child = None
        sql = relation.sql
        if relation.child is not None:
            # A kinds argument filters the child rows, so they are no longer all.
            complete = plan.complete and relation.whole and not any(n.arguments for n in nodes)
            child = self.object_plan(relation.child.type_name, nodes, complete=complete)
            # Only the columns read are fetched: the rest cost the driver a value
            # each, on every row. The ID keeps the list from being empty, and rows of
            # a DISTINCT statement distinct; PostgreSQL orders DISTINCT rows only by
            # selected columns.
            keep = child.columns | {"id"}
            if "DISTINCT" in sql:
                keep.add("position")
            child.layout = tuple(c for c in relation.child.columns if c in keep)
            alias = relation.child_alias or ""
            sql = sql.replace(
                relation.child.select(alias), ", ".join(f"{alias}.{c}" for c in child.layout)
            )
        if plan.complete:
            sql = _whole(sql)
        definition = runtime.fields[name]
        fetch = Fetch(
            slot=self.slots,
            relation=relation,
            key_index=0,  # set once the plan's rows have their layout
            sql=self.dialect.render(sql.replace("{kinds}", "")),
            sql_with_kinds=(
                self.dialect.render(sql.replace("{kinds}", " AND i.kind {in}"))
                if relation.kinds
                else None
            ),
            child=child,
            arguments=(definition, nodes[0]) if relation.kinds else None,
            whole=plan.complete,
        )
        self.slots += 1
        plan.fetches.append(fetch)
        self.parents.append((fetch, plan))
        slot, parent = fetch.slot, f"r[@{relation.parent_column}@]"
        if relation.shape is Shape.COUNT:
            return f"s[{slot}].get({parent}, 0)"
        if relation.shape is Shape.STRINGS:
            return f"s[{slot}].get({parent}, [])"
        # The slot holds the children built (see ``group``); a list shared by
        # parents of one key, or the empty tuple, encodes as the list it stands for.
        if relation.shape is Shape.ONE:
            return f"s[{slot}][{parent}]"
        if relation.shape is Shape.ONE_AS_LIST:
            return f"[s[{slot}][{parent}]]"
        return f"s[{slot}].get({parent}, ())"

    def _name_of(self, child: ObjectPlan | None) -> str:
        if child is None:  # pragma: no cover - relations of objects always have a child
            raise Unsupported
        return self.names[id(child)]

    def connection(  # noqa: PLR0912 - one branch per field of a connection
        self, field: RootField, type_name: str, nodes: list[FieldNode]
    ) -> None:
        connection_type = self._object_type(f"{type_name}Connection")
        edge_type = self._object_type(f"{type_name}Edge")
        page_info_type = self._object_type("PageInfo")
        entity = ENTITIES[type_name]
        position = entity.index("position")
        parts = []
        for key, field_nodes in self.collect(
            connection_type, [n.selection_set for n in nodes if n.selection_set]
        ).items():
            name = field_nodes[0].name.value
            if name == "__typename":
                parts.append(f"{key!r}: {connection_type.name!r}")
            elif name == "totalCount":
                field.wants_total = True
                parts.append(f"{key!r}: r[3]")
            elif name == "pageInfo":
                field.wants_page = True
                info = []
                for info_key, info_nodes in self.collect(
                    page_info_type, [n.selection_set for n in field_nodes if n.selection_set]
                ).items():
                    expression = {
                        "__typename": repr("PageInfo"),
                        "hasNextPage": "r[1]",
                        "hasPreviousPage": "r[2]",
                        "startCursor": f"(cur({type_name!r}, r[0][0][{position}]) if r[0] else None)",
                        "endCursor": f"(cur({type_name!r}, r[0][-1][{position}]) if r[0] else None)",
                    }.get(info_nodes[0].name.value)
                    if expression is None:
                        raise Unsupported
                    info.append(f"{info_key!r}: {expression}")
                parts.append(f"{key!r}: {{{', '.join(info)}}}")
            elif name == "edges":
                field.wants_page = True
                edge_parts = []
                for edge_key, edge_nodes in self.collect(
                    edge_type, [n.selection_set for n in field_nodes if n.selection_set]
                ).items():
                    edge_field = edge_nodes[0].name.value
                    if edge_field == "__typename":
                        edge_parts.append(f"{edge_key!r}: {edge_type.name!r}")
                    elif edge_field == "cursor":
                        edge_parts.append(f"{edge_key!r}: cur({type_name!r}, r[{position}])")
                    elif edge_field == "node":
                        node_plan = self.object_plan(type_name, edge_nodes)
                        field.objects.setdefault(type_name, node_plan)
                        if field.objects[type_name] is not node_plan:
                            # Two node selections under two aliases of edges: each
                            # needs its own rows; not worth planning.
                            raise Unsupported
                        edge_parts.append(f"{edge_key!r}: {self._name_of(node_plan)}(r, s)")
                    else:
                        raise Unsupported
                edge = self.generated.function("{" + ", ".join(edge_parts) + "}")
                parts.append(f"{key!r}: [{edge}(x, s) for x in r[0]]")
            else:
                raise Unsupported
        if type_name not in field.objects:
            # Rows are still fetched for pageInfo; they need no children.
            field.objects[type_name] = ObjectPlan(entity)
        self.bindings.append(
            (field, "connection", self.generated.function("{" + ", ".join(parts) + "}"))
        )


_PARENT_FILTER = re.compile(r"(\S+) \{in\}")


def _whole(sql: str) -> str:
    """A relation's statement for a parent level that holds every row of its table.

    Matching the keys of every parent row is matching nothing, and listing them costs
    several times the statement's own scan, so the filter goes. So does ordering by
    the parent key before a table's position: rows are grouped per parent in the
    order they come, and every table has an index on its position, which the database
    then reads in order instead of sorting (link tables' ordinals have no such index,
    and keep the parent key first).
    """
    match = _PARENT_FILTER.search(sql)
    if match is None:  # pragma: no cover - every relation statement filters its parents
        raise Unsupported
    parent = match.group(1)
    whole = _PARENT_FILTER.sub("TRUE", sql, count=1)
    return _BY_PARENT_THEN_POSITION.sub(
        lambda order: f"ORDER BY {order.group(2)}" if order.group(1) == parent else order.group(0),
        whole,
    )


_BY_PARENT_THEN_POSITION = re.compile(r"ORDER BY (\S+), (\w+\.position)$")


def variable_names_in_directives(document: DocumentNode) -> tuple[str, ...]:
    """Variables that ``@include``/``@skip`` read: a plan is built per set of their values."""
    names: dict[str, None] = {}

    def visit(selection_set: SelectionSetNode | None) -> None:
        for selection in selection_set.selections if selection_set else ():
            for directive in selection.directives or ():
                for argument in directive.arguments or ():
                    if isinstance(argument.value, VariableNode):
                        names[argument.value.name.value] = None
            if isinstance(selection, FieldNode | InlineFragmentNode):
                visit(selection.selection_set)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            visit(definition.selection_set)
    return tuple(names)


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
    except CoopgraphError as error:  # pragma: no cover - coercion raises GraphQLError
        raise Fallback from error
    except Exception as error:
        # An argument the executor would refuse: it reports the error itself.
        raise Fallback from error


__all__ = [
    "Fallback",
    "Fetch",
    "ObjectPlan",
    "Planner",
    "Program",
    "RootField",
    "Statement",
    "Unsupported",
    "Variant",
    "arguments_of",
    "group",
    "variable_names_in_directives",
]
