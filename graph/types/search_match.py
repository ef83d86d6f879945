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
    WORDS = strawberry.enum_value(
        "WORDS",
        description="Every word of the search text starts a word of the spelling, in any order: "
        "university macau → University of Macau, nat taiw univ → National Taiwan University.",
    )
    FUZZY = strawberry.enum_value(
        "FUZZY",
        description="As WORDS, with one typo in a word of five letters or more: canterbery → "
        "University of Canterbury. Ranked below every other match.",
    )


@strawberry.enum(description="Which spelling of the result matched.")
class SearchMatchSource(enum.Enum):
    NAME = strawberry.enum_value("name", description="The Chinese name: 日本.")
    NAME_EN = strawberry.enum_value("nameEn", description="The English name: Japan.")
    ACRONYM = strawberry.enum_value("acronym", description="The acronym or ISO code: DOE, JP.")
    ALIAS = strawberry.enum_value(
        "alias",
        description="Another spelling: one the document uses (美国能源部（DOE）), a standard name "
        "of a country (台湾, Russian Federation), or a spelling users type that the curation "
        "adds (UK, USA, Macau, Tsinghua).",
    )
    OTHER_NAME = strawberry.enum_value(
        "otherName",
        description="A name the curation adds to an institution (Institution.otherNames): "
        "坎特伯雷大学, 中研院, Institut Pasteur.",
    )
    QUALIFIER = strawberry.enum_value(
        "qualifier",
        description="A body that qualifies a category (Mention.qualifiedBy): 农业部 finds 埃及's "
        "国立研究机构 of 教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构.",
    )
    PINYIN = strawberry.enum_value("pinyin", description="Full pinyin of the Chinese name: ri ben.")
    INITIALS = strawberry.enum_value(
        "initials", description="Pinyin initials of the Chinese name: rb."
    )
