"""The searchable spellings of each entity, romanised once at seed time.

pypinyin gives each Chinese name its full pinyin (``riben``) and its initials (``rb``),
so a type-ahead box finds 日本 from either; English names, acronyms and every alias as
written are terms too. All are normalised with ``db.text.normalize_search_text``, the
same function search input goes through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from pypinyin import Style, lazy_pinyin
from sqlalchemy import Select, select

from coopgraph.db.kinds import ROMANISATIONS
from coopgraph.db.models import SearchTerm
from coopgraph.db.text import is_han, normalize_search_text, search_words, typo_keys

_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class TermSource:
    """One entity's spellings before romanisation."""

    entity_type: str
    entity_id: int
    name: str
    name_en: str
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    #: Spellings the curation adds, each with its source (``otherName``, ``qualifier``).
    others: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    entity_type: str
    entity_id: int
    term: str
    normalized: str
    source: str
    words: str | None


@cache
def romanizations(name: str) -> tuple[tuple[str, str], ...]:
    """Full pinyin and initials of a name that has Chinese characters in it.

    Cached: institutions of many countries share a name (大学 of each synthetic copy),
    and pypinyin is the slowest step of a large seed.
    """
    if not _HAN.search(name):
        return ()
    syllables = lazy_pinyin(name, errors="default")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return ((" ".join(syllables), "pinyin"), ("".join(initials), "initials"))


def terms_for(sources: Iterable[TermSource]) -> Iterator[Term]:
    """Every distinct normalised spelling of each entity, with what it came from."""
    for source in sources:
        seen: set[str] = set()
        candidates = [(source.name, "name"), (source.name_en, "nameEn")]
        if source.acronym:
            candidates.append((source.acronym, "acronym"))
        candidates.extend((alias, "alias") for alias in source.aliases)
        candidates.extend(source.others)
        candidates.extend(romanizations(source.name))
        for term, kind in candidates:
            normalized = normalize_search_text(term)
            if normalized and normalized not in seen:
                seen.add(normalized)
                # Romanisations match from their start only: no words in the text index.
                words = None if kind in ROMANISATIONS else " ".join(search_words(term))
                yield Term(source.entity_type, source.entity_id, term, normalized, kind, words)


#: Shorter words are not corrected: one edit of a short word is another word.
TYPO_MIN_LENGTH = 5


def stored_terms() -> Select[str, int, str, str, str, str | None]:
    """The stored spellings, each row the fields of a ``Term``."""
    return select(
        SearchTerm.entity_type,
        SearchTerm.entity_id,
        SearchTerm.term,
        SearchTerm.normalized,
        SearchTerm.source,
        SearchTerm.words,
    )


def shortest_first(term: Term) -> tuple[int, str, str, int]:
    """The order the seed writes spellings in, and the order search reads them in.

    Shorter spellings rank higher for the same text (``db.queries.search``), so a lookup
    that stops after a bounded number of candidates has read the best ones. Ties go by
    code point, as PostgreSQL's ``COLLATE "C"`` orders them.
    """
    return (len(term.normalized), term.normalized, term.entity_type, term.entity_id)


def typo_key_pairs(terms: Iterable[Term]) -> Iterator[tuple[str, str]]:
    """(key, word) for every word long enough to be corrected, each pair once."""
    vocabulary = {
        word
        for term in terms
        for word in (term.words or "").split()
        if len(word) >= TYPO_MIN_LENGTH and not is_han(word)
    }
    for word in sorted(vocabulary):
        for key in sorted(typo_keys(word)):
            yield key, word
