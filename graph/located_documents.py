"""The documents Strawberry's executor runs, parsed with locations, bounded by bytes.

The endpoint's own cache keeps documents without locations (``graph.http.documents``),
but the executor's errors name the line and column of their field, so the operations
it answers are parsed again with locations. Strawberry's ``ParserCache`` kept 512 of
them whatever their size, and a located document keeps every token of its text (a
5.6 KB one about 240 KB), so this keeps them in an LRU bounded by their estimated
memory instead, through the ``on_parse`` hook Strawberry documents for parser caches.

One cache serves every request of the schema, on the event loop and in the worker
thread that runs introspection, hence the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from graphql import DocumentNode, parse
from strawberry.extensions import SchemaExtension

from coopgraph.graph.limits.footprint import ByteBoundedCache, document_bytes


class LocatedDocuments:
    """Parsed documents with their locations, by text, shared between threads."""

    def __init__(self, max_bytes: int) -> None:
        self._lock = threading.Lock()
        self._documents: ByteBoundedCache[str, DocumentNode] = ByteBoundedCache(max_bytes)

    def parse(self, text: str) -> DocumentNode:
        """``text`` parsed with locations, kept or parsed now.

        Raises:
            GraphQLSyntaxError: The text does not parse.
        """
        with self._lock:
            document = self._documents.get(text)
        if document is None:
            document = parse(text)
            with self._lock:
                self._documents.put(text, document, document_bytes(text, located=True))
        return document


class LocatedParserCache(SchemaExtension):
    """Give Strawberry's executor the document from ``documents``."""

    def __init__(self, documents: LocatedDocuments) -> None:
        super().__init__()
        self._documents = documents

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            context.graphql_document = self._documents.parse(context.query)
        yield


__all__ = ["LocatedDocuments", "LocatedParserCache"]
