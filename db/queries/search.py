"""Search over every entity's spellings: whole spellings, words in any order, one typo.

Three index lookups, each reading a bounded number of spellings:

1. Whole spellings from their start (``riben``, ``rb``, ``大洋``, ``maxplanck``): a range
   on the b-tree index of ``search_terms.normalized``.
2. Words in any order and prefixes of words (``university macau``, ``nat taiw univ``,
   ``大学`` inside 澳门大学): SQLite's FTS5 index on ``search_terms.words``; on
   PostgreSQL, the postings of the text's rarest group read in rank order
   (``db.queries.postings``), each spelling checked against the stored word vector, or
   its GIN index when every group is a prefix of too many words. Han characters are
   words of one character, and a run of them is a phrase, so Chinese matches as a
   substring does.
3. Only when those leave room: each long word of the text that is one edit from a word
   of the index (``canterbery``), found by equality on ``search_word_keys`` and checked
   with rapidfuzz, then looked up as in 2.

A word lookup reads at most ``candidates(limit)`` spellings, the shortest that match,
and stops: the seed writes the spellings in ``rank`` order, shortest first, which FTS5
walks (as rowids) and PostgreSQL's postings are keyed by, so the cost of a lookup does
not grow with the data. The range of whole spellings is read in code-point order, which
its b-tree gives without sorting, so it reads a wider window (``PREFIX_CANDIDATES``):
大学 is first, 大学中东 may come before the shorter 大学X. The hits are then classed and
ranked here: exact > prefix > substring > words > one typo, then shorter spellings
first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import OSA
from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from coopgraph.db.models import SearchTerm, SearchWordKey
from coopgraph.db.queries.postings import candidates_from_postings, choose_driver
from coopgraph.db.search_index import POSTGRES_WORDS_VECTOR, SQLITE_FTS_TABLE
from coopgraph.db.text import is_han, normalize_search_text, search_words, typo_keys

#: How a hit matched, best first.
EXACT, PREFIX, SUBSTRING, WORDS, FUZZY = 5, 4, 3, 2, 1
ENTITY_ORDER = ("Continent", "Country", "Field", "Direction", "Institution")
#: Spellings each lookup reads per hit asked for, and at least: an entity has a few
#: spellings holding the same words (its name, aliases, English name).
CANDIDATES_PER_HIT = 4
MIN_CANDIDATES = 40
#: Whole spellings the range lookup reads, in code-point order: enough that the shortest
#: starting with a one-letter text are among them (``n``: the initials ``ny`` of 能源
#: before the acronym NIH).
PREFIX_CANDIDATES = 400
#: Words shorter than this are not corrected (one edit of a short word is another word).
TYPO_MIN_LENGTH = 5
#: Above every code point, so ``[needle, needle + TOP)`` is every string starting with it.
TOP = "\U0010ffff"


@dataclass(frozen=True, slots=True)
class SearchMatch:
    entity_type: str
    entity_id: int
    term: str
    source: str
    match: int
    score: float


@dataclass(frozen=True, slots=True)
class _Candidate:
    entity_type: str
    entity_id: int
    term: str
    source: str
    normalized: str


CANDIDATE_COLUMNS = (
    SearchTerm.entity_type,
    SearchTerm.entity_id,
    SearchTerm.term,
    SearchTerm.source,
    SearchTerm.normalized,
)


def _columns() -> Select[str, int, str, str, str]:
    return select(*CANDIDATE_COLUMNS)


def candidates(limit: int) -> int:
    """How many spellings each word lookup reads for ``limit`` hits."""
    return max(CANDIDATES_PER_HIT * limit, MIN_CANDIDATES)


async def _fetch(
    session: AsyncSession, query: Select[str, int, str, str, str], bound: int
) -> list[_Candidate]:
    return [_Candidate(*row) for row in await session.execute(query.limit(bound))]


async def _starting_with(session: AsyncSession, needle: str) -> list[_Candidate]:
    column: Any = SearchTerm.normalized
    if session.get_bind().dialect.name == "postgresql":
        # Code-point order, which the C-collated index of migration 0003 has.
        column = column.collate("C")
    query = _columns().where(column >= needle, column < needle + TOP).order_by(column)
    return await _fetch(session, query, PREFIX_CANDIDATES)


def _fts5_query(groups: Sequence[Sequence[str]]) -> str:
    # Words hold only letters and digits, so quoting them needs no escaping.
    return " AND ".join(
        f'"{" ".join(group)}"' if is_han(group[0]) else f'"{group[0]}"*' for group in groups
    )


def _tsquery(groups: Sequence[Sequence[str]]) -> str:
    return " & ".join(
        f"({' <-> '.join(group)})" if is_han(group[0]) else f"{group[0]}:*" for group in groups
    )


def text_groups(words: Sequence[str]) -> list[list[str]]:
    """Runs of Han characters become one phrase; every other word stands alone."""
    groups: list[list[str]] = []
    for word in words:
        if is_han(word) and groups and is_han(groups[-1][0]):
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def postgres_words_match(
    groups: Sequence[Sequence[str]], alternatives: dict[int, list[str]]
) -> ColumnElement[bool]:
    """Whether a spelling's stored word vector holds every group (PostgreSQL)."""
    parts = [
        f"({' | '.join(alternatives[n])})" if n in alternatives else _tsquery([group])
        for n, group in enumerate(groups)
    ]
    query = func.to_tsquery(literal_column("'simple'::regconfig"), " & ".join(parts))
    vector: ColumnElement[Any] = literal_column(f"search_terms.{POSTGRES_WORDS_VECTOR}")
    matches: ColumnElement[bool] = vector.op("@@")(query)
    return matches


