"""One search result."""

import strawberry

from coopgraph.graph.types.search_match import SearchMatch, SearchMatchSource
from coopgraph.graph.types.search_result import SearchResult


@strawberry.type(description="One search result: the entity, what matched and how well.")
class SearchHit:
    result: SearchResult = strawberry.field(
        description="The continent, country, field, direction or institution."
    )
    matched: str = strawberry.field(
        description="The name, English name, acronym, alias or romanisation that matched."
    )
    score: float = strawberry.field(
        description="3 for an exact match, 2 for a prefix, 1 for a substring, plus the share of the "
        "spelling the search text covers; 0.5 to 1 for words in any order, below 0.5 for one "
        "typo. Hits come best first."
    )
    match: SearchMatch = strawberry.field(
        description="Exact, prefix, substring, words in any order, or one typo."
    )
    matched_by: SearchMatchSource = strawberry.field(description="Which kind of spelling matched.")
