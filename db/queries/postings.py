"""PostgreSQL's word lookup at any scale: postings read in rank order, rarest group first.

A GIN index finds every spelling that matches before the first is read, so its cost
grows with the matches (大学 is in 53,000 spellings at a thousand times the data). The
postings of ``db.search_index`` are a b-tree of (word, rank): the spellings holding a
word come out shortest first, and a search stops after its candidates. One group of
the text drives: the one whose words the fewest spellings hold (``search_words``
counts them). Its postings are merged in rank order, and each spelling they name is
kept if its word vector matches the whole text, so the answer is the GIN index's, read
shortest first (for every word PostgreSQL's parser keeps: it drops a few symbols, such
as ❶, that a search then requires). A Han phrase drives by its rarest pair of
neighbouring characters (研究 is rarer than 研 or 究); an English word typed in part, by
every word of the index it begins, when there are at most ``MAX_EXPANSIONS`` of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select, true, union_all
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from coopgraph.db.models import SearchTerm
from coopgraph.db.search_index import search_postings, search_words
from coopgraph.db.text import is_han

#: Words of the index one typed prefix may stand for; beyond, the GIN index answers
#: (a prefix of one or two letters begins thousands of words at scale).
MAX_EXPANSIONS = 16
#: Groups of a text that may drive, longest first: a longer word is likely rarer, and a
#: text of hundreds of words (200 characters can fold to 600) must not make a statement
#: of hundreds of branches. Any group may drive, since every candidate is checked
#: against the whole text.
MAX_DRIVER_GROUPS = 6
#: Above every code point, so ``[prefix, prefix + TOP)`` is every word starting with it.
TOP = "\U0010ffff"


@dataclass(frozen=True, slots=True)
class Driver:
    """The words whose postings a lookup reads; empty when no spelling can match."""

    words: tuple[str, ...]


def _han_words(group: Sequence[str]) -> set[str]:
    """The pairs of neighbouring characters of a Han phrase; a lone character itself."""
    return {a + b for a, b in pairwise(group)} or {group[0]}


def _index_words(
    n: int, group: Sequence[str], exact: Sequence[str] | None
) -> Select[int, str, int]:
    """The words of ``search_words`` that stand for group ``n`` of the text."""
    word = search_words.c.word
    query = select(literal(n), word, search_words.c.spellings)
    if exact is not None:
        return query.where(word.in_([_lexeme(w) for w in exact]))
    if is_han(group[0]):
        return query.where(word.in_([_lexeme(w) for w in _han_words(group)]))
    prefix = _lexeme(group[0])
    return query.where(word >= prefix, word < prefix + TOP).order_by(word).limit(MAX_EXPANSIONS + 1)


def _lexeme(word: str) -> ColumnElement[str]:
    # The 'simple' configuration lower-cases with the database's lower(), which differs
    # from Python's casefold for a few scripts (Cherokee): ask the database.
    return func.lower(literal(word))


async def choose_driver(
    session: AsyncSession,
    groups: Sequence[Sequence[str]],
    alternatives: dict[int, list[str]],
) -> Driver | None:
    """The rarest group's words, or None when every group is a prefix too short to expand."""
    chosen = sorted(
        {tuple(group): n for n, group in reversed(list(enumerate(groups)))}.values(),
        key=lambda n: (-len("".join(groups[n])), n),
    )[:MAX_DRIVER_GROUPS]
    branches = [_index_words(n, groups[n], alternatives.get(n)) for n in chosen]
    query = branches[0] if len(branches) == 1 else union_all(*branches)
    found: dict[int, list[tuple[str, int]]] = {n: [] for n in chosen}
    for n, word, spellings in await session.execute(query):
        found[n].append((word, spellings))
    best: tuple[int, tuple[str, ...]] | None = None
    driver: tuple[str, ...]
    for n in chosen:
        group, words = groups[n], found[n]
        if n not in alternatives and is_han(group[0]):
            if len(words) < len(_han_words(group)):
                return Driver(())  # a pair no spelling holds
            word, spellings = min(words, key=lambda item: (item[1], item[0]))
            cost, driver = spellings, (word,)
        else:
            if not words:
                return Driver(())
            if len(words) > MAX_EXPANSIONS:
                continue
            cost, driver = sum(count for _, count in words), tuple(w for w, _ in words)
        if best is None or cost < best[0]:
            best = (cost, driver)
    return None if best is None else Driver(best[1])


def candidates_from_postings(
    driver: Driver, columns: Sequence[QueryableAttribute[Any]], matches: ColumnElement[bool]
) -> Select[Any]:
    """``columns`` of the spellings the driver's postings name and ``matches`` keeps.

    In rank order. The spelling is a lateral probe behind OFFSET 0, which the planner does not flatten:
    it walks the postings in order (a Merge Append of one index range per word), looks
    each spelling up by rank and stops at the caller's limit, instead of joining every
    posting of a common word.
    """
    postings = [
        select(search_postings.c.rank)
        .where(search_postings.c.word == word)
        .order_by(search_postings.c.rank)
        for word in driver.words
    ]
    ranks = (postings[0] if len(postings) == 1 else union_all(*postings)).subquery("ranks")
    spelling = (
        select(*columns)
        .where(SearchTerm.rank == ranks.c.rank, matches)
        .offset(0)
        .lateral("spelling")
    )
    # A spelling holding two of the driver's words comes once from each; DISTINCT ON
    # the rank, which the walk is ordered by, keeps one without a sort.
    return (
        select(*spelling.c)
        .select_from(ranks)
        .join(spelling, true())
        .ext(distinct_on(ranks.c.rank))
        .order_by(ranks.c.rank)
    )
