"""The yardstick: the full tree from hand-written SQL straight to JSON.

It answers the contract's ``full_tree.graphql`` with the same data and shape, with no
GraphQL in between, so ``full_tree.py`` can report the API's speed as a ratio to it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

TREE = text(
    """
    SELECT ct.id, ct.name, c.id, c.name, p.id, f.name
    FROM continents ct
    JOIN countries c ON c.continent_id = ct.id
    LEFT JOIN priorities p ON p.country_id = c.id
    LEFT JOIN fields f ON f.id = p.field_id
    ORDER BY ct.position, c.position, p.position
    """
)
DIRECTIONS = text(
    """
    SELECT pd.priority_id, d.name FROM priority_directions pd
    JOIN directions d ON d.id = pd.direction_id ORDER BY pd.priority_id, pd.ordinal
    """
)
INSTITUTIONS = text(
    """
    SELECT pi.priority_id, i.name FROM priority_institutions pi
    JOIN institutions i ON i.id = pi.institution_id ORDER BY pi.priority_id, pi.ordinal
    """
)


async def full_tree_json(engine: AsyncEngine) -> bytes:
    async with engine.connect() as connection:
        tree = (await connection.execute(TREE)).all()
        directions: dict[int, list[dict[str, str]]] = defaultdict(list)
        for priority_id, name in await connection.execute(DIRECTIONS):
            directions[priority_id].append({"name": name})
        institutions: dict[int, list[dict[str, str]]] = defaultdict(list)
        for priority_id, name in await connection.execute(INSTITUTIONS):
            institutions[priority_id].append({"name": name})
    continents: list[dict[str, Any]] = []
    by_continent: dict[int, dict[str, Any]] = {}
    by_country: dict[int, dict[str, Any]] = {}
    for continent_id, continent, country_id, country, priority_id, field in tree:
        if continent_id not in by_continent:
            by_continent[continent_id] = {"name": continent, "countries": []}
            continents.append(by_continent[continent_id])
        if country_id not in by_country:
            by_country[country_id] = {"name": country, "priorities": []}
            by_continent[continent_id]["countries"].append(by_country[country_id])
        if priority_id is not None:
            by_country[country_id]["priorities"].append(
                {
                    "field": {"name": field},
                    "directions": directions.get(priority_id, []),
                    "institutions": institutions.get(priority_id, []),
                }
            )
    body = {"data": {"continents": continents}}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def baseline_endpoint(engine: AsyncEngine) -> Any:
    async def endpoint(_request: Request) -> Response:
        return Response(await full_tree_json(engine), media_type="application/json")

    return endpoint
