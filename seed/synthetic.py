"""A synthetic edition: the document's graph multiplied, for load and cost measurements.

Copy 0 is the document as resolved; copy k (1 ≤ k < N) repeats every country of it as a
new, synthetic country (``JP-7``, 日本（合成7）, "Japan (synthetic 7)", no ISO code) with
the same rows, institutions and links. The 9 fields and 7 continents are the document's
own, so the graph keeps the document's shape while countries, priorities, institutions
and links scale by N.

The result is an ordinary ``ResolvedEdition`` and is stored by ``seed.load`` like a
document, in one transaction. It stays traceable: its source name and title say it is
synthetic and of which document, and a synthetic row's ``source_line`` is the line it
would have in the document written N times over (line + k × lines of the document), so
``source_line`` modulo that length points back at the row it copies.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from sqlalchemy import String

from coopgraph.db.models import Base
from coopgraph.seed.errors import DocumentError
from coopgraph.seed.resolve import (
    ROWS_PER_EDITION,
    ResolvedCountry,
    ResolvedEdition,
    ResolvedInstitution,
    ResolvedMention,
    ResolvedPriority,
)

#: The largest multiplier: a synthetic copy's suffix (``-999``) must fit the key columns.
MAX_COPIES = 1000


def synthetic_source_name(source_name: str, copies: int) -> str:
    """The edition's source name: which document, how many times, and that it is synthetic."""
    return f"synthetic x{copies} of {PurePath(source_name).name}"


#: Between a country's key and its copy number: ISO codes never contain it.
COPY_SEPARATOR = "-"


def _country_key(key: str, copy: int) -> str:
    return key if copy == 0 else f"{key}{COPY_SEPARATOR}{copy}"


def iso_code_of(country_key: str) -> str | None:
    """The ISO code a country key stands for; a synthetic copy's key stands for none."""
    return None if COPY_SEPARATOR in country_key else country_key


def _copy_country(country: ResolvedCountry, copy: int) -> ResolvedCountry:
    if copy == 0:
        return country
    return ResolvedCountry(
        key=_country_key(country.key, copy),
        name=f"{country.name}（合成{copy}）",
        name_en=f"{country.name_en} (synthetic {copy})",
        continent_key=country.continent_key,
    )


def _copy_institution(
    institution: ResolvedInstitution, copy: int, country_keys: dict[str, str]
) -> ResolvedInstitution:
    if copy == 0:
        return institution
    country_key = country_keys[institution.country_key]
    # Institution keys are ``iso.slug``; the copy's country key takes the place of the ISO code.
    _, _, slug = institution.key.partition(".")
    return replace(institution, key=f"{country_key.lower()}.{slug}", country_key=country_key)


def multiply_edition(edition: ResolvedEdition, copies: int, document_lines: int) -> ResolvedEdition:
    """The edition with its countries repeated ``copies`` times (copy 0 is the document).

    Args:
        edition: The document as resolved.
        copies: How many times the graph is repeated, 1 to ``MAX_COPIES``.
        document_lines: Lines of the document, to number the copies' rows as if the
            document were written ``copies`` times over.

    Raises:
        DocumentError: ``copies`` is out of range, or a copy's key would not fit its column.
    """
    if not 1 <= copies <= MAX_COPIES:
        problem = f"--synthetic {copies}: the multiplier must be between 1 and {MAX_COPIES}"
        raise DocumentError(edition.source_name, 1, problem)
    countries: list[ResolvedCountry] = []
    institutions: list[ResolvedInstitution] = []
    priorities: list[ResolvedPriority] = []
    for copy in range(copies):
        country_keys = {c.key: _country_key(c.key, copy) for c in edition.countries}
        countries.extend(_copy_country(c, copy) for c in edition.countries)
        institution_keys: dict[str, str] = {}
        for institution in edition.institutions:
            copied = _copy_institution(institution, copy, country_keys)
            institution_keys[institution.key] = copied.key
            institutions.append(copied)
        for priority in edition.priorities:
            country_key = country_keys[priority.country_key]
            _, _, rest = priority.key.partition(".")
            _, _, field_and_n = rest.partition(".")
            priorities.append(
                replace(
                    priority,
                    key=f"{edition.year}.{country_key.lower()}.{field_and_n}",
                    position=edition.year * ROWS_PER_EDITION + len(priorities) + 1,
                    row_line=priority.row_line + copy * document_lines,
                    source_line=priority.source_line + copy * document_lines,
                    country_key=country_key,
                    mentions=tuple(
                        ResolvedMention(institution_keys[m.institution_key], m.text, m.and_others)
                        for m in priority.mentions
                    ),
                )
            )
    _check_key_lengths(edition.source_name, countries, priorities)
    return replace(
        edition,
        title=f"{edition.title}（合成 x{copies}）" if copies > 1 else edition.title,
        source_name=synthetic_source_name(edition.source_name, copies),
        countries=tuple(countries),
        institutions=tuple(institutions),
        priorities=tuple(priorities),
    )


def _check_key_lengths(
    source: str, countries: list[ResolvedCountry], priorities: list[ResolvedPriority]
) -> None:
    # PostgreSQL enforces the VARCHAR lengths and SQLite does not; checking here keeps
    # the two backends agreeing, and fails before any write.
    limits = (
        ("country", "countries", (c.key for c in countries)),
        ("priority", "priorities", (p.key for p in priorities)),
    )
    for what, table, keys in limits:
        column_type = Base.metadata.tables[table].c.key.type
        limit = column_type.length if isinstance(column_type, String) else None
        longest = max(keys, key=len, default="")
        if limit is not None and len(longest) > limit:
            problem = f"the synthetic {what} key {longest!r} is longer than {limit} characters"
            raise DocumentError(source, 1, problem)
