"""One registry from a type name to its loaders and its Strawberry type.

Global IDs, filter arguments and search hits all name an entity by its type; each
finds the loader and the type here, so adding an entity is one line, not three.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader

from coopgraph.graph.loaders import Loaders
from coopgraph.graph.types.continent import Continent
from coopgraph.graph.types.country import Country
from coopgraph.graph.types.direction import Direction
from coopgraph.graph.types.field import Field
from coopgraph.graph.types.institution import Institution
from coopgraph.graph.types.priority import Priority


@dataclass(frozen=True, slots=True)
class Entity:
    """How to load one entity type, by database ID or natural key, and what it becomes."""

    by_id: Callable[[Loaders], DataLoader[int, Any]]
    by_key: Callable[[Loaders], DataLoader[str, Any]]
    node_type: Any


#: Entities with a natural key (Edition is keyed by its year, a number, and kept apart).
ENTITIES: dict[str, Entity] = {
    "Continent": Entity(
        lambda loaders: loaders.continent, lambda loaders: loaders.continent_by_key, Continent
    ),
    "Country": Entity(
        lambda loaders: loaders.country, lambda loaders: loaders.country_by_key, Country
    ),
    "Field": Entity(lambda loaders: loaders.field, lambda loaders: loaders.field_by_key, Field),
    "Direction": Entity(
        lambda loaders: loaders.direction, lambda loaders: loaders.direction_by_key, Direction
    ),
    "Institution": Entity(
        lambda loaders: loaders.institution, lambda loaders: loaders.institution_by_key, Institution
    ),
    "Priority": Entity(
        lambda loaders: loaders.priority, lambda loaders: loaders.priority_by_key, Priority
    ),
}

__all__ = ["ENTITIES", "Entity"]
