"""What the compiled path knows of the schema: tables, columns and relations, as SQL.

Each statement here mirrors the ``db.queries`` function the standard path's loader
calls for the same field, with the same filters, DISTINCT and ORDER BY, so that both
paths list the same rows in the same order; the differential tests hold them to it.
Statements are written once as text with two markers, ``?`` for a parameter and
``{in}`` for "is one of a list", which each dialect renders its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto


@dataclass(frozen=True, slots=True)
class Entity:
    """A node type's table, the columns a row carries, and how its ID is made."""

    type_name: str
    table: str
    columns: tuple[str, ...]
    #: The column the global ID is derived from (the natural key; the year for editions).
    key: str

    def index(self, column: str) -> int:
        """Position of ``column`` in a fetched row, whose first value is the group key."""
        return 1 + self.columns.index(column)

    def select(self, alias: str) -> str:
        return ", ".join(f"{alias}.{column}" for column in self.columns)


EDITION = Entity(
    "Edition", "editions", ("id", "year", "title", "source_name", "source_sha256"), "year"
)
CONTINENT = Entity("Continent", "continents", ("id", "key", "name", "name_en", "position"), "key")
COUNTRY = Entity(
    "Country",
    "countries",
    ("id", "key", "iso_code", "name", "name_en", "continent_id", "position"),
    "key",
)
FIELD = Entity("Field", "fields", ("id", "key", "name", "name_en", "position"), "key")
DIRECTION = Entity(
    "Direction", "directions", ("id", "key", "field_id", "name", "name_en", "position"), "key"
)
INSTITUTION = Entity(
    "Institution",
    "institutions",
    ("id", "key", "country_id", "name", "name_en", "acronym", "kind", "position"),
    "key",
)
PRIORITY = Entity(
    "Priority",
    "priorities",
    (
        "id",
        "key",
        "edition_id",
        "country_id",
        "field_id",
        "position",
        "source_line",
        "source_text",
        "directions_text",
    ),
    "key",
)

