"""The relations the API traverses, named once.

Fan-out statistics, count fields and the query-cost estimate all speak of the same
relations; an enum keeps a misspelt relation a type error instead of a missing row.
"""

from __future__ import annotations

from enum import StrEnum


class Relation(StrEnum):
    """A parent type and the children it reaches, as ``Parent.field`` in the schema."""

    EDITION_PRIORITIES = "Edition.priorities"
    CONTINENT_COUNTRIES = "Continent.countries"
    CONTINENT_FIELDS = "Continent.fields"
    COUNTRY_PRIORITIES = "Country.priorities"
    COUNTRY_FIELDS = "Country.fields"
    COUNTRY_INSTITUTIONS = "Country.institutions"
    FIELD_PRIORITIES = "Field.priorities"
    FIELD_DIRECTIONS = "Field.directions"
    FIELD_COUNTRIES = "Field.countries"
    FIELD_INSTITUTIONS = "Field.institutions"
    DIRECTION_PRIORITIES = "Direction.priorities"
    DIRECTION_COUNTRIES = "Direction.countries"
    INSTITUTION_PRIORITIES = "Institution.priorities"
    INSTITUTION_FIELDS = "Institution.fields"
    PRIORITY_DIRECTIONS = "Priority.directions"
    PRIORITY_INSTITUTIONS = "Priority.institutions"

    @property
    def parent_type(self) -> str:
        """The GraphQL type the relation starts from: ``Country`` for ``Country.fields``."""
        return self.value.partition(".")[0]


__all__ = ["Relation"]
