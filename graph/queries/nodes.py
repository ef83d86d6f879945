"""Relay object identification: ``node`` and ``nodes``."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import strawberry

from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.ids import from_global_id, parse_number
from coopgraph.graph.queries.entities import ENTITIES
from coopgraph.graph.types.edition import Edition
from coopgraph.graph.types.node import Node


async def resolve_node(info: ResolverInfo, type_name: str, key: str) -> Node | None:
    """The object of a decoded global ID, or None when no such object exists (any more)."""
    loaders = info.context.loaders
    record: Any
    if type_name == "Edition":
        year = parse_number(key)
        record = await loaders.edition_by_year.load(year) if year is not None else None
        return Edition.from_record(record) if record else None
    entity = ENTITIES.get(type_name)
    if entity is None:
        return None
    record = await entity.by_key(loaders).load(key)
    if record is None:
        return None
    node: Node = entity.node_type.from_record(record)
    return node


@strawberry.type
class NodeQueries:
    @strawberry.field(description="The object with this global ID; null when none has it.")
    async def node(
        self,
        info: ResolverInfo,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="A global ID from any id field.")
        ],
    ) -> Node | None:
        return await resolve_node(info, *from_global_id(id))

    @strawberry.field(
        description="The objects with these global IDs, in the same order; null for unknown IDs."
    )
    async def nodes(
        self,
        info: ResolverInfo,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global IDs from id fields.")
        ],
    ) -> list[Node | None]:
        # Every ID is checked before any is loaded, so a malformed one fails the field
        # without leaving loads of the others running; gathered, IDs of one type are
        # loaded in one batch.
        decoded = [from_global_id(value) for value in ids]
        return list(await asyncio.gather(*(resolve_node(info, *pair) for pair in decoded)))
