"""The root lists' filters and orders, each written once for both execution paths.

A connection filter is a condition on the listed table given the filter's value: the
standard path passes the value, the compiled path a bound parameter, and each compiles
the same expression.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, func, select

from coopgraph.db.kinds import ROMANISATIONS, InstitutionKind
from coopgraph.db.models import (
    Country,
    Direction,
    Edition,
    Institution,
    Priority,
    PriorityDirection,
    PriorityInstitution,
    SearchTerm,
)
from coopgraph.db.relations.definition import Column
from coopgraph.db.relations.names import Relation
from coopgraph.db.relations.registry import CHILDREN
from coopgraph.db.text import normalize_search_text


def field_counts() -> Subquery:
    """Distinct fields per institution (``parent``, ``n``): ``Institution.fields`` fan-out."""
    return CHILDREN[Relation.INSTITUTION_FIELDS].fanout().subquery("field_counts")


@dataclass(frozen=True, slots=True)
class Filter:
    """One field of a connection's filter input, and the condition it puts on the rows."""

    #: The input field's name in the schema.
    argument: str
    #: The node type whose global ID the field takes; None for a plain value.
    id_type: str | None
    condition: Callable[[Any], ColumnElement[bool]]


def _in_field(value: Any) -> ColumnElement[bool]:
    named = (
        select(PriorityInstitution.institution_id)
        .join(Priority, Priority.id == PriorityInstitution.priority_id)
        .where(Priority.field_id == value)
    )
    return Institution.id.in_(named)


def _min_field_count(value: Any) -> ColumnElement[bool]:
    counts = field_counts()
    return Institution.id.in_(select(counts.c.parent).where(counts.c.n >= value))


#: Per listed type, its filters by the name the standard path's query records use.
FILTERS: Mapping[str, Mapping[str, Filter]] = {
    "Country": {
        "continent_id": Filter("continent", "Continent", lambda v: Country.continent_id == v),
        "field_id": Filter(
            "field",
            "Field",
            lambda v: Country.id.in_(select(Priority.country_id).where(Priority.field_id == v)),
        ),
    },
    "Direction": {
        "field_id": Filter("field", "Field", lambda v: Direction.field_id == v),
    },
    "Institution": {
        "country_id": Filter("country", "Country", lambda v: Institution.country_id == v),
        "field_id": Filter("field", "Field", _in_field),
        "min_field_count": Filter("minFieldCount", None, _min_field_count),
    },
    "Priority": {
        "year": Filter(
            "year",
            None,
            lambda v: Priority.edition_id.in_(select(Edition.id).where(Edition.year == v)),
        ),
        "continent_id": Filter(
            "continent",
            "Continent",
            lambda v: Priority.country_id.in_(select(Country.id).where(Country.continent_id == v)),
        ),
        "country_id": Filter("country", "Country", lambda v: Priority.country_id == v),
        "field_id": Filter("field", "Field", lambda v: Priority.field_id == v),
        "direction_id": Filter(
            "direction",
            "Direction",
            lambda v: Priority.id.in_(
                select(PriorityDirection.priority_id).where(PriorityDirection.direction_id == v)
            ),
        ),
        "institution_id": Filter(
            "institution",
            "Institution",
            lambda v: Priority.id.in_(
                select(PriorityInstitution.priority_id).where(
                    PriorityInstitution.institution_id == v
                )
            ),
        ),
    },
}

#: The column an institution ``kinds`` filter lists values of.
KIND = Institution.kind
#: The kinds ``sharedInstitutions`` lists by default: categories (大学, 企业) recur in
#: every country and would drown the named partners.
SHARED_KINDS = (InstitutionKind.ORGANIZATION, InstitutionKind.GROUP)


def country_lookup(iso_code: str | None, name: str | None) -> dict[str, str]:
    """The values ``country(isoCode:, name:)`` matches, as ``country_named`` reads them.

    The name is folded as search folds its text (case, width, traditional characters,
    spacing) and compared with the spellings the seed folded alike: SQL ``lower()``
    folds ASCII only on SQLite, so no folding is left to the database.
    """
    values = {}
    if iso_code is not None:
        values["iso_code"] = iso_code.strip().upper()
    if name is not None:
        values["name_key"] = normalize_search_text(name)
    return values


def country_named(values: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    """The country with this ISO code, or with this name among the spellings search has.

    A name is any stored spelling of a country but its romanisations: the document's
    name, the English name, the ISO code, pycountry's names and the curated spellings
    users type (seed/curation/search_aliases.csv), so every name search finds exactly
    resolves. ``values`` has the keys of ``country_lookup``, each a value or a bound
    parameter.
    """
    conditions = []
    if "iso_code" in values:
        conditions.append(func.upper(Country.iso_code) == values["iso_code"])
    if "name_key" in values:
        spelled = select(SearchTerm.entity_id).where(
            SearchTerm.entity_type == "Country",
            SearchTerm.normalized == values["name_key"],
            # Inequalities, not NOT IN: the compiled path's statements have no
            # expanding parameters.
            *(SearchTerm.source != source for source in sorted(ROMANISATIONS)),
        )
        conditions.append(Country.id.in_(spelled))
    return conditions


def root_order(type_name: str, table: Any) -> Column:
    """The order of a root list of a type: editions by year, the rest by position."""
    column: Column = table.year if type_name == "Edition" else table.position
    return column


def shared_institutions(columns: list[Column], min_fields: Any) -> Select[Any]:
    """Institutions named in at least ``min_fields`` distinct fields, most fields first."""
    counts = field_counts()
    return (
        select(*columns)
        .join(counts, counts.c.parent == Institution.id)
        .where(counts.c.n >= min_fields)
        .order_by(counts.c.n.desc(), Institution.position)
    )


__all__ = [
    "FILTERS",
    "KIND",
    "SHARED_KINDS",
    "Filter",
    "country_lookup",
    "country_named",
    "field_counts",
    "root_order",
    "shared_institutions",
]
