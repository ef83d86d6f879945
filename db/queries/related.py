"""A relation's children for many parents at once, from its one definition.

The standard path's loaders call this with the parent IDs a request collected; the
statement is the registry's (``db.relations.registry``), filtered to those parents and
to the field's arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.queries.base import fetch_grouped
from coopgraph.db.queries.records import MODEL_OF, columns
from coopgraph.db.relations import Relation
from coopgraph.db.relations.registry import ALIASES, CHILDREN

#: The record each table's rows become.
RECORD_OF: dict[type[Any], type[Any]] = {model: record for record, model in MODEL_OF.items()}


async def children_of(
    session: AsyncSession,
    relation: Relation,
    parent_ids: Sequence[int],
    arguments: Mapping[str, Sequence[Any] | None],
) -> dict[int, list[Any]]:
    """Each parent's children over ``relation``, filtered by the arguments given (not None)."""
    children = CHILDREN[relation]
    record = RECORD_OF[children.child]
    conditions = [
        children.arguments[name].in_(values)
        for name, values in arguments.items()
        if values is not None
    ]
    query = children.statement(
        columns(record), parents=children.key.in_(parent_ids), conditions=conditions
    )
    return await fetch_grouped(session, record, query, parent_ids)


async def aliases_of(session: AsyncSession, institution_ids: Sequence[int]) -> dict[int, list[str]]:
    """Distinct spellings of each institution as written, in order of first appearance."""
    query = ALIASES.statement(parents=ALIASES.key.in_(institution_ids))
    aliases: dict[int, list[str]] = {identifier: [] for identifier in institution_ids}
    for institution_id, mention in await session.execute(query):
        aliases[institution_id].append(mention)
    return aliases