async def _with_words(
    session: AsyncSession,
    groups: Sequence[Sequence[str]],
    alternatives: dict[int, list[str]],
    limit: int,
) -> list[_Candidate]:
    """Spellings holding every group, shortest first.

    ``alternatives`` replaces a group by exact words (the corrections of a typo).
    """
    if session.get_bind().dialect.name == "postgresql":
        holds_words = postgres_words_match(groups, alternatives)
        driver = await choose_driver(session, groups, alternatives)
        if driver is None:
            # Every group is a prefix of too many words to read their postings.
            return await _fetch(
                session,
                _columns().where(holds_words).order_by(SearchTerm.rank),
                candidates(limit),
            )
        if not driver.words:
            return []
        return await _fetch(
            session,
            candidates_from_postings(driver, CANDIDATE_COLUMNS, holds_words),
            candidates(limit),
        )
    parts = [
        "(" + " OR ".join(f'"{word}"' for word in alternatives[n]) + ")"
        if n in alternatives
        else _fts5_query([group])
        for n, group in enumerate(groups)
    ]
    fts = table(SQLITE_FTS_TABLE, column("rowid"))
    # FTS5 yields rowids in ascending order, which is shortest first (seed.load), and
    # stops at the limit however many spellings match.
    matching = (
        select(fts.c.rowid)
        .where(literal_column(SQLITE_FTS_TABLE).op("MATCH")(" AND ".join(parts)))
        .order_by(fts.c.rowid)
        .limit(candidates(limit))
    )
    rowid: ColumnElement[int] = literal_column("search_terms.rowid")
    return await _fetch(
        session, _columns().where(rowid.in_(matching)).order_by(rowid), candidates(limit)
    )


async def _corrections(session: AsyncSession, words: Iterable[str]) -> dict[str, list[str]]:
    """Other words of the index one edit from each long word of the text."""
    long_words = [w for w in dict.fromkeys(words) if len(w) >= TYPO_MIN_LENGTH and not is_han(w)]
    if not long_words:
        return {}
    keys = {key: word for word in long_words for key in typo_keys(word)}
    query = select(SearchWordKey.key, SearchWordKey.word).where(SearchWordKey.key.in_(keys))
    found: dict[str, set[str]] = {}
    for key, known in await session.execute(query):
        typed = keys[key]
        if OSA.distance(typed, known) <= 1:
            found.setdefault(typed, set()).add(known)
    corrected = {typed: sorted(known - {typed}) for typed, known in found.items()}
    return {typed: known for typed, known in corrected.items() if known}


def _classify(candidate: _Candidate, needle: str, fuzzy: bool) -> tuple[int, float]:
    length = max(len(candidate.normalized), 1)
    share = min(len(needle) / length, 1.0)
    if fuzzy:
        return FUZZY, 0.49 * share
    if candidate.normalized == needle:
        return EXACT, 3 + share
    if candidate.normalized.startswith(needle):
        return PREFIX, 2 + share
    if needle in candidate.normalized:
        return SUBSTRING, 1 + share
    return WORDS, 0.5 + share / 2


def _keeps_punctuation(candidate: _Candidate, punctuation: str) -> bool:
    # Words drop punctuation; a typed % or _ must still be in the spelling itself.
    return all(char in candidate.normalized for char in punctuation)


async def search_terms(session: AsyncSession, text: str, limit: int) -> list[SearchMatch]:
    """The best ``limit`` entities for ``text``, each by its best-matching spelling.

    The score is the match class (3 exact, 2 prefix, 1 substring; words in any order
    0.5 to 1, one typo below 0.5) plus the share of the spelling that the text covers,
    so ``能源`` ranks 能源领域 above 美国能源部.
    """
    needle = normalize_search_text(text)
    if not needle:
        return []
    words = search_words(text)
    punctuation = "".join(char for char in needle if not normalize_search_text(char).isalnum())
    found: list[tuple[_Candidate, bool]] = [
        (c, False) for c in await _starting_with(session, needle)
    ]
    groups = text_groups(words)
    if groups:
        found.extend((c, False) for c in await _with_words(session, groups, {}, limit))
    best = _best_per_entity(found, needle, punctuation)
    if len(best) < limit and groups:
        corrections = await _corrections(session, words)
        alternatives = {
            n: corrections[group[0]]
            for n, group in enumerate(groups)
            if len(group) == 1 and group[0] in corrections
        }
        if alternatives:
            fuzzy = await _with_words(session, groups, alternatives, limit)
            for key, hit in _best_per_entity(
                [(c, True) for c in fuzzy], needle, punctuation
            ).items():
                best.setdefault(key, hit)
    ranked = sorted(
        best.values(),
        key=lambda hit: (
            -hit.match,
            -hit.score,
            ENTITY_ORDER.index(hit.entity_type),
            hit.entity_id,
        ),
    )
    return ranked[:limit]


def _best_per_entity(
    found: Iterable[tuple[_Candidate, bool]], needle: str, punctuation: str
) -> dict[tuple[str, int], SearchMatch]:
    best: dict[tuple[str, int], SearchMatch] = {}
    for candidate, fuzzy in found:
        if not _keeps_punctuation(candidate, punctuation):
            continue
        match, score = _classify(candidate, needle, fuzzy)
        hit = SearchMatch(
            candidate.entity_type,
            candidate.entity_id,
            candidate.term,
            candidate.source,
            match,
            round(score, 4),
        )
        key = (candidate.entity_type, candidate.entity_id)
        current = best.get(key)
        if current is None or (hit.match, hit.score, -len(hit.term)) > (
            current.match,
            current.score,
            -len(current.term),
        ):
            best[key] = hit
    return best
