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

from db.models import InstitutionKind

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
class InstitutionEntry:
    """One institution row: the spellings it absorbs are its name, acronym and aliases."""

    line: int
    country: str
    name: str
    name_en: str
    acronym: str | None
    kind: InstitutionKind
    aliases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Curation:
    continents: dict[str, ContinentEntry]
    countries: dict[str, CountryOverride]
    fields: dict[str, FieldEntry]
    directions: dict[tuple[str, str], DirectionEntry]
    institutions: tuple[InstitutionEntry, ...]
    qualifiers: tuple[str, ...]


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


def _institutions() -> tuple[InstitutionEntry, ...]:
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
            )
        )
    return tuple(entries)


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
    return Curation(continents, countries, fields, directions, _institutions(), qualifiers)