ENTITIES: dict[str, Entity] = {
    entity.type_name: entity
    for entity in (EDITION, CONTINENT, COUNTRY, FIELD, DIRECTION, INSTITUTION, PRIORITY)
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
    """A field that needs one statement per selection level.

    ``sql`` selects the group key first (the value of the parent's ``parent_column``),
    then the child's columns; ``{in}`` marks the list of parent keys. With ``kinds``,
    the field takes an institution ``kinds`` argument, and ``{kinds}`` marks where
    its filter goes (nothing when the argument is null).
    """

    shape: Shape
    parent_column: str
    sql: str
    child: Entity | None = None
    kinds: bool = False
    #: Whether the statement without its ``{in}`` filter lists every row of the child's
    #: table (a non-null foreign key to the parent, or the target of one): under a
    #: parent level that holds all of its table, the child level then holds all of its.
    whole: bool = False

    @property
    def child_alias(self) -> str | None:
        """The alias the statement selects the child's columns under."""
        if self.child is None:
            return None
        for alias in ("x", "c", "p", "f", "d", "i"):
            if self.child.select(alias) in self.sql:
                return alias
        msg = f"the statement does not select {self.child.table}' columns: {self.sql}"
        raise ValueError(msg)


def _many(
    child: Entity, sql: str, *, parent: str = "id", kinds: bool = False, whole: bool = False
) -> Relation:
    return Relation(Shape.MANY, parent, sql, child, kinds, whole)


def _one(child: Entity, parent: str, *, as_list: bool = False) -> Relation:
    sql = f"SELECT x.id, {child.select('x')} FROM {child.table} x WHERE x.id {{in}}"
    return Relation(Shape.ONE_AS_LIST if as_list else Shape.ONE, parent, sql, child, whole=True)


def _count(sql: str) -> Relation:
    return Relation(Shape.COUNT, "id", sql)


def _priorities_by(parent: str, *joins: str) -> Relation:
    joined = " ".join(joins)
    return _many(
        PRIORITY,
        f"SELECT {parent}, {PRIORITY.select('p')} FROM priorities p {joined}"
        f" WHERE {parent} {{in}} ORDER BY {parent}, p.position",
        # Every priority has its edition, country and field; not every one a link.
        whole=not joins,
    )


_PI_JOIN = "JOIN priority_institutions pi ON pi.priority_id = p.id"
_PD_JOIN = "JOIN priority_directions pd ON pd.priority_id = p.id"
_FIELD_COUNTS = (
    "SELECT pi.institution_id AS institution_id, count(DISTINCT p.field_id) AS field_count"
    " FROM priority_institutions pi JOIN priorities p ON p.id = pi.priority_id"
    " GROUP BY pi.institution_id"
)

RELATIONS: dict[tuple[str, str], Relation] = {
    ("Edition", "priorities"): _priorities_by("p.edition_id"),
    ("Edition", "priorityCount"): _count(
        "SELECT p.edition_id, count(DISTINCT p.id) FROM priorities p"
        " WHERE p.edition_id {in} GROUP BY p.edition_id"
    ),
    ("Continent", "countries"): _many(
        COUNTRY,
        f"SELECT c.continent_id, {COUNTRY.select('c')} FROM countries c"
        " WHERE c.continent_id {in} ORDER BY c.position",
        whole=True,
    ),
    ("Continent", "countryCount"): _count(
        "SELECT c.continent_id, count(DISTINCT c.id) FROM countries c"
        " WHERE c.continent_id {in} GROUP BY c.continent_id"
    ),
    ("Continent", "fields"): _many(
        FIELD,
        f"SELECT DISTINCT c.continent_id, {FIELD.select('f')} FROM fields f"
        " JOIN priorities p ON p.field_id = f.id JOIN countries c ON c.id = p.country_id"
        " WHERE c.continent_id {in} ORDER BY c.continent_id, f.position",
    ),
    ("Country", "continent"): _one(CONTINENT, "continent_id"),
    ("Country", "priorities"): _priorities_by("p.country_id"),
    ("Country", "priorityCount"): _count(
        "SELECT p.country_id, count(DISTINCT p.id) FROM priorities p"
        " WHERE p.country_id {in} GROUP BY p.country_id"
    ),
    ("Country", "fields"): _many(
        FIELD,
        f"SELECT DISTINCT p.country_id, {FIELD.select('f')} FROM fields f"
        " JOIN priorities p ON p.field_id = f.id"
        " WHERE p.country_id {in} ORDER BY p.country_id, f.position",
    ),
    ("Country", "institutions"): _many(
        INSTITUTION,
        f"SELECT i.country_id, {INSTITUTION.select('i')} FROM institutions i"
        " WHERE i.country_id {in}{kinds} ORDER BY i.position",
        kinds=True,
        whole=True,
    ),
    ("Field", "directions"): _many(
        DIRECTION,
        f"SELECT d.field_id, {DIRECTION.select('d')} FROM directions d"
        " WHERE d.field_id {in} ORDER BY d.position",
        whole=True,
    ),
    ("Field", "priorities"): _priorities_by("p.field_id"),
    ("Field", "priorityCount"): _count(
        "SELECT p.field_id, count(DISTINCT p.id) FROM priorities p"
        " WHERE p.field_id {in} GROUP BY p.field_id"
    ),
    ("Field", "countries"): _many(
        COUNTRY,
        f"SELECT DISTINCT p.field_id, {COUNTRY.select('c')} FROM countries c"
        " JOIN priorities p ON p.country_id = c.id"
        " WHERE p.field_id {in} ORDER BY p.field_id, c.position",
    ),
    ("Field", "countryCount"): _count(
        "SELECT p.field_id, count(DISTINCT p.country_id) FROM priorities p"
        " WHERE p.field_id {in} GROUP BY p.field_id"
    ),
    ("Field", "institutions"): _many(
        INSTITUTION,
        f"SELECT DISTINCT p.field_id, {INSTITUTION.select('i')} FROM institutions i"
        " JOIN priority_institutions pi ON pi.institution_id = i.id"
        " JOIN priorities p ON p.id = pi.priority_id"
        " WHERE p.field_id {in}{kinds} ORDER BY p.field_id, i.position",
        kinds=True,
    ),
    ("Direction", "field"): _one(FIELD, "field_id"),
    ("Direction", "priorities"): _priorities_by("pd.direction_id", _PD_JOIN),
    ("Direction", "priorityCount"): _count(
        "SELECT pd.direction_id, count(DISTINCT pd.priority_id) FROM priority_directions pd"
        " WHERE pd.direction_id {in} GROUP BY pd.direction_id"
    ),
    ("Direction", "countries"): _many(
        COUNTRY,
        f"SELECT DISTINCT pd.direction_id, {COUNTRY.select('c')} FROM countries c"
        " JOIN priorities p ON p.country_id = c.id"
        " JOIN priority_directions pd ON pd.priority_id = p.id"
        " WHERE pd.direction_id {in} ORDER BY pd.direction_id, c.position",
    ),
    ("Institution", "aliases"): Relation(
        Shape.STRINGS,
        "id",
        "SELECT pi.institution_id, pi.mention FROM priority_institutions pi"
        " JOIN priorities p ON p.id = pi.priority_id WHERE pi.institution_id {in}"
        " GROUP BY pi.institution_id, pi.mention ORDER BY pi.institution_id,"
        " min(CAST(p.position AS BIGINT) * 1000 + pi.ordinal)",
    ),
    ("Institution", "country"): _one(COUNTRY, "country_id"),
    ("Institution", "countries"): _one(COUNTRY, "country_id", as_list=True),
    ("Institution", "priorities"): _priorities_by("pi.institution_id", _PI_JOIN),
    ("Institution", "priorityCount"): _count(
        "SELECT pi.institution_id, count(DISTINCT pi.priority_id) FROM priority_institutions pi"
        " WHERE pi.institution_id {in} GROUP BY pi.institution_id"
    ),
    ("Institution", "fields"): _many(
        FIELD,
        f"SELECT DISTINCT pi.institution_id, {FIELD.select('f')} FROM fields f"
        " JOIN priorities p ON p.field_id = f.id"
        " JOIN priority_institutions pi ON pi.priority_id = p.id"
        " WHERE pi.institution_id {in} ORDER BY pi.institution_id, f.position",
    ),
    ("Institution", "fieldCount"): _count(
        f"SELECT fc.institution_id, fc.field_count FROM ({_FIELD_COUNTS}) fc"
        " WHERE fc.institution_id {in}"
    ),
    ("Priority", "edition"): _one(EDITION, "edition_id"),
    ("Priority", "country"): _one(COUNTRY, "country_id"),
    ("Priority", "continent"): Relation(
        Shape.ONE,
        "country_id",
        f"SELECT c.id, {CONTINENT.select('x')} FROM continents x"
        " JOIN countries c ON c.continent_id = x.id WHERE c.id {in}",
        CONTINENT,
    ),
    ("Priority", "field"): _one(FIELD, "field_id"),
    ("Priority", "directions"): _many(
        DIRECTION,
        f"SELECT pd.priority_id, {DIRECTION.select('d')} FROM directions d"
        " JOIN priority_directions pd ON pd.direction_id = d.id"
        " WHERE pd.priority_id {in} ORDER BY pd.priority_id, pd.ordinal",
    ),
    ("Priority", "institutions"): _many(
        INSTITUTION,
        f"SELECT pi.priority_id, {INSTITUTION.select('i')} FROM institutions i"
        " JOIN priority_institutions pi ON pi.institution_id = i.id"
        " WHERE pi.priority_id {in} ORDER BY pi.priority_id, pi.ordinal",
    ),
}

FIELD_COUNTS = _FIELD_COUNTS

__all__ = ["ENTITIES", "FIELD_COUNTS", "RELATIONS", "SCALARS", "Entity", "Relation", "Shape"]
