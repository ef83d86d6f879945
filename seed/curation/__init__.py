"""Curated reference data: the reviewable tables that resolve the document's names.

Entity resolution is data, not code: each CSV beside this module is one table a
reviewer can read line by line, and the resolvers in ``seed`` only look names up in
them. Loading checks the tables' own consistency (duplicate keys, unknown kinds), so a
bad edit fails at start, naming the file and the line.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TypeVar

from coopgraph.db.kinds import InstitutionKind, InstitutionNameKind
from coopgraph.db.text import normalize_search_text

K = TypeVar("K")
V = TypeVar("V")


class CurationError(ValueError):
    """A curated table contradicts itself; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class ContinentEntry:
    name: str
    key: str
    name_en: str


@dataclass(frozen=True, slots=True)
class CountryOverride:
    name: str
    iso_code: str
    name_en: str


@dataclass(frozen=True, slots=True)
class FieldEntry:
    name: str
    key: str
    name_en: str


@dataclass(frozen=True, slots=True)
class DirectionEntry:
    field: str
    name: str
    key: str
    name_en: str


@dataclass(frozen=True, slots=True)
class OtherName:
    """A name the curation adds (坎特伯雷大学 for 基督城大学); never a spelling of the document."""

    name: str
    kind: InstitutionNameKind


@dataclass(frozen=True, slots=True)
class InstitutionEntry:
    """One institution row: the spellings it absorbs are its name, acronym and aliases.

    ``key`` pins the slug of the natural key where the default (acronym, else English
    name) would move an ID that is already out; ``inferred_basis`` says why an
    identification the document does not spell out was made, and is None otherwise.
    """

    line: int
    country: str
    name: str
    name_en: str
    acronym: str | None
    kind: InstitutionKind
    aliases: tuple[str, ...]
    key: str | None = None
    inferred_basis: str | None = None
    other_names: tuple[OtherName, ...] = ()


@dataclass(frozen=True, slots=True)
class QualifyingBody:
    """A body named only to qualify a category (教育科研部 in …等部委下属国立研究机构)."""

    country: str
    name: str
    name_en: str


@dataclass(frozen=True, slots=True)
class SearchAlias:
    """A spelling users type for an entity (UK, Macau, Tsinghua), and why it names it.

    Search finds the entity by it, and ``country(name:)`` resolves a country by it; it is
    not a name of the entity (``Institution.otherNames`` holds those).
    """

    line: int
    country: str
    #: None when the alias names the country itself.
    institution: str | None
    alias: str
    basis: str


@dataclass(frozen=True, slots=True)
class Curation:
    continents: dict[str, ContinentEntry]
    countries: dict[str, CountryOverride]
    fields: dict[str, FieldEntry]
    directions: dict[tuple[str, str], DirectionEntry]
    institutions: tuple[InstitutionEntry, ...]
    qualifiers: tuple[str, ...]
    qualifying_bodies: dict[tuple[str, str], QualifyingBody]
    #: Keyed by (country, institution), the institution None for the country's own.
    search_aliases: dict[tuple[str, str | None], tuple[SearchAlias, ...]]


