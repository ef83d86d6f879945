"""Search over every entity's spellings, ranked exact > prefix > substring.

The spellings were normalised at seed time (``search_terms``); the input goes through
the same normalisation here, so the match is three LIKE/equality tests that SQLite and
PostgreSQL evaluate alike. A window function keeps each entity's best spelling only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SearchTerm
from db.queries.base import escape_like
from db.text import normalize_search_text

#: How a hit matched, best first; the score's integer part.
EXACT, PREFIX, SUBSTRING = 3, 2, 1
ROMANISATIONS = ("pinyin", "initials")
ENTITY_ORDER = ("Continent", "Country", "Field", "Direction", "Institution")


@dataclass(frozen=True, slots=True)
class SearchMatch:
    entity_type: str
    entity_id: int
    term: str
    source: str
    match: int
    score: float


async def search_terms(session: AsyncSession, text: str, limit: int) -> list[SearchMatch]:
    """The best ``limit`` entities whose spellings contain ``text`` once normalised.

    The score is the match class (3 exact, 2 prefix, 1 substring) plus the share of the
    spelling that the input covers, so ``能源`` ranks 能源领域 above 美国能源部.
    """
    needle = normalize_search_text(text)
    if not needle:
        return []
    escaped = escape_like(needle)
    match = case(
        (SearchTerm.normalized == needle, literal(EXACT)),
        (SearchTerm.normalized.like(f"{escaped}%", escape="\\"), literal(PREFIX)),
        else_=literal(SUBSTRING),
    )
    length = func.length(SearchTerm.normalized)
    entity_order = case(
        *((SearchTerm.entity_type == name, literal(n)) for n, name in enumerate(ENTITY_ORDER)),
        else_=literal(len(ENTITY_ORDER)),
    )
    ranked = (
        select(
            SearchTerm.entity_type,
            SearchTerm.entity_id,
            SearchTerm.term,
            SearchTerm.source,
            match.label("match"),
            length.label("length"),
            entity_order.label("entity_order"),
            func.row_number()
            .over(
                partition_by=(SearchTerm.entity_type, SearchTerm.entity_id),
                order_by=(match.desc(), length, SearchTerm.normalized),
            )
            .label("best"),
        )
        .where(
            or_(
                SearchTerm.normalized.like(f"{escaped}%", escape="\\"),
                # Romanisations match from their start only: inside one, the text would
                # cross syllables ("land" in "aokelandaxue", 奥克兰大学).
                and_(
                    SearchTerm.normalized.like(f"%{escaped}%", escape="\\"),
                    SearchTerm.source.not_in(ROMANISATIONS),
                ),
            )
        )
        .subquery()
    )
    query = (
        select(
            ranked.c.entity_type,
            ranked.c.entity_id,
            ranked.c.term,
            ranked.c.source,
            ranked.c.match,
            ranked.c.length,
        )
        .where(ranked.c.best == 1)
        .order_by(
            ranked.c.match.desc(),
            ranked.c.length,
            ranked.c.entity_order,
            ranked.c.entity_id,
        )
        .limit(limit)
    )
    rows = await session.execute(query)
    return [
        SearchMatch(
            entity_type=entity_type,
            entity_id=entity_id,
            term=term,
            source=source,
            match=match_class,
            score=round(match_class + len(needle) / max(length, 1), 4),
        )
        for entity_type, entity_id, term, source, match_class, length in rows
    ]
