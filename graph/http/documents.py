"""Parse and validate each distinct query once, under the limits, off the event loop.

Clients send the same few documents over and over, so parsed and validated documents
are kept, keyed by their text, in an LRU bounded by their estimated memory
(``graph.limits.footprint``): a stream of distinct documents only evicts older ones.
Documents that fail are not kept, so they cannot crowd it out; their refusals are
remembered apart (``RefusedDocuments``), by hash and bounded the same way, so a resent
bomb is answered from memory on the loop without waiting for a thread.

Documents are parsed without locations: a location links the whole token list of the
text, which made a kept document four times the memory (docs/decisions.md). Nothing
downstream of this cache reads locations except validation errors, so a document that
fails validation is parsed and validated again with them; what is remembered of it
holds its errors' messages and locations only (``RefusedDocuments``).

A new document is analysed in a worker thread: validation of a few thousand tokens
(four hundred copies of one field) takes seconds, and on the loop it held every other
request for as long. The cache itself is read and written on the loop only, before
and after the thread's work, so it needs no lock.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    assert_valid_schema,
    parse,
    validate,
)

from coopgraph.graph.http.refused_documents import RefusedDocuments, detached
from coopgraph.graph.http.threads import WorkerThreads
from coopgraph.graph.limits import check_shape_within, count_tokens
from coopgraph.graph.limits.footprint import ENTRY_BYTES, ByteBoundedCache, document_bytes
from coopgraph.settings import Limits


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A document that parsed; ``errors`` holds its validation errors, if any."""

    document: DocumentNode
    errors: tuple[GraphQLError, ...]


class DocumentCache:
    """Parse, check the document's shape, and validate, against one schema.

    Args:
        schema: The schema to validate against.
        limits: Tokens are counted before parsing; depth, aliases and list literals
            are checked before validation, whose cost they bound.
        threads: Where new documents are analysed.

    The documents kept and the refusals remembered each take at most
    ``limits.document_cache_bytes``, as estimated.
    """

    def __init__(self, schema: GraphQLSchema, limits: Limits, threads: WorkerThreads) -> None:
        self._schema = schema
        self._limits = limits
        self._threads = threads
        self._documents: ByteBoundedCache[str, ParsedDocument] = ByteBoundedCache(
            limits.document_cache_bytes
        )
        self._refused: RefusedDocuments[ParsedDocument] = RefusedDocuments(
            refused=lambda parsed: bool(parsed.errors),
            compact=_refusal_of,
            size=limits.document_cache_bytes,
            weigh=_refusal_bytes,
        )
        _resolve_lazy_parts(schema)

    async def get(self, query: str, client: str) -> ParsedDocument:
        """The parsed, validated document: kept, refused before, or analysed in a thread.

        Raises:
            LimitExceeded: Over the token, depth, alias, list, field or introspection
                limit, now or before.
            GraphQLSyntaxError: The text does not parse, now or before.
        """
        cached = self._documents.get(query)
        if cached is not None:
            return cached
        parsed = await self._refused.check_async(
            query, self.analyse, functools.partial(self._threads.run, client=client)
        )
        if not parsed.errors:
            self._documents.put(query, parsed, document_bytes(query))
        return parsed

    def __len__(self) -> int:
        """How many documents that passed are kept."""
        return len(self._documents)

    def analyse(self, query: str) -> ParsedDocument:
        """The work of a new document, uncached; touches no state the loop uses.

        Raises:
            LimitExceeded: Over a limit.
            GraphQLSyntaxError: The text does not parse.
        """
        limits = self._limits
        count_tokens(query, limits.max_tokens)
        document = parse(query, no_location=True, max_tokens=limits.max_tokens)
        check_shape_within(document, limits)
        if not validate(self._schema, document):
            return ParsedDocument(document, ())
        # Validation is deterministic: the same errors again, now with their locations.
        located = parse(query, no_location=False, max_tokens=limits.max_tokens)
        return ParsedDocument(located, tuple(validate(self._schema, located)))


def _refusal_bytes(refused: ParsedDocument) -> int:
    """What a compacted refusal holds: its errors' messages and locations."""
    # Measured with tracemalloc: about 560 bytes an error besides its message.
    return ENTRY_BYTES + sum(640 + 2 * len(error.message) for error in refused.errors)


def _refusal_of(parsed: ParsedDocument) -> ParsedDocument:
    """A document refused by validation, as much of it as its answer needs.

    Its operations' names and kinds (a mutation sent over GET is answered 405 before
    its errors), and its errors without the nodes and source they point into.
    """
    operations = tuple(
        OperationDefinitionNode(
            operation=definition.operation,
            name=NameNode(value=definition.name.value) if definition.name else None,
            variable_definitions=(),
            directives=(),
            selection_set=SelectionSetNode(selections=()),
        )
        for definition in parsed.document.definitions
        if isinstance(definition, OperationDefinitionNode)
    )
    return ParsedDocument(
        DocumentNode(definitions=operations), tuple(detached(error) for error in parsed.errors)
    )


def _resolve_lazy_parts(schema: GraphQLSchema) -> None:
    """Build every type's fields, arguments and members now, on one thread.

    graphql-core builds them on first use (``cached_property`` over a thunk, a new
    object per call), and checks the schema once, on the first validation; two
    validations in different threads could otherwise both build them and see two
    objects for one field. Checking the schema visits every type, field, argument,
    interface, union member and enum value.
    """
    assert_valid_schema(schema)


__all__ = ["DocumentCache", "ParsedDocument"]
