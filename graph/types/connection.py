"""A Relay connection, generic over its node type (named ``CountryConnection`` and so on)."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from coopgraph.graph.types.edge import Edge
from coopgraph.graph.types.page_info import PageInfo

NodeType = TypeVar("NodeType")


@strawberry.type(description="A page of rows with cursors, paged by the database (keyset).")
class Connection(Generic[NodeType]):
    edges: list[Edge[NodeType]] = strawberry.field(description="The rows of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Whether more rows follow, and the cursors.")
    total_count: int = strawberry.field(description="Rows matching the filter, across all pages.")
