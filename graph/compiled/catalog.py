"""What the compiled path knows of the schema: node types' tables and their fields.

Relations are not written here: each field that needs a statement maps to its one
definition in ``db.relations.registry``, which the standard path's loaders read too,
so both paths list the same rows in the same order; the differential tests hold them
to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from coopgraph.db.relations.definition import Children, Reference, Strings
from coopgraph.db.relations.registry import ALIASES, CHILDREN, MODELS, REFERENCES


@dataclass(frozen=True, slots=True)
class Entity:
    """A node type's table, the columns a row carries, and how its ID is made."""

    type_name: str
    model: Any
    columns: tuple[str, ...]
    #: The column the global ID is derived from (the natural key; the year for editions).
    key: str

    def index(self, column: str) -> int:
        """Position of ``column`` in a fetched row, whose first value is the group key."""
        return 1 + self.columns.index(column)

    def column(self, name: str) -> Any:
        return self.model.__table__.c[name]

    def select(self, names: tuple[str, ...] | None = None) -> list[Any]:
        """The table's columns ``names`` (every column a row carries when None)."""
        return [self.column(name) for name in (self.columns if names is None else names)]


def _entity(type_name: str, key: str, *columns: str) -> Entity:
    return Entity(type_name, MODELS[type_name], ("id", *columns), key)


ENTITIES: dict[str, Entity] = {
    entity.type_name: entity
    for entity in (
        _entity("Edition", "year", "year", "title", "source_name", "source_sha256"),
        _entity("Continent", "key", "key", "name", "name_en", "position"),
        _entity("Country", "key", "key", "iso_code", "name", "name_en", "continent_id", "position"),
        _entity("Field", "key", "key", "name", "name_en", "position"),
        _entity("Direction", "key", "key", "field_id", "name", "name_en", "position"),
        _entity(
            "Institution",
            "key",
            "key",
            "country_id",
            "name",
            "name_en",
            "acronym",
            "kind",
            "position",
        ),
        _entity(
            "Priority",
            "key",
            "key",
            "edition_id",
            "country_id",
            "field_id",
            "position",
            "source_line",
            "source_text",
            "directions_text",
        ),
    )
}

#: GraphQL scalar fields read straight off a row's column (``id`` is handled apart).
SCALARS: dict[str, dict[str, str]] = {
    "Edition": {
        "year": "year",
        "title": "title",
        "sourceName": "source_name",
        "sourceSha256": "source_sha256",
    },
    "Continent": {"name": "name", "nameEn": "name_en"},
    "Country": {"name": "name", "nameEn": "name_en", "isoCode": "iso_code"},
    "Field": {"name": "name", "nameEn": "name_en"},
    "Direction": {"name": "name", "nameEn": "name_en"},
    "Institution": {"name": "name", "nameEn": "name_en", "acronym": "acronym", "kind": "kind"},
    "Priority": {
        "sourceLine": "source_line",
        "sourceText": "source_text",
        "directionsText": "directions_text",
    },
}


class Shape(Enum):
    """What a relation statement's rows become for each parent."""

    MANY = auto()
    """A list of child objects, in the statement's order."""
    ONE = auto()
    """One child object (a foreign key's target)."""
    ONE_AS_LIST = auto()
    """One child object, answered as a one-item list (``Institution.countries``)."""
    COUNT = auto()
    """An integer per parent, 0 where the statement has no row."""
    STRINGS = auto()
    """A list of strings (``Institution.aliases``)."""


@dataclass(frozen=True, slots=True)
class Relation:
    """A field that needs one statement per selection level, and its definition."""

    shape: Shape
    definition: Children | Reference | Strings
    #: The parent row's column whose values the statement's first column matches.
    parent_column: str = "id"
    child: Entity | None = None

    @property
    def arguments(self) -> Mapping[str, Any]:
        """The field's arguments that filter the children, by name."""
        if isinstance(self.definition, Children) and self.shape is Shape.MANY:
            return self.definition.arguments
        return {}

    @property
    def whole(self) -> bool:
        """Whether the statement without its parent filter lists all rows of the child.

        Under a parent level that holds all of its table, the child level then holds
        all of its.
        """
        return not isinstance(self.definition, Strings) and self.definition.one_parent


def _relations() -> dict[tuple[str, str], Relation]:
    entity_of: dict[type[Any], Entity] = {MODELS[name]: entity for name, entity in ENTITIES.items()}
    found: dict[tuple[str, str], Relation] = {}
    for children in CHILDREN.values():
        parent, name = children.field
        child = entity_of[children.child]
        found[parent, name] = Relation(Shape.MANY, children, children.parent_column, child)
        if children.count_field is not None:
            found[parent, children.count_field] = Relation(Shape.COUNT, children)
    for field, reference in REFERENCES.items():
        shape = Shape.ONE_AS_LIST if reference.as_list else Shape.ONE
        child = entity_of[reference.child]
        found[field] = Relation(shape, reference, reference.parent_column, child)
    found["Institution", "aliases"] = Relation(Shape.STRINGS, ALIASES)
    return found


RELATIONS: dict[tuple[str, str], Relation] = _relations()

__all__ = ["ENTITIES", "RELATIONS", "SCALARS", "Entity", "Relation", "Shape"]
