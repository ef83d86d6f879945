"""The cost of a query: how many objects it can return, estimated before it runs.

Counting works down the selection as GitHub's node limit does, level by level, from
upper bounds the seed keeps with the data (``relation_statistics``): a level has at
most its parent level's count times the relation's largest fan-out. Where the parent
level holds each of its objects once (all continents, then all their countries), a
level also has at most the relation's number of links, which is what keeps the
estimate of the full tree close to its real size rather than the product of maxima.

Each list field's rule is in ``graph.limits.bounds``.
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
    is_composite_type,
)
from graphql.type import (
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from coopgraph.db.queries.statistics import RelationBound
from coopgraph.db.relations import Relation
from coopgraph.graph.limits.bounds import LIST_BOUNDS, ListBound, Rule, schema_sizes
from coopgraph.graph.limits.refusal import COST_LIMIT_EXCEEDED, LimitExceeded

#: Counts beyond this are reported as this: JSON clients in JavaScript read larger
#: integers inexactly, and a query this large is refused whatever its exact size.
_MAX_REPORTED = 2**53 - 1
#: Selections visited while estimating; fragments spread into each other can expand
#: exponentially, and a query that expands this far is refused without walking on.
_MAX_VISITS = 50_000


class CostModel:
    """What the estimate needs to know: the schema's shape and the data's statistics.

    Args:
        schema: The graphql-core schema the documents were validated against.
        bounds: The seed's relation statistics.
    """

    def __init__(self, schema: GraphQLSchema, bounds: Mapping[Relation, RelationBound]) -> None:
        self.schema = schema
        self.bounds = dict(bounds)
        self.rows = {relation.parent_type: bound.parents for relation, bound in bounds.items()}
        self._schema_sizes = schema_sizes(schema)

    def table(self, type_name: str) -> int:
        """Rows of a type; an unknown type counts as the largest table."""
        return self.rows.get(type_name, max(self.rows.values(), default=0))

    def schema_size(self, key: tuple[str, str]) -> tuple[int, int]:
        """An introspection list's largest length and the total of all its lengths."""
        return self._schema_sizes.get(key, (0, 0))


def estimate_cost(
    model: CostModel,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, object] | None,
    *,
    limit: int,
) -> int:
    """Estimate the objects the selected operation can return; refuse it over ``limit``.

    The document must have passed validation. Scalars are not counted: a query's
    cost lies in the objects it makes the server fetch and build.

    Raises:
        LimitExceeded: With ``COST_LIMIT_EXCEEDED`` when the estimate passes ``limit``.
    """
    operation = get_operation_ast(document, operation_name)
    root = model.schema.query_type
    if operation is None or root is None:
        return 0
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    walk = _Estimate(model, fragments, variables or {})
    cost = min(walk.selection_set(operation.selection_set, root, 1, True, None), _MAX_REPORTED)
    if walk.visits > _MAX_VISITS:
        cost = _MAX_REPORTED
    if cost > limit:
        shown = "more than 2^53" if cost >= _MAX_REPORTED else f"{cost:,}"
        msg = (
            f"The query could return {shown} objects; this server allows {limit:,}. Ask"
            " for fewer levels, or page with smaller `first` values."
        )
        raise LimitExceeded(COST_LIMIT_EXCEEDED, msg, measured=cost, limit=limit)
    return cost


