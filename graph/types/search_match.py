"""How a search hit matched."""

import enum

import strawberry


@strawberry.enum(description="How the matched spelling relates to the search text, best first.")
class SearchMatch(enum.Enum):
    EXACT = strawberry.enum_value("EXACT", description="The spelling is the search text.")
    PREFIX = strawberry.enum_value(
        "PREFIX", description="The spelling starts with the search text."
    )
    SUBSTRING = strawberry.enum_value(
        "SUBSTRING", description="The spelling contains the search text."
    )


@strawberry.enum(description="Which spelling of the result matched.")
class SearchMatchSource(enum.Enum):
    NAME = strawberry.enum_value("name", description="The Chinese name: 日本.")
    NAME_EN = strawberry.enum_value("nameEn", description="The English name: Japan.")
    ACRONYM = strawberry.enum_value("acronym", description="The acronym or ISO code: DOE, JP.")
    ALIAS = strawberry.enum_value(
        "alias",
        description="Another spelling: one the document uses (美国能源部（DOE）) or a standard name "
        "of a country (台湾, Russian Federation).",
    )
    PINYIN = strawberry.enum_value("pinyin", description="Full pinyin of the Chinese name: ri ben.")
    INITIALS = strawberry.enum_value(
        "initials", description="Pinyin initials of the Chinese name: rb."
    )
