"""Limits read off the document alone: tokens, depth, aliases and list sizes.

These run before validation, because validation itself costs time in proportion to
what they bound (overlapping-fields checks compare every pair of aliased fields).
Fragments are measured once each and reused wherever they are spread, so a document
that spreads fragments into each other costs its size to measure, not its expansion.
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

from graph.errors import ErrorCode
from graph.limits.refusal import LimitExceeded

#: Introspection's own nesting (``ofType`` chains nine deep in GraphiQL's query) is
#: bounded by the schema, and its cost is estimated like any other; it does not count
#: towards the depth limit, or GraphiQL could not load its docs.
_INTROSPECTION_PREFIX = "__"


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
    """How deep the deepest field nests, and how many aliases the response will carry."""

    depth: int
    aliases: int


def check_shape(
    document: DocumentNode,
    *,
    max_depth: int,
    max_aliases: int,
    max_list_items: int,
) -> Shape:
    """Measure every operation of the document and refuse one over a limit.

    List literals longer than ``max_list_items`` are refused here too; lists passed
    as variables are checked per request by ``check_variable_lists``.

    All operations are measured, not only the selected one: the check then needs no
    operation selection, which validation and execution report on their own terms.

    Raises:
        LimitExceeded: The first limit the document or its variables exceed.
    """
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    measure = _Measure(fragments, max_list_items)
    depth = aliases = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            shape = measure.selection_set(definition.selection_set)
            if isinstance(definition, OperationDefinitionNode):
                depth = max(depth, shape.depth)
                aliases = max(aliases, shape.aliases)
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
    return Shape(depth=depth, aliases=aliases)


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
        depth = aliases = 0
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
        return Shape(depth=depth, aliases=aliases)

    def _field(self, field: FieldNode) -> Shape:
        for argument in field.arguments or ():
            self._check_value(argument.value, f"{field.name.value}({argument.name.value}:)")
        inner = self.selection_set(field.selection_set)
        own_alias = 1 if field.alias is not None else 0
        if field.name.value.startswith(_INTROSPECTION_PREFIX):
            return Shape(depth=1, aliases=own_alias + inner.aliases)
        return Shape(depth=1 + inner.depth, aliases=own_alias + inner.aliases)

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
            for member in value.fields:
                self._check_value(member.value, f"{where}.{member.name.value}")


def check_variable_lists(value: object, max_items: int, where: str = "variables") -> None:
    """Refuse a list in the variables longer than list arguments may be.

    Raises:
        LimitExceeded: With ``LIST_LIMIT_EXCEEDED``, naming the variable.
    """
    if isinstance(value, list):
        _check_list_length(len(value), where, max_items)
        for item in value:
            check_variable_lists(item, max_items, where)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_variable_lists(item, max_items, f"{where}.{key}")


def _check_list_length(length: int, where: str, max_items: int) -> None:
    if length > max_items:
        msg = f"The list at {where} has {length} items; this server allows {max_items}."
        raise LimitExceeded(ErrorCode.LIST_LIMIT_EXCEEDED, msg, measured=length, limit=max_items)


__all__ = ["Shape", "check_shape", "check_variable_lists", "count_tokens"]
