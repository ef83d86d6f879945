"""The compiled path as the endpoint sees it: plan once, run per request, or decline.

Plans are kept per document text and operation name in a bounded LRU, and within that
per values of the variables that ``@include``/``@skip`` read. A document the planner
cannot handle is remembered as such, so it costs the planner once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.execution import get_variable_values

from coopgraph.graph.compiled.plan import Fallback, Variant
from coopgraph.graph.compiled.planner import Planner
from coopgraph.graph.compiled.run import run
from coopgraph.graph.compiled.sources import DataSource

#: Plans kept per document, one per combination of the values its @include/@skip
#: variables take: n such variables could otherwise make 2**n plans.
_VARIANTS_PER_DOCUMENT = 16


@dataclass(slots=True)
class _DocumentPlans:
    directive_variables: tuple[str, ...]
    variants: LRUCache[tuple[Any, ...], Variant | None] = field(
        default_factory=lambda: LRUCache(maxsize=_VARIANTS_PER_DOCUMENT)
    )


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


class CompiledExecution:
    """Answers the operations it can plan straight from the database.

    Args:
        schema: The graphql-core schema documents are validated against.
        source: Where plans read their rows.
        size: How many documents' plans to keep.
    """

    def __init__(self, schema: GraphQLSchema, source: DataSource, *, size: int = 512) -> None:
        self._schema = schema
        self._source = source
        self._planner = Planner(schema, source.dialect)
        self._plans: LRUCache[tuple[str, str | None], _DocumentPlans] = LRUCache(maxsize=size)

    @property
    def source(self) -> DataSource:
        return self._source

    async def execute(
        self,
        query: str,
        operation_name: str | None,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
        *,
        deadline: float,
    ) -> dict[str, Any] | None:
        """The response's ``data``, or None when the standard path must answer.

        The document must have passed validation. Database errors propagate;
        ``TimeoutError`` when the statements run past ``deadline``, a
        ``time.monotonic()`` reading.
        """
        key = (query, operation_name)
        plans = self._plans.get(key)
        if plans is None:
            plans = _DocumentPlans(variable_names_in_directives(document))
            self._plans[key] = plans
        coerced = get_variable_values(
            self._schema, operation.variable_definitions or (), dict(variables or {})
        )
        if isinstance(coerced, list):
            return None
        variant_key = tuple(coerced.coerced.get(name) for name in plans.directive_variables)
        if variant_key in plans.variants:
            variant = plans.variants[variant_key]
        else:
            variant = self._planner.plan(document, operation, coerced)
            plans.variants[variant_key] = variant
        if variant is None:
            return None
        try:
            return await self._source.execute(run(variant, coerced, self._source.dialect), deadline)
        except Fallback:
            return None

    async def aclose(self) -> None:
        await self._source.aclose()


__all__ = ["CompiledExecution"]
