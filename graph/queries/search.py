"""The search box: Chinese, traditional Chinese, English, acronyms and pinyin."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from coopgraph.db.queries.search import EXACT, FUZZY, PREFIX, WORDS, search_terms
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.errors import BadUserInput
from coopgraph.graph.loaders import present
from coopgraph.graph.queries.entities import ENTITIES
from coopgraph.graph.queries.values import check_first, check_text
from coopgraph.graph.types.search_hit import SearchHit
from coopgraph.graph.types.search_match import SearchMatch, SearchMatchSource

MATCHES = {
    EXACT: SearchMatch.EXACT,
    PREFIX: SearchMatch.PREFIX,
    WORDS: SearchMatch.WORDS,
    FUZZY: SearchMatch.FUZZY,
}


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description="Chinese (simplified or traditional), English words in any order and their "
        "prefixes, acronyms, curated names and pinyin (full or initials); best first: exact, "
        "prefix, substring, words, then one typo."
    )
    async def search(
        self,
        info: ResolverInfo,
        text: Annotated[
            str,
            strawberry.argument(
                description="What to look for: 能源, 臺灣, riben, rb, Max Planck, DOE."
            ),
        ],
        first: Annotated[
            int | None, strawberry.argument(description="How many hits, 1 to 100.")
        ] = 10,
    ) -> list[SearchHit]:
        first = check_first(10 if first is None else first)
        # Longer text cannot match a name better, and romanising and normalising it
        # would cost time for nothing.
        check_text(text, "search text")
        if not text.strip():
            msg = "search text must not be empty"
            raise BadUserInput(msg)
        matches = await info.context.run(search_terms, text, first)
        loaders = info.context.loaders
        # Gathered, so each loader answers all its hits in one batch.
        records = await asyncio.gather(
            *(ENTITIES[match.entity_type].by_id(loaders).load(match.entity_id) for match in matches)
        )
        return [
            SearchHit(
                result=ENTITIES[match.entity_type].node_type.from_record(
                    present(record, match.entity_type)
                ),
                matched=match.term,
                score=match.score,
                match=MATCHES.get(match.match, SearchMatch.SUBSTRING),
                matched_by=SearchMatchSource(match.source),
            )
            for match, record in zip(matches, records, strict=True)
        ]
