"""A connection edge, generic over its node type (named ``CountryEdge`` and so on)."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

NodeType = TypeVar("NodeType")


@strawberry.type(description="One row of a connection and the cursor that points at it.")
class Edge(Generic[NodeType]):
    cursor: str = strawberry.field(
        description="Opaque; pass it as after to continue after this row."
    )
    node: NodeType = strawberry.field(description="The row.")
