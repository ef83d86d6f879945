"""Typed ID arguments to database rows, for root fields (page sizes and text: ``values``)."""

from __future__ import annotations

from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.errors import NotFound
from coopgraph.graph.ids import expect_global_id, quote_input


async def row_id(
    info: ResolverInfo, value: str | None, type_name: str, argument: str
) -> int | None:
    """The database ID behind a global ID argument of the given type, or None if omitted."""
    if value is None:
        return None
    key = expect_global_id(value, type_name, argument)
    from coopgraph.graph.queries.entities import ENTITIES  # noqa: PLC0415 - types import arguments

    record = await ENTITIES[type_name].by_key(info.context.loaders).load(key)
    if record is None:
        msg = f"{argument}: no {type_name} has the ID {quote_input(value)}"
        raise NotFound(msg)
    return int(record.id)
