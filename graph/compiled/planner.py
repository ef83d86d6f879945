"""The planner: a validated operation's selections into a plan (see ``graph.compiled.plan``).

Fields are collected by graphql-core's own ``collect_fields``/``collect_subfields``, so
the selection a plan answers is the one the executor would; each relation field's
statement comes from its registry definition (``graph.compiled.statements``), and each
selection's builder is generated source (``graph.compiled.generated``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    get_named_type,
)
from graphql.execution import VariableValues
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)

from coopgraph.db.relations.definition import Children
from coopgraph.graph.compiled.catalog import ENTITIES, RELATIONS, SCALARS, Relation, Shape
from coopgraph.graph.compiled.connection import plan_connection
from coopgraph.graph.compiled.dialect import Dialect
from coopgraph.graph.compiled.generated import Generated
from coopgraph.graph.compiled.plan import Fetch, ObjectPlan, RootField, Unsupported, Variant
from coopgraph.graph.compiled.statements import prepare

#: The nodes of one response key, as graphql-core collects them.
Details = list[FieldDetails]

CONNECTIONS = {"countries": "Country", "institutions": "Institution", "priorities": "Priority"}
_ROOT_LISTS = {"editions", "continents", "fields", "directions", "sharedInstitutions"}
#: Root lists that, asked without arguments, answer every row of their table.
_ROOT_TABLES = {"editions", "continents", "fields", "directions"}
_ROOT_ONE = {"country", "edition"}
_NODE_FIELDS = {"node", "nodes"}
_DIRECTIVES = {"skip", "include"}
#: Object plans one operation may take before the planner declines it to the standard
#: path. Planning costs about a millisecond per object plan with relations under it
#: (each builds a statement), and ``node``/``nodes`` plan each of the seven entity
#: types: 25 aliased ``node`` lookups take 175 and the product's own queries at most 7,
#: while a tree of fragments within the expanded-field limit reached 447 (0.4 s), to end
#: in one compile of the generated source that holds the interpreter lock throughout.
MAX_OBJECT_PLANS = 300


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
            return Build(self._schema, self._dialect, document, operation, variables).operation()
        except Unsupported:
            return None


class Build:
    """The state of one plan being built: its slots, builders and statements."""

    def __init__(
        self,
        schema: GraphQLSchema,
        dialect: Dialect,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.dialect = dialect
        self.variables = variables
        self.operation_node = operation
        self.fragments: dict[str, FragmentDetails] = {}
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                if definition.variable_definitions:
                    raise Unsupported
                self.fragments[definition.name.value] = FragmentDetails(definition)
        self.generated = Generated()
        self.slots = 0
        #: Builder names to bind once the generated source is compiled.
        self.bindings: list[tuple[Any, str, str]] = []
        #: Fetches and the plans whose rows hold their parent keys.
        self.parents: list[tuple[Fetch, ObjectPlan]] = []
        self.names: dict[int, str] = {}
        #: Object plans begun, against ``MAX_OBJECT_PLANS``.
        self.object_plans = 0
        #: Fields planned into object plans: with the object plans, what a plan weighs.
        self.fields = 0

    def collect(self, runtime: GraphQLObjectType, details: Details) -> dict[str, Details]:
        """The fields selected on ``runtime`` under ``details``, by response key."""
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation_node, runtime, details
        )
        return self._checked(collected.grouped_field_set, collected.new_defer_usages)

    @staticmethod
    def _checked(grouped: Mapping[str, Details], deferred: list[Any]) -> dict[str, Details]:
        # Deferred fragments and directives other than @skip/@include change how the
        # executor answers; the standard path answers those.
        if deferred:
            raise Unsupported
        for details in grouped.values():
            for detail in details:
                if detail.defer_usage is not None or detail.fragment_variable_values:
                    raise Unsupported
                if any(d.name.value not in _DIRECTIVES for d in detail.node.directives or ()):
                    raise Unsupported
        return dict(grouped)

    def object_type(self, name: str) -> GraphQLObjectType:
        found = self.schema.get_type(name)
        if not isinstance(found, GraphQLObjectType):
            raise Unsupported
        return found

    def operation(self) -> Variant:
        if self.operation_node.operation.value != "query":
            raise Unsupported
        query_type = self.schema.query_type
        if query_type is None:
            raise Unsupported
        collected = collect_fields(
            self.schema, self.fragments, self.variables, query_type, self.operation_node
        )
        grouped = self._checked(collected.grouped_field_set, collected.new_defer_usages)
        root = []
        for key, details in grouped.items():
            field = self.root_field(query_type, key, details)
            if field.name in CONNECTIONS:
                plan_connection(self, field, CONNECTIONS[field.name], details)
            root.append(field)
        for fetch, plan in self.parents:
            fetch.key_index = plan.index(fetch.relation.parent_column)
        namespace = self.generated.compile()
        for target, attribute, name in self.bindings:
            setattr(target, attribute, namespace[name])
        return Variant(
            root=root, slots=self.slots, object_plans=self.object_plans, fields=self.fields
        )

    def root_field(self, query_type: GraphQLObjectType, key: str, details: Details) -> RootField:
        node = details[0].node
        name = node.name.value
        definition = query_type.fields.get(name)
        field = RootField(key, name, definition, node, {})
        if name == "__typename" or name in CONNECTIONS:
            return field
        if definition is None:
            raise Unsupported
        if name in _NODE_FIELDS:
            for type_name in ENTITIES:
                field.objects[type_name] = self.object_plan(type_name, details)
        elif name in _ROOT_LISTS or name in _ROOT_ONE:
            type_name = get_named_type(definition.type).name
            complete = name in _ROOT_TABLES and not any(d.node.arguments for d in details)
            field.objects[type_name] = self.object_plan(type_name, details, complete=complete)
        else:
            raise Unsupported
        return field

    def object_plan(
        self, type_name: str, details: Details, *, complete: bool = False
    ) -> ObjectPlan:
        entity = ENTITIES.get(type_name)
        self.object_plans += 1
        if entity is None or self.object_plans > MAX_OBJECT_PLANS:
            raise Unsupported
        runtime = self.object_type(type_name)
        plan = ObjectPlan(entity, complete=complete)
        parts = [
            f"{key!r}: {self.field_expression(plan, runtime, field_details)}"
            for key, field_details in self.collect(runtime, details).items()
        ]
        name = self.generated.function("{" + ", ".join(parts) + "}", plan)
        self.names[id(plan)] = name
        self.bindings.append((plan, "build", name))
        return plan

    def field_expression(
        self, plan: ObjectPlan, runtime: GraphQLObjectType, details: Details
    ) -> str:
        self.fields += 1
        entity = plan.entity
        name = details[0].node.name.value
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
        fetch = self.fetch(plan, relation, runtime.fields[name], details)
        return _slot_expression(relation.shape, fetch.slot, f"r[@{relation.parent_column}@]")

    def fetch(
        self, plan: ObjectPlan, relation: Relation, definition: GraphQLField, details: Details
    ) -> Fetch:
        """The statement of a relation field under ``plan``, with its child's plan."""
        plan.columns.add(relation.parent_column)
        child = None
        layout: tuple[str, ...] = ()
        if relation.child is not None:
            # Arguments filter the child rows, so they are no longer all.
            arguments = any(d.node.arguments for d in details)
            complete = plan.complete and relation.whole and not arguments
            child = self.object_plan(relation.child.type_name, details, complete=complete)
            # Only the columns read are fetched. The ID keeps the list from being
            # empty, and rows of a DISTINCT statement distinct; PostgreSQL orders
            # DISTINCT rows only by selected columns.
            keep = child.columns | {"id"}
            if isinstance(relation.definition, Children) and relation.definition.distinct:
                keep.add("position")
            layout = tuple(c for c in relation.child.columns if c in keep)
            child.layout = layout
        fetch = Fetch(
            slot=self.slots,
            relation=relation,
            key_index=0,  # set once the plan's rows have their layout
            prepared=prepare(relation, self.dialect, layout, whole=plan.complete),
            child=child,
            arguments=(definition, details[0].node) if relation.arguments else None,
            argument_names=tuple(relation.arguments),
            whole=plan.complete,
        )
        self.slots += 1
        plan.fetches.append(fetch)
        self.parents.append((fetch, plan))
        return fetch

    def name_of(self, child: ObjectPlan) -> str:
        return self.names[id(child)]


def _slot_expression(shape: Shape, slot: int, parent: str) -> str:
    """How a builder reads a relation's grouped rows (see ``levels.group``)."""
    if shape is Shape.COUNT:
        return f"s[{slot}].get({parent}, 0)"
    if shape is Shape.STRINGS:
        return f"s[{slot}].get({parent}, [])"
    # A list shared by parents of one key, or the empty tuple, encodes as the list it
    # stands for.
    if shape is Shape.ONE:
        return f"s[{slot}][{parent}]"
    if shape is Shape.ONE_AS_LIST:
        return f"[s[{slot}][{parent}]]"
    return f"s[{slot}].get({parent}, ())"


__all__ = ["CONNECTIONS", "Build", "Details", "Planner"]
