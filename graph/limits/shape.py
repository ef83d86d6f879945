"""Limits read off the document alone: tokens, depth, aliases, fields, introspection, lists.

These run before validation, because validation itself costs time in proportion to
what they bound: the overlapping-fields rule compares every pair of fields that share
a response name, so ``{ continents { name } }`` repeated 995 times, 20 KB and under
every other limit, kept a core busy for seconds. The field budget bounds that work;
the introspection budget bounds answers that are a whole schema each.

Fragments are measured once each and reused wherever they are spread, so a document
that spreads fragments into each other costs its size to measure, not its expansion.
The expansion is what the planner and the executor walk, though: a 2.9 KB tree of
fragments, each spreading the next under three or four relations, expanded to 886
fields, under ``nodes(ids: [])`` costed nothing, and took 0.6 s to plan (4.3 s at
4.1 KB, with the compiler holding the interpreter lock for up to 0.9 s). Fields are
therefore limited twice: as written, for validation, and expanded, for what follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
)
from graphql.language import Lexer, Source, TokenKind

from coopgraph.graph.errors import ErrorCode
from coopgraph.graph.limits.refusal import LimitExceeded
from coopgraph.settings import Limits

#: Introspection's own nesting (``ofType`` chains nine deep in GraphiQL's query) is
#: bounded by the schema, and its cost is estimated like any other; it does not count
#: towards the depth limit, or GraphiQL could not load its docs.
_INTROSPECTION_PREFIX = "__"

#: The fields whose answer is the schema itself (``__typename`` is one string).
_SCHEMA_FIELDS = frozenset({"__schema", "__type"})

#: Where callers that predate a limit get its value: the settings' own default.
_DEFAULTS = Limits()


def count_tokens(text: str, limit: int) -> int:
    """Count the document's lexical tokens (comments excluded), refusing past ``limit``.

    Counting stops one past the limit, so a huge document costs no more than a legal
    one to refuse. Syntax errors propagate as graphql-core reports them.
    """
    lexer = Lexer(Source(text))
    count = 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
        if count > limit:
            msg = (
                f"The query has more than {limit} tokens, the most this server accepts;"
                " split it into smaller queries."
            )
            raise LimitExceeded(ErrorCode.TOKEN_LIMIT_EXCEEDED, msg, measured=count, limit=limit)
    return count


@dataclass(frozen=True, slots=True)
class Shape:
    """What one operation asks for, fragments expanded.

    Attributes:
        depth: How deep the deepest field nests.
        aliases: Aliased fields the response will carry.
        fields: Field selections as written in the whole document, ``__typename``
            included: what validation visits and compares.
        expanded: Field selections of the operation with its fragments expanded,
            those under ``__schema``/``__type`` aside: what planning walks.
        introspection: ``__schema`` and ``__type`` selections, each a schema's worth
            of answer.
    """

    depth: int
    aliases: int
    fields: int = 0
    introspection: int = 0
    expanded: int = 0


def check_shape(
    document: DocumentNode,
    *,
    max_depth: int,
    max_aliases: int,
    max_list_items: int,
    max_fields: int = _DEFAULTS.max_fields,
    max_introspection: int = _DEFAULTS.max_introspection,
    max_expanded_fields: int = _DEFAULTS.max_expanded_fields,
) -> Shape:
    """Measure every operation of the document and refuse one over a limit.

    List literals longer than ``max_list_items`` are refused here too; lists passed
    as variables are checked per request by ``check_variable_lists``.

    All operations are measured, not only the selected one: the check then needs no
    operation selection, which validation and execution report on their own terms.
    Fields are counted as written, over the whole document: validation visits each
    once whichever operation runs, and compares fragments with each other once per
    pair, so the written count bounds its work where the expanded one overstates it
    (GraphiQL's introspection query writes 72 fields and expands to 469).

    Raises:
        LimitExceeded: The first limit the document or its variables exceed.
    """
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    measure = _Measure(fragments, max_list_items)
    depth = aliases = introspection = expanded = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            shape = measure.selection_set(definition.selection_set)
            if isinstance(definition, OperationDefinitionNode):
                depth = max(depth, shape.depth)
                aliases = max(aliases, shape.aliases)
                introspection = max(introspection, shape.introspection)
                expanded = max(expanded, shape.expanded)
    if depth > max_depth:
        msg = f"The query nests fields {depth} deep; this server allows {max_depth}."
        raise LimitExceeded(ErrorCode.DEPTH_LIMIT_EXCEEDED, msg, measured=depth, limit=max_depth)
    if aliases > max_aliases:
        msg = (
            f"The query uses {aliases} aliases (fragments expanded); this server allows"
            f" {max_aliases}. Send several smaller queries instead."
        )
        raise LimitExceeded(
            ErrorCode.ALIAS_LIMIT_EXCEEDED, msg, measured=aliases, limit=max_aliases
        )
    fields = count_fields(document)
    if fields > max_fields:
        msg = (
            f"The query selects {fields} fields; this server allows {max_fields}."
            " Select each field once, or send several smaller queries."
        )
        raise LimitExceeded(ErrorCode.FIELD_LIMIT_EXCEEDED, msg, measured=fields, limit=max_fields)
    if expanded > max_expanded_fields:
        msg = (
            f"The query selects {expanded} fields with its fragments expanded; this server"
            f" allows {max_expanded_fields}. Spread fewer fragments into each other, or"
            " send several smaller queries."
        )
        raise LimitExceeded(
            ErrorCode.FIELD_LIMIT_EXCEEDED, msg, measured=expanded, limit=max_expanded_fields
        )
    if introspection > max_introspection:
        msg = (
            f"The query asks for __schema or __type {introspection} times; this server"
            f" allows {max_introspection}. The schema is the same every time: ask once."
        )
        raise LimitExceeded(
            ErrorCode.INTROSPECTION_LIMIT_EXCEEDED,
            msg,
            measured=introspection,
            limit=max_introspection,
        )
    return Shape(
        depth=depth,
        aliases=aliases,
        fields=fields,
        introspection=introspection,
        expanded=expanded,
    )


def check_shape_within(document: DocumentNode, limits: Limits) -> Shape:
    """``check_shape`` against every document limit of ``limits``.

    The one place that maps the settings onto its arguments, so a new limit is one edit.
    """
    return check_shape(
        document,
        max_depth=limits.max_depth,
        max_aliases=limits.max_aliases,
        max_list_items=limits.max_list_items,
        max_fields=limits.max_fields,
        max_expanded_fields=limits.max_expanded_fields,
        max_introspection=limits.max_introspection,
    )


class _Measure:
    def __init__(
        self, fragments: Mapping[str, FragmentDefinitionNode], max_list_items: int
    ) -> None:
        self._fragments = fragments
        self._max_list_items = max_list_items
        self._measured: dict[str, Shape] = {}
        # Fragments being measured: a cycle is a validation error, reported later;
        # here it only must not recurse forever.
        self._open: set[str] = set()

    def selection_set(self, selection_set: SelectionSetNode | None) -> Shape:
        depth = aliases = introspection = expanded = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                shape = self._field(selection)
            elif isinstance(selection, InlineFragmentNode):
                shape = self.selection_set(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                shape = self._spread(selection.name.value)
            else:  # pragma: no cover - graphql-core has no other selection kind
                continue
            depth = max(depth, shape.depth)
            aliases += shape.aliases
            introspection += shape.introspection
            expanded += shape.expanded
        return Shape(depth=depth, aliases=aliases, introspection=introspection, expanded=expanded)

    def _field(self, field: FieldNode) -> Shape:
        for argument in field.arguments or ():
            self._check_value(argument.value, f"{field.name.value}({argument.name.value}:)")
        inner = self.selection_set(field.selection_set)
        name = field.name.value
        aliases = (1 if field.alias is not None else 0) + inner.aliases
        introspection = (1 if name in _SCHEMA_FIELDS else 0) + inner.introspection
        depth = 1 if name.startswith(_INTROSPECTION_PREFIX) else 1 + inner.depth
        # The schema's own answer is built by graphql-core from the schema, bounded by
        # the introspection budget; it is neither planned nor read from the database.
        expanded = 1 if name in _SCHEMA_FIELDS else 1 + inner.expanded
        return Shape(depth=depth, aliases=aliases, introspection=introspection, expanded=expanded)

    def _spread(self, name: str) -> Shape:
        if name in self._measured:
            return self._measured[name]
        fragment = self._fragments.get(name)
        if fragment is None or name in self._open:
            return Shape(depth=0, aliases=0)
        self._open.add(name)
        try:
            shape = self.selection_set(fragment.selection_set)
        finally:
            self._open.discard(name)
        self._measured[name] = shape
        return shape

    def _check_value(self, value: ValueNode, where: str) -> None:
        if isinstance(value, ListValueNode):
            _check_list_length(len(value.values), where, self._max_list_items)
            for item in value.values:
                self._check_value(item, where)
        elif isinstance(value, ObjectValueNode):
            # No input object of the schema has more than a handful of fields, but
            # validation reports each unknown one with the whole object printed into
            # its message: 1,200 of them cost seconds and a megabyte-sized answer.
            _check_list_length(len(value.fields), where, self._max_list_items, "fields")
            for member in value.fields:
                self._check_value(member.value, f"{where}.{member.name.value}")


def count_fields(document: DocumentNode) -> int:
    """Field selections as written in the document, each fragment's once.

    A loop over a stack rather than recursion: the token limit allows selection sets
    nested thousands deep, past the interpreter's recursion limit.
    """
    count = 0
    pending: list[SelectionSetNode] = [
        definition.selection_set
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                count += 1
                if selection.selection_set is not None:
                    pending.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
    return count


def check_variable_lists(value: object, max_items: int, where: str = "variables") -> None:
    """Refuse a list (or an input object) in the variables longer than arguments may be.

    Raises:
        LimitExceeded: With ``LIST_LIMIT_EXCEEDED``, naming the variable.
    """
    if isinstance(value, list):
        _check_list_length(len(value), where, max_items)
        for item in value:
            check_variable_lists(item, max_items, where)
    elif isinstance(value, Mapping):
        # An input object, below the variables themselves (which the operation names).
        if where != "variables":
            _check_list_length(len(value), where, max_items, "fields")
        for key, item in value.items():
            check_variable_lists(item, max_items, f"{where}.{key}")


def _check_list_length(length: int, where: str, max_items: int, what: str = "items") -> None:
    if length > max_items:
        kind = "list" if what == "items" else "input object"
        msg = f"The {kind} at {where} has {length} {what}; this server allows {max_items}."
        raise LimitExceeded(ErrorCode.LIST_LIMIT_EXCEEDED, msg, measured=length, limit=max_items)


__all__ = [
    "Shape",
    "check_shape",
    "check_shape_within",
    "check_variable_lists",
    "count_fields",
    "count_tokens",
]
