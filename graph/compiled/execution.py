"""The compiled path as the endpoint sees it: plan once, run per request, or decline.

Planning a new document walks all its selections and builds its statements: for a
document of a few hundred aliased fields that is a hundred milliseconds or more of pure
computation, so the caller says where it runs (the endpoint hands it to its worker
threads, so the event loop keeps answering); the kept plans are read and written on the
caller's side only.

Plans are kept per document text, operation name and values of the variables that
``@include``/``@skip`` read, in an LRU bounded by their estimated memory
(``graph.limits.footprint``): a plan weighs about as much as the document parsed, so a
count of entries let distinct large documents fill memory. Keys hold the text's digest,
not the text. A document the planner cannot handle is remembered as such, so it costs
the planner once.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

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
from coopgraph.graph.limits.footprint import ENTRY_BYTES, ByteBoundedCache, plan_bytes

#: Documents whose @include/@skip variables are remembered: a few names each. The
#: plans' byte bound also covers one document's variants (n such variables can make
#: 2**n plans), which a count of 16 per document bounded before.
_DOCUMENTS_KEPT = 512

_DocumentKey = tuple[bytes, str | None]
_Result = TypeVar("_Result")
#: Runs a synchronous step and awaits its result: in a worker thread, or inline.
StepRunner = Callable[[Callable[[], _Result]], Awaitable[_Result]]


async def run_inline(step: Callable[[], _Result]) -> _Result:
    """Run ``step`` on the caller's thread: for a caller with no loop to keep free."""
    return step()


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
        max_bytes: The estimated memory the plans kept may take.
    """

    def __init__(self, schema: GraphQLSchema, source: DataSource, *, max_bytes: int) -> None:
        self._schema = schema
        self._source = source
        self._planner = Planner(schema, source.dialect)
        self._directive_variables: LRUCache[_DocumentKey, tuple[str, ...]] = LRUCache(
            maxsize=_DOCUMENTS_KEPT
        )
        self._plans: ByteBoundedCache[tuple[_DocumentKey, tuple[Any, ...]], Variant | None] = (
            ByteBoundedCache(max_bytes)
        )

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
        run_step: StepRunner[Any] = run_inline,
    ) -> dict[str, Any] | None:
        """The response's ``data``, or None when the standard path must answer.

        The document must have passed validation. Database errors propagate;
        ``TimeoutError`` when the statements run past ``deadline``, a
        ``time.monotonic()`` reading. A document seen for the first time is walked
        and planned through ``run_step``.
        """
        key = (hashlib.sha256(query.encode()).digest(), operation_name)
        names = self._directive_variables.get(key)
        if names is None:
            names = await run_step(functools.partial(variable_names_in_directives, document))
            self._directive_variables[key] = names
        coerced = get_variable_values(
            self._schema, operation.variable_definitions or (), dict(variables or {})
        )
        if isinstance(coerced, list):
            return None
        plan_key = (key, tuple(coerced.coerced.get(name) for name in names))
        if plan_key in self._plans:
            variant = self._plans.get(plan_key)
        else:
            variant = await run_step(
                functools.partial(self._planner.plan, document, operation, coerced)
            )
            cost = (
                ENTRY_BYTES
                if variant is None
                else plan_bytes(query, variant.object_plans, variant.fields)
            )
            self._plans.put(plan_key, variant, cost)
        if variant is None:
            return None
        try:
            return await self._source.execute(run(variant, coerced, self._source.dialect), deadline)
        except Fallback:
            return None

    async def aclose(self) -> None:
        await self._source.aclose()


__all__ = ["CompiledExecution", "StepRunner", "run_inline"]
