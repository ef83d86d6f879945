"""Parse and validate each distinct query once, under the limits that bound the work.

Clients send the same few documents over and over, so parsed and validated documents
are kept, keyed by their text, in a bounded LRU: a stream of distinct documents only
evicts older ones. Documents that fail are not kept, so they cannot crowd it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from cachetools import LRUCache
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

from graph.limits import check_shape, count_tokens
from settings import Limits


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
        size: How many documents to keep.
    """

    def __init__(self, schema: GraphQLSchema, limits: Limits, *, size: int = 512) -> None:
        self._schema = schema
        self._limits = limits
        self._documents: LRUCache[str, ParsedDocument] = LRUCache(maxsize=size)

    def get(self, query: str) -> ParsedDocument:
        """The parsed, validated document.

        Raises:
            LimitExceeded: Over the token, depth, alias or list limit.
            GraphQLSyntaxError: The text does not parse.
        """
        cached = self._documents.get(query)
        if cached is not None:
            return cached
        limits = self._limits
        count_tokens(query, limits.max_tokens)
        document = parse(query, no_location=False, max_tokens=limits.max_tokens)
        check_shape(
            document,
            max_depth=limits.max_depth,
            max_aliases=limits.max_aliases,
            max_list_items=limits.max_list_items,
        )
        parsed = ParsedDocument(document, tuple(validate(self._schema, document)))
        if not parsed.errors:
            self._documents[query] = parsed
        return parsed


__all__ = ["DocumentCache", "ParsedDocument"]
