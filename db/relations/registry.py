"""Every relation the API traverses, each defined once.

``docs/architecture.md`` lists them with this module as the one place each is written;
``db.queries`` (the standard path's loaders), ``graph.compiled`` (the compiled path's
statements), ``db.statistics`` (the seed's fan-outs) and ``graph.limits.cost`` (the
cost bounds) read them from here.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, cast, func

from coopgraph.db.models import (
    Continent,
    Country,
    Direction,
    Edition,
    Field,
    Institution,
    Priority,
    PriorityDirection,
    PriorityInstitution,
)
from coopgraph.db.relations.definition import Children, Join, Reference, Strings
from coopgraph.db.relations.names import Relation

_NAMING: Join = (PriorityInstitution, PriorityInstitution.priority_id == Priority.id)
_LISTING: Join = (PriorityDirection, PriorityDirection.priority_id == Priority.id)
_KINDS = {"kinds": Institution.kind}

CHILDREN: dict[Relation, Children] = {
    children.relation: children
    for children in (
        Children(
            Relation.EDITION_PRIORITIES,
            Priority,
            key=Priority.edition_id,
            order=Priority.position,
            count_field="priorityCount",
        ),
        Children(
            Relation.CONTINENT_COUNTRIES,
            Country,
            key=Country.continent_id,
            order=Country.position,
            count_field="countryCount",
        ),
        Children(
            Relation.CONTINENT_FIELDS,
            Field,
            key=Country.continent_id,
            order=Field.position,
            joins=(
                (Priority, Priority.field_id == Field.id),
                (Country, Country.id == Priority.country_id),
            ),
            distinct=True,
        ),
        Children(
            Relation.COUNTRY_PRIORITIES,
            Priority,
            key=Priority.country_id,
            order=Priority.position,
            count_field="priorityCount",
        ),
        Children(
            Relation.COUNTRY_FIELDS,
            Field,
            key=Priority.country_id,
            order=Field.position,
            joins=((Priority, Priority.field_id == Field.id),),
            distinct=True,
        ),
        Children(
            Relation.COUNTRY_INSTITUTIONS,
            Institution,
            key=Institution.country_id,
            order=Institution.position,
            arguments=_KINDS,
        ),
        Children(
            Relation.FIELD_DIRECTIONS,
            Direction,
            key=Direction.field_id,
            order=Direction.position,
        ),
        Children(
            Relation.FIELD_PRIORITIES,
            Priority,
            key=Priority.field_id,
            order=Priority.position,
            count_field="priorityCount",
        ),
        Children(
            Relation.FIELD_COUNTRIES,
            Country,
            key=Priority.field_id,
            order=Country.position,
            joins=((Priority, Priority.country_id == Country.id),),
            distinct=True,
            count_field="countryCount",
        ),
        Children(
            Relation.FIELD_INSTITUTIONS,
            Institution,
            key=Priority.field_id,
            order=Institution.position,
            joins=(
                (PriorityInstitution, PriorityInstitution.institution_id == Institution.id),
                (Priority, Priority.id == PriorityInstitution.priority_id),
            ),
            distinct=True,
            arguments=_KINDS,
        ),
        Children(
            Relation.DIRECTION_PRIORITIES,
            Priority,
            key=PriorityDirection.direction_id,
            order=Priority.position,
            joins=(_LISTING,),
            count_field="priorityCount",
        ),
        Children(
            Relation.DIRECTION_COUNTRIES,
            Country,
            key=PriorityDirection.direction_id,
            order=Country.position,
            joins=((Priority, Priority.country_id == Country.id), _LISTING),
            distinct=True,
        ),
        Children(
            Relation.INSTITUTION_PRIORITIES,
            Priority,
            key=PriorityInstitution.institution_id,
            order=Priority.position,
            joins=(_NAMING,),
            count_field="priorityCount",
        ),
        Children(
            Relation.INSTITUTION_FIELDS,
            Field,
            key=PriorityInstitution.institution_id,
            order=Field.position,
            joins=((Priority, Priority.field_id == Field.id), _NAMING),
            distinct=True,
            count_field="fieldCount",
        ),
        Children(
            Relation.PRIORITY_DIRECTIONS,
            Direction,
            key=PriorityDirection.priority_id,
            order=PriorityDirection.ordinal,
            joins=((PriorityDirection, PriorityDirection.direction_id == Direction.id),),
        ),
        Children(
            Relation.PRIORITY_INSTITUTIONS,
            Institution,
            key=PriorityInstitution.priority_id,
            order=PriorityInstitution.ordinal,
            joins=((PriorityInstitution, PriorityInstitution.institution_id == Institution.id),),
        ),
    )
}

#: To-one relations, by (parent type, field).
REFERENCES: dict[tuple[str, str], Reference] = {
    ("Country", "continent"): Reference(Continent, "continent_id"),
    ("Direction", "field"): Reference(Field, "field_id"),
    ("Institution", "country"): Reference(Country, "country_id"),
    ("Institution", "countries"): Reference(Country, "country_id", as_list=True),
    ("Priority", "edition"): Reference(Edition, "edition_id"),
    ("Priority", "country"): Reference(Country, "country_id"),
    ("Priority", "field"): Reference(Field, "field_id"),
    ("Priority", "continent"): Reference(
        Continent,
        "country_id",
        key=Country.id,
        joins=((Country, Country.continent_id == Continent.id),),
    ),
}

#: ``Institution.aliases``: the distinct spellings as written, in order of first appearance.
ALIASES = Strings(
    key=PriorityInstitution.institution_id,
    value=PriorityInstitution.mention,
    # 64-bit: positions are year × 10 000 + row, too large to scale in a 32-bit integer.
    order=func.min(cast(Priority.position, BigInteger) * 1000 + PriorityInstitution.ordinal),
    child=PriorityInstitution,
    joins=((Priority, Priority.id == PriorityInstitution.priority_id),),
)

#: The node types' tables, for the relations' parent types.
MODELS: dict[str, type[Continent | Country | Direction | Edition | Field | Institution | Priority]]
MODELS = {
    "Edition": Edition,
    "Continent": Continent,
    "Country": Country,
    "Field": Field,
    "Direction": Direction,
    "Institution": Institution,
    "Priority": Priority,
}

__all__ = ["ALIASES", "CHILDREN", "MODELS", "REFERENCES"]
