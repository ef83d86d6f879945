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

from pypinyin import Style, lazy_pinyin

from db.text import normalize_search_text

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


def romanizations(name: str) -> list[tuple[str, str]]:
    """Full pinyin and initials of a name that has Chinese characters in it."""
    if not _HAN.search(name):
        return []
    syllables = lazy_pinyin(name, errors="default")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return [(" ".join(syllables), "pinyin"), ("".join(initials), "initials")]


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
                yield Term(source.entity_type, source.entity_id, term, normalized, kind)
