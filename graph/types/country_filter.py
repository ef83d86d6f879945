"""Filter of the countries connection."""

import strawberry


@strawberry.input(
    description="Which countries a countries connection lists; all given conditions must hold."
)
class CountryFilter:
    continent: strawberry.ID | None = strawberry.field(default=None, description="A Continent ID.")
    field: strawberry.ID | None = strawberry.field(
        default=None, description="A Field ID: countries with a priority in it."
    )
    name_contains: str | None = strawberry.field(
        default=None,
        description="Substring of its name, English name or ISO code, normalised as search "
        "normalises (traditional to simplified, width, case, spaces): 臺灣 finds 中国台湾.",
    )
