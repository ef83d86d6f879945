"""Filter of the institutions connection."""

import strawberry

from coopgraph.graph.types.institution_kind import InstitutionKind


@strawberry.input(
    description="Which institutions an institutions connection lists; all given conditions must hold."
)
class InstitutionFilter:
    kinds: list[InstitutionKind] | None = strawberry.field(
        default=None, description="Only these kinds."
    )
    country: strawberry.ID | None = strawberry.field(default=None, description="A Country ID.")
    field: strawberry.ID | None = strawberry.field(
        default=None, description="A Field ID: institutions named in its priorities."
    )
    min_field_count: int | None = strawberry.field(
        default=None,
        description="Institutions with priorities in at least this many distinct fields.",
    )
    name_contains: str | None = strawberry.field(
        default=None,
        description="Substring of its name, English name, acronym or a curated other name, "
        "normalised as search normalises (traditional to simplified, width, case, spaces).",
    )