class _Estimate:
    def __init__(
        self,
        model: CostModel,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, object],
    ) -> None:
        self._model = model
        self._fragments = fragments
        self._variables = variables
        self.visits = 0

    def selection_set(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        count: int,
        distinct: bool,
        page: int | None,
    ) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            self.visits += 1
            if self.visits > _MAX_VISITS or total >= _MAX_REPORTED:
                return _MAX_REPORTED
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, count, distinct, page)
            else:
                narrowed, inner = self._fragment(selection, parent)
                total += self.selection_set(inner, narrowed, count, distinct, page)
        return total

    def _fragment(
        self, selection: object, parent: GraphQLNamedType
    ) -> tuple[GraphQLNamedType, SelectionSetNode | None]:
        condition = None
        inner: SelectionSetNode | None = None
        if isinstance(selection, InlineFragmentNode):
            condition, inner = selection.type_condition, selection.selection_set
        elif isinstance(selection, FragmentSpreadNode):
            fragment = self._fragments.get(selection.name.value)
            if fragment is not None:
                condition, inner = fragment.type_condition, fragment.selection_set
        narrowed = self._model.schema.get_type(condition.name.value) if condition else None
        return narrowed or parent, inner

    def _field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType,
        count: int,
        distinct: bool,
        page: int | None,
    ) -> int:
        name = node.name.value
        field_type = self._field_type(parent, name)
        if field_type is None:
            return 0
        named = get_named_type(field_type)
        if not is_composite_type(named):
            return 0
        unwrapped = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
        if isinstance(unwrapped, GraphQLList):
            children, children_distinct = self._list(node, parent.name, name, count, distinct, page)
        else:
            # One object per parent; distinct parents may share it (a field of many
            # priorities), so the level is no longer known to be distinct, unless it
            # holds a single object (the country of country(isoCode:), the schema).
            children, children_distinct = count, count <= 1
        inner_page = None
        if named.name.endswith("Connection"):
            inner_page = self._int_argument(node, "first")
            if inner_page is None:
                inner_page = _default_int(parent, name, "first")
        return children + self.selection_set(
            node.selection_set, named, children, children_distinct, inner_page
        )

    def _field_type(self, parent: GraphQLNamedType, name: str) -> GraphQLOutputType | None:
        if name in ("__schema", "__type"):
            meta = self._model.schema.get_type("__Schema" if name == "__schema" else "__Type")
            return meta if isinstance(meta, GraphQLObjectType) else None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
            return definition.type if definition is not None else None
        return None

    def _list(  # noqa: PLR0911, PLR0912 - one branch per rule reads as the rule table does
        self,
        node: FieldNode,
        parent: str,
        name: str,
        count: int,
        distinct: bool,
        page: int | None,
    ) -> tuple[int, bool]:
        model = self._model
        bound = LIST_BOUNDS.get((parent, name))
        if bound is None:
            # A list field without a rule is bounded by the largest table: never free.
            return count * model.table(""), False
        if bound.rule is Rule.RELATION and bound.relation is not None:
            stats = model.bounds.get(bound.relation)
            if stats is None:
                return count * model.table(""), False
            children = count * stats.max_fanout
            if distinct:
                children = min(children, stats.links)
            return children, distinct and bound.one_parent
        if bound.rule is Rule.TABLE:
            rows = model.table(bound.types[0])
            return (min(count * rows, rows) if distinct else count * rows), distinct
        if bound.rule is Rule.CELLS:
            cells = 1
            for type_name in bound.types:
                cells *= model.table(type_name)
            return count * cells, distinct
        if bound.rule is Rule.PAGE:
            rows = model.table(bound.types[0])
            size = rows if page is None else min(max(page, 0), rows)
            return count * size, distinct
        if bound.rule is Rule.FIRST:
            first = self._int_argument(node, "first")
            if first is None:
                first = _default_int(model.schema.get_type(parent), name, "first")
            return count * max(first or 0, 0), distinct
        if bound.rule is Rule.IDS:
            # A client may name one ID many times: the objects are not distinct.
            return count * self._list_length(node, "ids"), False
        if bound.rule is Rule.EMBEDDED:
            return count, False
        if bound.rule is Rule.SCHEMA:
            largest, total = model.schema_size((parent, name))
            children = count * largest
            if distinct:
                children = min(children, total)
            return children, distinct and bound.one_parent
        return count, distinct

    def _argument(self, node: FieldNode, name: str) -> object:
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = argument.value
                if isinstance(value, VariableNode):
                    return self._variables.get(value.name.value)
                if isinstance(value, IntValueNode):
                    return int(value.value)
                if isinstance(value, ListValueNode):
                    return value.values
                return None
        return _DEFAULT

    def _int_argument(self, node: FieldNode, name: str) -> int | None:
        value = self._argument(node, name)
        if value is _DEFAULT:
            return None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _list_length(self, node: FieldNode, name: str) -> int:
        value = self._argument(node, name)
        return len(value) if isinstance(value, list | tuple) else 1


_DEFAULT = object()


def _default_int(parent: object, field: str, argument: str) -> int | None:
    """The schema's default for an omitted argument (``first: Int = 50``)."""
    if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return None
    definition = parent.fields.get(field)
    declared = definition.args.get(argument) if definition is not None else None
    value = declared.default_value if declared is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


__all__ = ["LIST_BOUNDS", "CostModel", "ListBound", "Rule", "estimate_cost"]