def slugify(text: str) -> str:
    """A lower-case ASCII slug: ``Max Planck Society`` → ``max-planck-society``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _rows(filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    text = resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    for line, row in enumerate(reader, start=2):
        yield line, {key: (value or "").strip() for key, value in row.items()}


def _unique(filename: str, items: Iterator[tuple[int, K, V]]) -> dict[K, V]:
    table: dict[K, V] = {}
    for line, key, value in items:
        if key in table:
            msg = f"seed/curation/{filename}:{line}: {key!r} is listed twice"
            raise CurationError(msg)
        table[key] = value
    return table


def _other_names() -> dict[tuple[str, str], list[OtherName]]:
    names: dict[tuple[str, str], list[OtherName]] = {}
    seen: set[tuple[str, str, str]] = set()
    for line, row in _rows("institution_names.csv"):
        where = f"seed/curation/institution_names.csv:{line}"
        try:
            kind = InstitutionNameKind[row["kind"]]
        except KeyError:
            known = [k.name for k in InstitutionNameKind]
            msg = f"{where}: kind {row['kind']!r} is not one of {known}"
            raise CurationError(msg) from None
        if not row["name"]:
            msg = f"{where}: the name is empty"
            raise CurationError(msg)
        key = (row["country"], row["institution"], row["name"])
        if key in seen:
            msg = f"{where}: {row['name']!r} of {row['institution']} is listed twice"
            raise CurationError(msg)
        seen.add(key)
        names.setdefault((row["country"], row["institution"]), []).append(
            OtherName(row["name"], kind)
        )
    return names


def _institutions() -> tuple[InstitutionEntry, ...]:
    other_names = _other_names()
    entries: list[InstitutionEntry] = []
    seen: set[tuple[str, str]] = set()
    for line, row in _rows("institutions.csv"):
        where = f"seed/curation/institutions.csv:{line}"
        try:
            kind = InstitutionKind[row["kind"]]
        except KeyError:
            msg = f"{where}: kind {row['kind']!r} is not one of {[k.name for k in InstitutionKind]}"
            raise CurationError(msg) from None
        if (row["country"], row["name"]) in seen:
            msg = f"{where}: {row['name']!r} of {row['country']} is listed twice"
            raise CurationError(msg)
        seen.add((row["country"], row["name"]))
        aliases = tuple(alias for alias in row["aliases"].split("|") if alias)
        entries.append(
            InstitutionEntry(
                line=line,
                country=row["country"],
                name=row["name"],
                name_en=row["name_en"],
                acronym=row["acronym"] or None,
                kind=kind,
                aliases=aliases,
                key=row.get("key") or None,
                inferred_basis=row.get("inferred_basis") or None,
                other_names=tuple(other_names.pop((row["country"], row["name"]), ())),
            )
        )
    if other_names:
        country, name = next(iter(other_names))
        msg = (
            f"seed/curation/institution_names.csv: {name!r} of {country} is not a row of "
            "institutions.csv"
        )
        raise CurationError(msg)
    return tuple(entries)


def _qualifying_bodies() -> dict[tuple[str, str], QualifyingBody]:
    return _unique(
        "qualifying_bodies.csv",
        (
            (n, (r["country"], r["name"]), QualifyingBody(r["country"], r["name"], r["name_en"]))
            for n, r in _rows("qualifying_bodies.csv")
        ),
    )


def _search_aliases(
    institutions: tuple[InstitutionEntry, ...],
) -> dict[tuple[str, str | None], tuple[SearchAlias, ...]]:
    known = {(entry.country, entry.name) for entry in institutions}
    aliases: dict[tuple[str, str | None], list[SearchAlias]] = {}
    # Folded as search folds them: two rows that fold alike would make a lookup by name
    # ambiguous (UK and uk, 台灣 and 臺灣).
    owners: dict[str, tuple[str, str | None]] = {}
    for line, row in _rows("search_aliases.csv"):
        where = f"seed/curation/search_aliases.csv:{line}"
        entry = SearchAlias(
            line, row["country"], row["institution"] or None, row["alias"], row["basis"]
        )
        for column in ("country", "alias", "basis"):
            if not row[column]:
                msg = f"{where}: the {column} is empty"
                raise CurationError(msg)
        if entry.institution is not None and (entry.country, entry.institution) not in known:
            msg = f"{where}: {entry.institution!r} of {entry.country} is not a row of institutions.csv"
            raise CurationError(msg)
        owner = (entry.country, entry.institution)
        folded = normalize_search_text(entry.alias)
        if folded in owners:
            earlier = owners[folded]
            named = earlier[1] or earlier[0]
            msg = f"{where}: {entry.alias!r} is listed twice (first for {named})"
            raise CurationError(msg)
        owners[folded] = owner
        aliases.setdefault(owner, []).append(entry)
    return {owner: tuple(entries) for owner, entries in aliases.items()}


@cache
def load_curation() -> Curation:
    """Read and check every curated table once per process."""
    continents = _unique(
        "continents.csv",
        (
            (n, r["name"], ContinentEntry(r["name"], r["key"], r["name_en"]))
            for n, r in _rows("continents.csv")
        ),
    )
    countries = _unique(
        "countries.csv",
        (
            (n, r["name"], CountryOverride(r["name"], r["iso_code"], r["name_en"]))
            for n, r in _rows("countries.csv")
        ),
    )
    fields = _unique(
        "fields.csv",
        (
            (n, r["name"], FieldEntry(r["name"], r["key"], r["name_en"]))
            for n, r in _rows("fields.csv")
        ),
    )
    directions = _unique(
        "directions.csv",
        (
            (
                n,
                (r["field"], r["name"]),
                DirectionEntry(r["field"], r["name"], r["key"], r["name_en"]),
            )
            for n, r in _rows("directions.csv")
        ),
    )
    for entry in directions.values():
        if entry.field not in fields:
            msg = f"seed/curation/directions.csv: direction {entry.name!r} names unknown field {entry.field!r}"
            raise CurationError(msg)
    # Longest first, so 等大学 wins over 等 when both end a cell.
    qualifiers = tuple(
        sorted((r["phrase"] for _, r in _rows("qualifiers.csv")), key=len, reverse=True)
    )
    institutions = _institutions()
    return Curation(
        continents,
        countries,
        fields,
        directions,
        institutions,
        qualifiers,
        _qualifying_bodies(),
        _search_aliases(institutions),
    )
