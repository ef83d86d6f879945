"""Filter of the priorities connection."""

import strawberry


@strawberry.input(
    description="Which priorities a priorities connection lists; all given conditions must hold."
)
class PriorityFilter:
    year: int | None = strawberry.field(default=None, description="The edition's year: 2020.")
    continent: strawberry.ID | None = strawberry.field(default=None, description="A Continent ID.")
    country: strawberry.ID | None = strawberry.field(default=None, description="A Country ID.")
    field: strawberry.ID | None = strawberry.field(default=None, description="A Field ID.")
    direction: strawberry.ID | None = strawberry.field(default=None, description="A Direction ID.")
    institution: strawberry.ID | None = strawberry.field(
        default=None, description="An Institution ID: priorities that name it."
    )
