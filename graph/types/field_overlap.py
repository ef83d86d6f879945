"""A country and the fields it shares with another."""

import strawberry

from coopgraph.graph.types.country import Country
from coopgraph.graph.types.field import Field


@strawberry.type(
    description="A country and the fields in which both it and the asked-about country have priorities."
)
class FieldOverlap:
    country: Country = strawberry.field(description="The other country.")
    shared_fields: list[Field] = strawberry.field(
        description="The fields both have, in field order."
    )
    shared_field_count: int = strawberry.field(description="How many fields both have.")
