"""What bounds each list field's length, for the cost estimate of ``graph.limits.cost``.

Relations take their bound from the registry (``db.relations.registry``): the seed's
statistics of the relation, and whether each child has one parent there. Every list
field of the schema has a rule here; ``tests/graph/limits`` checks that a new list
field cannot slip through with none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, auto

from graphql import GraphQLSchema
from graphql.type import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
)

from coopgraph.db.relations import Relation
from coopgraph.db.relations.registry import CHILDREN


class Rule(Enum):
    """How a list field's length is bounded."""

    RELATION = auto()
    """By a relation's statistics."""
    TABLE = auto()
    """By the number of rows of a type (every continent, every field)."""
    PAGE = auto()
    """By the ``first`` of the connection it belongs to, and the rows of its type."""
    FIRST = auto()
    """By the field's own ``first`` argument."""
    IDS = auto()
    """By the length of its ``ids`` argument."""
    CELLS = auto()
    """By the product of several types' rows (a field × continent grid)."""
    ONE = auto()
    """A list that holds one object per parent (kept a list for symmetry)."""
    SCHEMA = auto()
    """Introspection: by the schema's own size."""
    EMBEDDED = auto()
    """Values kept in the parent's own row (a few names); counted as one per parent,
    since they cost no fetch of their own."""


@dataclass(frozen=True, slots=True)
class ListBound:
    rule: Rule
    relation: Relation | None = None
    types: tuple[str, ...] = ()
    #: Whether each child has exactly one parent over this relation, so that children
    #: of distinct parents are distinct too.
    one_parent: bool = False


def _table(*types: str) -> ListBound:
    return ListBound(Rule.TABLE if len(types) == 1 else Rule.CELLS, types=types)


#: Every list field of the schema whose items are objects, and what bounds it: each
#: relation of the registry by its statistics, the rest by the rules below.
LIST_BOUNDS: Mapping[tuple[str, str], ListBound] = {
    **{
        children.field: ListBound(Rule.RELATION, relation=relation, one_parent=children.one_parent)
        for relation, children in CHILDREN.items()
    },
    ("Query", "editions"): _table("Edition"),
    ("Query", "continents"): _table("Continent"),
    ("Query", "fields"): _table("Field"),
    ("Query", "directions"): _table("Direction"),
    ("Query", "nodes"): ListBound(Rule.IDS),
    ("Query", "search"): ListBound(Rule.FIRST, types=("SearchHit",)),
    ("Query", "sharedInstitutions"): _table("Institution"),
    ("Query", "commonFields"): _table("Field"),
    ("Query", "countriesSharingFields"): _table("Country"),
    ("Query", "institutionsAcrossCountries"): _table("Institution"),
    ("Query", "totalsByContinent"): _table("Continent"),
    ("Query", "totalsByField"): _table("Field"),
    ("Query", "totalsByFieldAndContinent"): _table("Field", "Continent"),
    ("CountryConnection", "edges"): ListBound(Rule.PAGE, types=("Country",)),
    ("InstitutionConnection", "edges"): ListBound(Rule.PAGE, types=("Institution",)),
    ("PriorityConnection", "edges"): ListBound(Rule.PAGE, types=("Priority",)),
    ("Institution", "countries"): ListBound(Rule.ONE),
    # The link rows of Priority.institutions, one per institution named.
    ("Priority", "mentions"): ListBound(Rule.RELATION, relation=Relation.PRIORITY_INSTITUTIONS),
    ("Institution", "otherNames"): ListBound(Rule.EMBEDDED),
    ("InstitutionMention", "qualifiedBy"): ListBound(Rule.EMBEDDED),
    ("FieldOverlap", "sharedFields"): _table("Field"),
    ("InstitutionNameGroup", "institutions"): _table("Institution"),
    ("InstitutionNameGroup", "countries"): _table("Country"),
    ("__Schema", "types"): ListBound(Rule.SCHEMA, one_parent=True),
    ("__Schema", "directives"): ListBound(Rule.SCHEMA, one_parent=True),
    ("__Type", "fields"): ListBound(Rule.SCHEMA, one_parent=True),
    ("__Type", "inputFields"): ListBound(Rule.SCHEMA, one_parent=True),
    ("__Type", "enumValues"): ListBound(Rule.SCHEMA, one_parent=True),
    ("__Type", "interfaces"): ListBound(Rule.SCHEMA, one_parent=False),
    ("__Type", "possibleTypes"): ListBound(Rule.SCHEMA, one_parent=False),
    ("__Field", "args"): ListBound(Rule.SCHEMA, one_parent=True),
    ("__Directive", "args"): ListBound(Rule.SCHEMA, one_parent=True),
}


def schema_sizes(schema: GraphQLSchema) -> dict[tuple[str, str], tuple[int, int]]:
    """Introspection's fan-outs from the schema's own counts: (largest, total) per list."""
    types = list(schema.type_map.values())

    def counted(sizes: list[int]) -> tuple[int, int]:
        return max(sizes, default=0), sum(sizes)

    fields = [
        list(t.fields.values())
        for t in types
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)
    ]
    return {
        ("__Schema", "types"): (len(types), len(types)),
        ("__Schema", "directives"): (len(schema.directives), len(schema.directives)),
        ("__Type", "fields"): counted([len(f) for f in fields]),
        ("__Type", "inputFields"): counted(
            [len(t.fields) for t in types if isinstance(t, GraphQLInputObjectType)]
        ),
        ("__Type", "enumValues"): counted(
            [len(t.values) for t in types if isinstance(t, GraphQLEnumType)]
        ),
        ("__Type", "interfaces"): counted(
            [
                len(t.interfaces)
                for t in types
                if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)
            ]
        ),
        ("__Type", "possibleTypes"): counted(
            [
                len(schema.get_possible_types(t))
                for t in types
                if isinstance(t, GraphQLInterfaceType | GraphQLUnionType)
            ]
        ),
        ("__Field", "args"): counted([len(field.args) for f in fields for field in f]),
        ("__Directive", "args"): counted([len(d.args) for d in schema.directives]),
    }


__all__ = ["LIST_BOUNDS", "ListBound", "Rule", "schema_sizes"]
